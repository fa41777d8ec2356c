using AnSinh.Core.Money;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;
using Shouldly;

namespace AnSinh.Core.Tests.Rules;

public sealed class AgeRulesTests
{
    [Theory]
    [InlineData("2022-06-30", "2026-05", 47)]
    [InlineData("2022-06-30", "2026-06", 48)] // the birthday month counts as reached, whatever the day
    [InlineData("2022-06-01", "2026-06", 48)]
    [InlineData("2024-02-29", "2025-02", 12)] // born on 29 February: a year old in February
    [InlineData("2024-07-31", "2024-07", 0)]
    public void MonthsReached_CountsTheBirthdayMonth(string birth, string month, int expected) =>
        AgeRules.MonthsReached(DateOnly.Parse(birth, System.Globalization.CultureInfo.InvariantCulture), YearMonth.Parse(month)).ShouldBe(expected);

    [Fact]
    public void GainAndLossBoundaries_AreOneMonthApart()
    {
        var birth = new DateOnly(2010, 5, 20);
        var sixteen = AgeSpan.Years(16);

        AgeRules.HasReached(birth, YearMonth.Parse("2026-04"), sixteen).ShouldBeFalse();
        AgeRules.HasReached(birth, YearMonth.Parse("2026-05"), sixteen).ShouldBeTrue();          // gained in the birthday month
        AgeRules.StillPayableUnder(birth, YearMonth.Parse("2026-05"), sixteen).ShouldBeTrue();   // still paid in it
        AgeRules.StillPayableUnder(birth, YearMonth.Parse("2026-06"), sixteen).ShouldBeFalse();  // stopped from the month after
    }

    [Theory]
    [InlineData("16y", 192)]
    [InlineData("18m", 18)]
    [InlineData("0y", 0)]
    public void AgeSpan_Parse(string text, int months) => AgeSpan.Parse(text).Months.ShouldBe(months);

    [Theory]
    [InlineData("16")]
    [InlineData("y")]
    [InlineData("16d")]
    [InlineData("-1y")]
    [InlineData("200y")]
    public void AgeSpan_ParseInvalid_Throws(string text) => Should.Throw<FormatException>(() => AgeSpan.Parse(text));

    [Theory]
    [InlineData(500_000, 15, 750_000)]
    [InlineData(540_000, 25, 1_350_000)]
    [InlineData(1, 5, 1)]        // 0.5 rounds up
    [InlineData(3, 15, 5)]       // 4.5 rounds up
    [InlineData(7, 13, 9)]       // 9.1 rounds down
    public void Rounding_BaseTimesCoefficient_HalfUpToTheDong(long @base, int tenths, long expected) =>
        Rounding.BaseTimesCoefficient(new Dong(@base), new Coefficient(tenths)).ShouldBe(new Dong(expected));

    [Fact]
    public void Rounding_Overflow_Throws() =>
        Should.Throw<OverflowException>(() => Rounding.BaseTimesCoefficient(new Dong(long.MaxValue / 10), new Coefficient(100)));

    [Theory]
    [InlineData("1.5", 15)]
    [InlineData("10", 100)]
    [InlineData("0.1", 1)]
    public void Coefficient_FromDecimal_IsExact(string value, int tenths) =>
        Coefficient.FromDecimal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)).Tenths.ShouldBe(tenths);

    [Theory]
    [InlineData("1.55")]
    [InlineData("0")]
    [InlineData("-1.5")]
    [InlineData("10.1")]
    public void Coefficient_FromDecimal_RefusesWhatTheDecreesCannotSay(string value) =>
        Should.Throw<ArgumentOutOfRangeException>(() => Coefficient.FromDecimal(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture)));
}
