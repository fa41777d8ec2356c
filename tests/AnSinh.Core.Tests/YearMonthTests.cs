using AnSinh.Core.Time;
using Shouldly;

namespace AnSinh.Core.Tests;

public sealed class YearMonthTests
{
    [Theory]
    [InlineData("2024-07", 2024, 7)]
    [InlineData("2026-12", 2026, 12)]
    [InlineData("1900-01", 1900, 1)]
    public void Parse_ValidText_ReadsYearAndMonth(string text, int year, int month)
    {
        var ym = YearMonth.Parse(text);

        ym.ShouldBe(new YearMonth(year, month));
        ym.ToString().ShouldBe(text);
    }

    [Theory]
    [InlineData("2024-13")]
    [InlineData("2024-00")]
    [InlineData("2024-7")]
    [InlineData("24-07")]
    [InlineData("2024/07")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("+024-07")]
    public void TryParse_InvalidText_IsRefused(string? text) => YearMonth.TryParse(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData(2024, 12, 1, 2025, 1)]
    [InlineData(2024, 1, -1, 2023, 12)]
    [InlineData(2024, 7, 24, 2026, 7)]
    [InlineData(2024, 7, -30, 2022, 1)]
    public void AddMonths_CrossesYears(int y, int m, int add, int ey, int em) =>
        new YearMonth(y, m).AddMonths(add).ShouldBe(new YearMonth(ey, em));

    [Fact]
    public void MonthsSince_And_Ordering_AgreeAcrossYears()
    {
        var jul2024 = new YearMonth(2024, 7);
        var jun2026 = new YearMonth(2026, 6);

        jun2026.MonthsSince(jul2024).ShouldBe(23);
        jul2024.MonthsSince(jun2026).ShouldBe(-23);
        (jul2024 < jun2026).ShouldBeTrue();
        (jun2026 >= jul2024).ShouldBeTrue();
        new[] { jun2026, jul2024 }.Order().First().ShouldBe(jul2024);
    }

    [Fact]
    public void FirstAndLastDay_FollowTheCalendar()
    {
        new YearMonth(2024, 2).LastDay.ShouldBe(new DateOnly(2024, 2, 29));
        new YearMonth(2025, 2).LastDay.ShouldBe(new DateOnly(2025, 2, 28));
        YearMonth.From(new DateOnly(2026, 8, 21)).FirstDay.ShouldBe(new DateOnly(2026, 8, 1));
    }
}
