using AnSinh.Core.Time;

namespace AnSinh.Web.Features.Oversight;

/// <summary>The months a dashboard or report may be asked for: any the registry can hold, up to next month's list.</summary>
public static class OversightMonths
{
    /// <returns>The month typed (yyyy-MM), or null when it is missing, malformed or out of bounds.</returns>
    public static YearMonth? Parse(string? text, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return YearMonth.TryParse(text, out var m) && m >= Registry.RegistryBounds.FirstMonth && m <= time.VietnamMonth().AddMonths(1) ? m : null;
    }
}
