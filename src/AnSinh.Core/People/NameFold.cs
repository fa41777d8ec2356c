using System.Globalization;
using System.Text;

namespace AnSinh.Core.People;

/// <summary>Names compared as people compare them: without diacritics, case or extra spaces ("NGUYEN VAN  AN" = "Nguyễn Văn An").</summary>
public static class NameFold
{
    /// <summary>Lower-case without Vietnamese diacritics, as the database's lower(unaccent(...)) gives (đ → d).</summary>
    public static string Fold(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            sb.Append(c switch { 'đ' or 'Đ' => 'd', _ => char.ToLowerInvariant(c) });
        }

        return string.Join(' ', sb.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries));
    }

    public static bool Same(string a, string b) => string.Equals(Fold(a), Fold(b), StringComparison.Ordinal);
}
