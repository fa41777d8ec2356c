using System.Globalization;

namespace AnSinh.Web.Hosting;

/// <summary>
/// The clock pinned by the setting <c>Clock:FixedUtc</c> (an ISO 8601 instant), for demos and browser tests
/// that must not depend on the real date; without it, the system clock. The server's zone never matters:
/// business dates come from <see cref="VietnamTime"/>.
/// </summary>
public sealed class FixedClock(DateTimeOffset utcNow) : TimeProvider
{
    public const string Setting = "Clock:FixedUtc";

    public override DateTimeOffset GetUtcNow() => utcNow;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public static TimeProvider FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var value = configuration[Setting];
        if (string.IsNullOrWhiteSpace(value))
        {
            return System;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? new FixedClock(at.ToUniversalTime())
            : throw new ArgumentException($"{Setting} must be an ISO 8601 instant, e.g. 2026-11-20T18:30:00Z.");
    }
}
