using System.Globalization;
using AnSinh.Core.Time;

namespace AnSinh.Core.Rules;

/// <summary>An age as a whole number of months: "16y" is 192, "18m" is 18.</summary>
public readonly record struct AgeSpan(int Months) : IComparable<AgeSpan>
{
    public static AgeSpan Years(int years) => new(checked(years * 12));

    public static AgeSpan Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length >= 2 && int.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n <= 130 * 12)
        {
            switch (text[^1])
            {
                case 'y' when n <= 130:
                    return Years(n);
                case 'm':
                    return new AgeSpan(n);
            }
        }

        throw new FormatException($"'{text}' is not an age such as \"16y\" or \"18m\".");
    }

    public int CompareTo(AgeSpan other) => Months.CompareTo(other.Months);

    /// <summary>Vietnamese: "16 tuổi", "18 tháng tuổi".</summary>
    public string ToDisplay() => Months % 12 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Months / 12} tuổi")
        : string.Create(CultureInfo.InvariantCulture, $"{Months} tháng tuổi");

    public override string ToString() => Months % 12 == 0
        ? string.Create(CultureInfo.InvariantCulture, $"{Months / 12}y")
        : string.Create(CultureInfo.InvariantCulture, $"{Months}m");
}

/// <summary>
/// The age rules, each named once and used everywhere. Ages are counted in whole months, and the month of
/// a birthday counts as reached: someone born on 31/3/1946 is 80 in March 2026.
/// </summary>
public static class AgeRules
{
    /// <summary>The age reached during <paramref name="month"/>, in months (the birthday month counts as reached).</summary>
    public static int MonthsReached(DateOnly birthDate, YearMonth month) => month.MonthsSince(YearMonth.From(birthDate));

    /// <summary>
    /// Gaining a condition (5a at 60, 5b at 75, 5c at 80, the social pension at 75) and moving to another
    /// age band (a k1 child from 2.5 to 1.5 at 4, 5a from 1.5 to 2.0 at 80): in effect from the month in
    /// which the age is reached. Legal basis: Decree 20/2021 Art. 8.1, adjustment "kể từ tháng đối tượng
    /// đủ điều kiện điều chỉnh"; Art. 7 for 5b and 5c from the time of turning 75 and 80.
    /// </summary>
    public static bool HasReached(DateOnly birthDate, YearMonth month, AgeSpan age) => MonthsReached(birthDate, month) >= age.Months;

    /// <summary>
    /// Losing a category by age (a k1 or k3 child at 16, a k7 child at 3, k2 at 22, 5b at 80): paid through
    /// the month in which the limit is reached and stopped from the month after. Legal basis: Decree 20/2021
    /// Art. 8.2, stop "từ tháng tiếp theo" after the person no longer qualifies.
    /// </summary>
    public static bool StillPayableUnder(DateOnly birthDate, YearMonth month, AgeSpan limit) => MonthsReached(birthDate, month) <= limit.Months;

    /// <summary>Whole years reached during the month, for explanations.</summary>
    public static int YearsReached(DateOnly birthDate, YearMonth month) => MonthsReached(birthDate, month) / 12;
}
