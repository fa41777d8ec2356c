namespace AnSinh.Web.Tests.Support;

/// <summary>
/// The tests' clock: pinned, movable, and in UTC like a server abroad. The default instant is 18:30 UTC on
/// 20/11/2026, already 01:30 on 21/11/2026 in Vietnam, so any "today" taken in the server's zone shows up as
/// a day off.
/// </summary>
public sealed class FakeClock(DateTimeOffset utcNow) : TimeProvider
{
    public static readonly DateTimeOffset Default = new(2026, 11, 20, 18, 30, 0, TimeSpan.Zero);

    /// <summary>Vietnam's day at <see cref="Default"/>: Saturday 21/11/2026.</summary>
    public static readonly DateOnly VietnamToday = new(2026, 11, 21);

    public FakeClock()
        : this(Default)
    {
    }

    public DateTimeOffset UtcNow { get; set; } = utcNow;

    public override DateTimeOffset GetUtcNow() => UtcNow;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by) => UtcNow += by;
}
