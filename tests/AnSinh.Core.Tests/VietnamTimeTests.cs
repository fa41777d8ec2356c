using AnSinh.Core.Time;
using Shouldly;

namespace AnSinh.Core.Tests;

public sealed class VietnamTimeTests
{
    private sealed class At(DateTimeOffset utc) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => utc;

        public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;
    }

    [Theory]
    [InlineData("2026-11-20T16:59:59Z", "2026-11-20")] // 23:59:59 in Hà Nội
    [InlineData("2026-11-20T17:00:00Z", "2026-11-21")] // midnight in Hà Nội, still the 20th in UTC
    [InlineData("2026-12-31T17:30:00Z", "2027-01-01")] // a new year in Vietnam first
    public void VietnamToday_ServerInUtc_IsVietnamsDay(string utc, string expected)
    {
        var time = new At(DateTimeOffset.Parse(utc, System.Globalization.CultureInfo.InvariantCulture));

        time.VietnamToday().ShouldBe(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void VietnamMonth_LastEveningOfTheMonthInUtc_IsNextMonth()
    {
        var time = new At(new DateTimeOffset(2026, 11, 30, 18, 0, 0, TimeSpan.Zero));

        time.VietnamMonth().ShouldBe(new YearMonth(2026, 12));
    }
}
