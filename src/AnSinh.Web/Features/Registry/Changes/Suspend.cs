using AnSinh.Core.Registry;
using AnSinh.Web.Features.People;

namespace AnSinh.Web.Features.Registry;

/// <summary>A suspension (Circular 02/2021 Art. 2.3): from the effective month the period continues as suspended, paying nothing.</summary>
public sealed partial class EnrolmentCommands
{
    private static Plan PlanSuspend(Enrolment open, EnrolmentPeriod period, YearMonth effective, ChangeRequest r, string actor) =>
        !period.Active ? RegistryError.Conflict(Hosting.Texts.Get("Registry.Err.AlreadySuspended"))
        : Plan.Of(EnrolmentTimeline.ChangeFrom(period, effective), open.NextPeriod(effective.FirstDay, EnrolmentStatus.Suspended, r.Reason, actor));
}
