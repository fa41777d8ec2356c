using AnSinh.Core.Registry;

namespace AnSinh.Web.Features.Registry;

/// <summary>A stop (thôi hưởng, Art. 8.2): paid through the month before the effective month, nothing after.</summary>
public sealed partial class EnrolmentCommands
{
    private static Plan PlanStop(EnrolmentPeriod period, YearMonth effective) => Plan.Of(EnrolmentTimeline.StopAfter(period, effective.AddMonths(-1)), null);
}
