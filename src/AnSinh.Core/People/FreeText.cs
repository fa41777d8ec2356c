using System.Globalization;
using System.Text;

namespace AnSinh.Core.People;

/// <summary>
/// Text people type or import (names, hamlets, reasons): what a screen, a search and a printed list can rely on.
/// Control characters (a NUL, a tab) and invisible format characters (bidi overrides that reverse a name on
/// screen, zero-width spaces that defeat search, a byte-order mark) are removed; runs of white space become
/// one space; the result is trimmed and in Unicode NFC, the form the search folding expects.
/// </summary>
public static class FreeText
{
    /// <summary>Several lines (a grievance, an answer): each line cleaned as <see cref="Clean"/>, blank lines kept one at a time.</summary>
    /// <returns>The cleaned text with \n between lines, or null when nothing visible is left.</returns>
    public static string? CleanLines(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var lines = new List<string>();
        foreach (var raw in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n', '\r', '\u2028', '\u2029'))
        {
            var line = Clean(raw) ?? "";
            if (line.Length > 0 || (lines.Count > 0 && lines[^1].Length > 0))
            {
                lines.Add(line);
            }
        }

        var joined = string.Join('\n', lines).TrimEnd('\n');
        return joined.Length == 0 ? null : joined;
    }

    /// <returns>The cleaned text, or null when nothing visible is left.</returns>
    public static string? Clean(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var sb = new StringBuilder(text.Length);
        var space = false;
        foreach (var ch in text.Normalize(NormalizationForm.FormC))
        {
            var category = char.GetUnicodeCategory(ch);
            if (char.IsWhiteSpace(ch) || category is UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
            {
                space = sb.Length > 0;
                continue;
            }

            if (category is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned)
            {
                continue;
            }

            if (space)
            {
                sb.Append(' ');
                space = false;
            }

            sb.Append(ch);
        }

        return sb.Length == 0 ? null : sb.ToString();
    }

    /// <summary>Text to find inside a LIKE pattern: its backslashes, percent signs and underscores match themselves.</summary>
    public static string LikeEscape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
    }
}
