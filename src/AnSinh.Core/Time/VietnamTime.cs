namespace AnSinh.Core.Time;

/// <summary>
/// Business days and months are Vietnam's, whatever the server's zone: a list sent at 01:30 on the 25th in
/// Hà Nội is on time even though the server's UTC clock still says the 24th. Vietnam has kept UTC+7, without
/// daylight saving, since 1975, so a fixed offset is exact and needs no time-zone database on the server.
/// </summary>
public static class VietnamTime
{
    public static readonly TimeSpan Offset = TimeSpan.FromHours(7);

    public static DateTimeOffset VietnamNow(this TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return time.GetUtcNow().ToOffset(Offset);
    }

    public static DateOnly VietnamToday(this TimeProvider time) => DateOnly.FromDateTime(time.VietnamNow().DateTime);

    /// <summary>The day in Vietnam at an instant.</summary>
    public static DateOnly VietnamDate(this DateTimeOffset instant) => DateOnly.FromDateTime(instant.ToOffset(Offset).DateTime);

    public static YearMonth VietnamMonth(this TimeProvider time) => YearMonth.From(time.VietnamToday());
}
