namespace AnSinh.Core.Registry;

public enum ApplicationStatus
{
    Received,
    Checked,
    Posted,
    Approved,
    Refused,
    Withdrawn,
}

public enum ApplicationAction
{
    Check,
    Post,
    Approve,
    Refuse,
    Withdraw,
}

/// <summary>
/// Application → checks → (public posting, where the province keeps it) → decision. Decree 20/2021 Art. 7–8 and,
/// from 1/7/2025, Decree 147/2025: the commune checks within its deadline and the chairman (approver) decides.
/// The status it returns is what is stored; an illegal step is refused with a reason code the edge words.
/// </summary>
public static class ApplicationWorkflow
{
    /// <summary>The stored codes of the statuses still waiting for a decision.</summary>
    public static readonly IReadOnlyList<string> OpenCodes = [Code(ApplicationStatus.Received), Code(ApplicationStatus.Checked), Code(ApplicationStatus.Posted)];

    public static bool IsFinal(ApplicationStatus s) => s is ApplicationStatus.Approved or ApplicationStatus.Refused or ApplicationStatus.Withdrawn;

    /// <returns>The next status, or the reason the step is not allowed now.</returns>
    public static (ApplicationStatus? Next, Reason? Refusal) Apply(ApplicationStatus current, ApplicationAction action, bool postingRequired, DateOnly today, DateOnly? postingUntil)
    {
        if (IsFinal(current))
        {
            return (null, new Reason("application.final." + Code(current), ""));
        }

        return action switch
        {
            ApplicationAction.Check when current == ApplicationStatus.Received => (ApplicationStatus.Checked, null),
            ApplicationAction.Check => (null, new Reason("application.already_checked", "")),
            ApplicationAction.Post when current != ApplicationStatus.Checked => (null, new Reason("application.post_needs_check", "")),
            ApplicationAction.Post when !postingRequired => (null, new Reason("application.no_posting", "")),
            ApplicationAction.Post => (ApplicationStatus.Posted, null),
            ApplicationAction.Approve when current == ApplicationStatus.Received => (null, new Reason("application.not_checked", "")),
            ApplicationAction.Approve when current == ApplicationStatus.Checked && postingRequired => (null, new Reason("application.needs_posting", "")),
            ApplicationAction.Approve when current == ApplicationStatus.Posted && postingUntil is not null && today <= postingUntil =>
                (null, new Reason("application.posting_running", "", postingUntil.Value)),
            ApplicationAction.Approve => (ApplicationStatus.Approved, null),
            ApplicationAction.Refuse => (ApplicationStatus.Refused, null),
            _ => (ApplicationStatus.Withdrawn, null),
        };
    }

    /// <summary>The actions allowed next, for offering only those.</summary>
    public static IReadOnlyList<ApplicationAction> Allowed(ApplicationStatus current, bool postingRequired, DateOnly today, DateOnly? postingUntil) =>
        [.. Enum.GetValues<ApplicationAction>().Where(a => Apply(current, a, postingRequired, today, postingUntil).Next is not null)];

    /// <summary>The stored code of a status: "received", "checked", …</summary>
    public static string Code(ApplicationStatus s) => s.ToString().ToLowerInvariant();

    public static ApplicationStatus Parse(string code) => Enum.Parse<ApplicationStatus>(code, ignoreCase: true);
}
