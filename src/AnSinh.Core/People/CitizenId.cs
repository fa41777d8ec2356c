using System.Globalization;

namespace AnSinh.Core.People;

/// <summary>
/// The 12-digit personal identification number (số định danh cá nhân, printed on the CCCD).
/// Digits 1–3: province of birth registration (pre-2025 codes); digit 4: century and sex;
/// digits 5–6: last two digits of the birth year; digits 7–12: a sequence. There is no check
/// digit, so validation is structural plus agreement with the recorded birth year and sex.
/// </summary>
public static class CitizenId
{
    /// <summary>The 63 pre-2025 province codes used in the first three digits (Circular 59/2021/TT-BCA, Annex I).</summary>
    public static readonly IReadOnlySet<string> BirthProvinceCodes = new HashSet<string>(StringComparer.Ordinal)
    {
        "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020", "022",
        "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038", "040", "042",
        "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060", "062", "064", "066",
        "067", "068", "070", "072", "074", "075", "077", "079", "080", "082", "083", "084", "086", "087",
        "089", "091", "092", "093", "094", "095", "096",
    };

    /// <summary>Checks the shape alone: twelve digits and a known province of registration.</summary>
    public static CitizenIdProblem? CheckStructure(string? id)
    {
        if (string.IsNullOrEmpty(id) || id.Length != 12 || !id.All(char.IsAsciiDigit))
        {
            return CitizenIdProblem.NotTwelveDigits;
        }

        return BirthProvinceCodes.Contains(id[..3]) ? null : CitizenIdProblem.UnknownProvince;
    }

    /// <summary>Checks the shape and that digits 4–6 agree with the recorded birth year and sex.</summary>
    public static CitizenIdProblem? Check(string? id, int birthYear, Sex sex)
    {
        var structural = CheckStructure(id);
        if (structural is not null)
        {
            return structural;
        }

        var (year, decodedSex) = DecodeBirth(id!);
        if (year != birthYear)
        {
            return CitizenIdProblem.BirthYearMismatch;
        }

        return decodedSex == sex ? null : CitizenIdProblem.SexMismatch;
    }

    /// <summary>Birth year and sex as encoded in digits 4–6 (digit 4: 0/1 for 1900s, 2/3 for 2000s, …; even male, odd female).</summary>
    public static (int BirthYear, Sex Sex) DecodeBirth(string id)
    {
        var centuryDigit = id[3] - '0';
        var century = 1900 + (centuryDigit / 2 * 100);
        var year = century + int.Parse(id.AsSpan(4, 2), NumberStyles.None, CultureInfo.InvariantCulture);
        return (year, centuryDigit % 2 == 0 ? Sex.Male : Sex.Female);
    }

    /// <summary>Builds a structurally valid number: the inverse of <see cref="DecodeBirth"/>.</summary>
    public static string Compose(string birthProvinceCode, int birthYear, Sex sex, int sequence)
    {
        if (!BirthProvinceCodes.Contains(birthProvinceCode))
        {
            throw new ArgumentException($"Unknown birth-registration province '{birthProvinceCode}'.", nameof(birthProvinceCode));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(birthYear, 1900);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(birthYear, 2399);
        ArgumentOutOfRangeException.ThrowIfNegative(sequence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sequence, 999_999);
        var centuryDigit = ((birthYear - 1900) / 100 * 2) + (sex == Sex.Female ? 1 : 0);
        return string.Create(CultureInfo.InvariantCulture, $"{birthProvinceCode}{centuryDigit}{birthYear % 100:D2}{sequence:D6}");
    }
}

public enum CitizenIdProblem
{
    NotTwelveDigits,
    UnknownProvince,
    BirthYearMismatch,
    SexMismatch,
}
