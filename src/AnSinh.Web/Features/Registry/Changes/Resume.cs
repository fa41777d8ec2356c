using AnSinh.Core.Registry;
using AnSinh.Web.Features.People;

namespace AnSinh.Web.Features.Registry;

/// <summary>
/// A resumption: active again from the effective month, or with back pay from the suspension's own start, so that
/// the suspended months become payable (the ledger pays them as back pay).
/// </summary>
public sealed partial class EnrolmentCommands
{
    private static Plan PlanResume(Enrolment open, EnrolmentPeriod period, YearMonth effective, ChangeRequest r, string actor)
    {
        if (period.Active)
        {
            return RegistryError.Conflict(Hosting.Texts.Get("Registry.Err.NotSuspended"));
        }

        var from = r.BackPay ? period.Start : effective;
        return Plan.Of(EnrolmentTimeline.ChangeFrom(period, from), open.NextPeriod(from.FirstDay, EnrolmentStatus.Active, r.Reason, actor));
    }
}
