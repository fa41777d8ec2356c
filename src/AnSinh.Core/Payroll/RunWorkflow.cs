namespace AnSinh.Core.Payroll;

public enum RunStatus
{
    /// <summary>Queued or being computed in the background; no lines are visible until it finishes.</summary>
    Computing,

    /// <summary>The computation stopped on an error (kept for the officer to read); it may be recomputed or discarded.</summary>
    Failed,

    /// <summary>Computed: communes review and confirm their part; it may be recomputed or discarded.</summary>
    Draft,

    /// <summary>Sent to the approver; recomputing it means returning it to draft first.</summary>
    Submitted,

    /// <summary>Approved by someone other than its preparer: frozen, in the database itself.</summary>
    Approved,

    /// <summary>The list and the money went to the payers.</summary>
    Sent,

    /// <summary>Every line has an outcome.</summary>
    Closed,

    /// <summary>A draft thrown away; its month is free for a new run.</summary>
    Discarded,
}

public enum RunAction
{
    Finish,
    Fail,
    Recompute,
    Submit,
    Return,
    Approve,
    MarkSent,
    Close,
    Discard,
}

/// <summary>
/// A province's monthly run: draft → submitted → approved (four eyes) → sent → closed. The steps and who may not take
/// them live here; the result is what gets stored.
/// </summary>
public static class RunWorkflow
{
    public static (RunStatus? Next, Reason? Refusal) Apply(RunStatus current, RunAction action) => (current, action) switch
    {
        (RunStatus.Computing, RunAction.Finish) => (RunStatus.Draft, null),
        (RunStatus.Computing, RunAction.Fail) => (RunStatus.Failed, null),
        (RunStatus.Draft or RunStatus.Failed, RunAction.Recompute) => (RunStatus.Computing, null),
        (RunStatus.Failed, RunAction.Discard) => (RunStatus.Discarded, null),
        (RunStatus.Draft, RunAction.Submit) => (RunStatus.Submitted, null),
        (RunStatus.Draft, RunAction.Discard) => (RunStatus.Discarded, null),
        (RunStatus.Submitted, RunAction.Return) => (RunStatus.Draft, null),
        (RunStatus.Submitted, RunAction.Approve) => (RunStatus.Approved, null),
        (RunStatus.Approved, RunAction.MarkSent) => (RunStatus.Sent, null),
        (RunStatus.Sent, RunAction.Close) => (RunStatus.Closed, null),
        _ => (null, new Reason("payroll.step_not_allowed", "", Code(action), Code(current))),
    };

    /// <summary>
    /// Four eyes: whoever computed or submitted a run never approves it, whatever their role (an admin included).
    /// </summary>
    public static Reason? CheckApprover(string approver, string preparedBy, string? submittedBy) =>
        string.Equals(approver, preparedBy, StringComparison.OrdinalIgnoreCase) || string.Equals(approver, submittedBy, StringComparison.OrdinalIgnoreCase)
            ? new Reason("payroll.four_eyes", "")
            : null;

    /// <summary>Statuses in which the run's lines are frozen.</summary>
    public static bool IsFrozen(RunStatus s) => s is RunStatus.Approved or RunStatus.Sent or RunStatus.Closed;

    /// <summary>Statuses that hold the province's month: a second run for it is refused.</summary>
    public static bool HoldsMonth(RunStatus s) => s != RunStatus.Discarded;

    public static string Code(RunStatus s) => s.ToString().ToLowerInvariant();

    public static string Code(RunAction a) => a switch
    {
        RunAction.MarkSent => "mark_sent",
        _ => a.ToString().ToLowerInvariant(),
    };

    public static RunStatus Parse(string code) => Enum.Parse<RunStatus>(code, ignoreCase: true);
}

/// <summary>What the payer reports for a line. Anything but paid means the money did not reach the person.</summary>
public static class Outcome
{
    public const string Paid = "paid";
    public const string Unpaid = "unpaid";
    public const string Returned = "returned";

    public static readonly IReadOnlyList<string> All = [Paid, Unpaid, Returned];

    public static bool Received(string outcome) => outcome == Paid;
}

/// <summary>Who took the money for a paid line.</summary>
public static class Receiver
{
    public const string Self = "self";
    public const string Proxy = "proxy";
    public const string Home = "home";

    public static readonly IReadOnlyList<string> All = [Self, Proxy, Home];
}
