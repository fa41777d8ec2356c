using AnSinh.Core.People;

namespace AnSinh.Core.Payment;

/// <summary>
/// Personal accounts as communes collect them (Official Dispatch 5234/LĐTBXH-TTTT): the number as printed on a
/// card or passbook, with spaces, dots or dashes, is stored as its digits; the holder must be the beneficiary
/// or their registered proxy, compared without diacritics or case, as banks print names in capitals without them.
/// </summary>
public static class BankAccounts
{
    public const int MinDigits = 6;
    public const int MaxDigits = 19;

    public static (string? Digits, Reason? Problem) Normalise(string? input, string field = "AccountNumber")
    {
        var digits = new string((input ?? "").Where(c => c is not (' ' or '.' or '-' or '\u00A0')).ToArray());
        if (digits.Length == 0)
        {
            return (null, new Reason("account.required", field));
        }

        if (!digits.All(char.IsAsciiDigit) || digits.Length is < MinDigits or > MaxDigits)
        {
            return (null, new Reason("account.digits", field, MinDigits, MaxDigits));
        }

        return (digits, null);
    }

    public static bool HolderIsOneOf(string holder, IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return !string.IsNullOrWhiteSpace(holder) && names.Any(n => NameFold.Same(holder, n));
    }
}
