using AnSinh.Core.Payroll;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payroll;

/// <summary>A step on a run, with the reason where one is asked (returning a run to its preparer).</summary>
public sealed record RunStepRequest(string? Reason);

public sealed partial class PayrollRuns
{
    // Approvals of every province take turns: each checks that nothing approved since its run was computed paid the
    // same people, and that check must not race another approval.
    private const long ApprovalLockKey = 0x7061_7972_6f6c_6c;

    /// <summary>
    /// One step of the workflow. The run is locked for the step; approval also checks four eyes (whoever computed or
    /// submitted the run never approves it, admins included) and that the run is not stale.
    /// </summary>
    public Task<(PayrollRun? Run, RegistryError? Error)> StepAsync(string province, long runId, RunAction action, RunStepRequest? request, string actor, CancellationToken ct) =>
        Database.LostConnection.RetryAsync(db, repeat => StepOnceAsync(province, runId, action, request, actor, repeat, ct), ct);

    /// <summary>A repeat after a lost connection whose commit is unknown: was this step already taken by this person?</summary>
    private static bool AlreadyDone(PayrollRun run, RunAction action, string actor) => action switch
    {
        RunAction.Submit => run.Status == RunWorkflow.Code(RunStatus.Submitted) && run.SubmittedBy == actor,
        RunAction.Approve => run.ApprovedBy == actor,
        RunAction.MarkSent => run.SentBy == actor,
        RunAction.Discard => run.DiscardedBy == actor,
        _ => false,
    };

    private async Task<(PayrollRun? Run, RegistryError? Error)> StepOnceAsync(string province, long runId, RunAction action, RunStepRequest? request, string actor, bool repeat, CancellationToken ct)
    {
        var reason = request?.Reason?.Trim();
        if (action == RunAction.Return && (reason is null || reason.Length is < 5 or > 500))
        {
            return (null, RegistryError.Invalid("Reason", Texts.Get("Payroll.ReturnReasonRequired")));
        }

        await using var tx = await db.TransactionAsync(ct);
        if (action == RunAction.Approve)
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({ApprovalLockKey})", ct);
        }

        var run = await db.PayrollRuns.FromSql($"SELECT * FROM payroll_run WHERE id = {runId} FOR UPDATE").FirstOrDefaultAsync(ct);
        if (run is null || run.ProvinceCode != province)
        {
            return (null, RegistryError.NotFound("payroll_run"));
        }

        var (next, refusal) = RunWorkflow.Apply(run.State, action);
        if (refusal is not null && repeat && AlreadyDone(run, action, actor))
        {
            return (run, null);
        }

        if (refusal is not null)
        {
            return (null, RegistryError.Conflict(Texts.Get("Payroll.StepNotAllowed", Texts.Get("RunAction." + RunWorkflow.Code(action)), Texts.Get("RunStatus." + run.Status))));
        }

        if (await CheckAsync(run, action, actor, ct) is { } error)
        {
            return (null, error);
        }

        var now = time.GetUtcNow();
        switch (action)
        {
            case RunAction.Recompute:
                run.PreparedBy = actor;
                run.PreparedAt = now;
                run.SubmittedBy = null;
                run.SubmittedAt = null;
                break;
            case RunAction.Submit:
                run.SubmittedBy = actor;
                run.SubmittedAt = now;
                run.ReturnedReason = null;
                break;
            case RunAction.Return:
                run.ReturnedReason = reason;
                run.SubmittedBy = null;
                run.SubmittedAt = null;
                break;
            case RunAction.Approve:
                run.ApprovedBy = actor;
                run.ApprovedAt = now;
                break;
            case RunAction.MarkSent:
                run.SentBy = actor;
                run.SentAt = now;
                break;
            case RunAction.Discard:
                run.DiscardedBy = actor;
                break;
        }

        if (action == RunAction.Approve)
        {
            // The dashboards' sums, frozen with the run; written before the run's row is saved, because saving appends
            // its audit row, which holds the audit chain's lock until the commit.
            await Oversight.RunSums.WriteAsync(db, run.Id, ct);
        }

        run.Status = RunWorkflow.Code(next!.Value);
        db.Audit.Reason = reason;
        await db.SaveChangesAsync(ct);

        await tx.CommitAsync(ct);
        if (action == RunAction.Recompute)
        {
            queue.Signal();
        }

        return (run, null);
    }

    private async Task<RegistryError?> CheckAsync(PayrollRun run, RunAction action, string actor, CancellationToken ct)
    {
        switch (action)
        {
            case RunAction.Submit:
                var unconfirmed = await UnconfirmedCommunesAsync(run.Id, ct);
                if (unconfirmed > 0)
                {
                    return RegistryError.Conflict(Texts.Get("Payroll.CommunesUnconfirmed", unconfirmed));
                }

                return run.UnroutedLines > 0 ? RegistryError.Conflict(Texts.Get("Payroll.UnroutedLines", run.UnroutedLines)) : null;
            case RunAction.Approve:
                if (RunWorkflow.CheckApprover(actor, run.PreparedBy, run.SubmittedBy) is { } fourEyes)
                {
                    return RegistryError.Forbidden(Texts.Of(fourEyes));
                }

                var stale = await db.Database.SqlQuery<int>($"""
                    SELECT count(*)::int AS "Value" FROM (
                        SELECT 1 FROM payroll_line l JOIN payroll_run r ON r.id = l.run_id
                        WHERE r.id <> {run.Id} AND r.status IN ('approved', 'sent', 'closed') AND r.approved_at > {run.ComputedAt}
                          AND EXISTS (SELECT 1 FROM payroll_line m WHERE m.run_id = {run.Id} AND m.person_id = l.person_id)
                        UNION ALL
                        SELECT 1 FROM ledger_waiver w WHERE w.waived_at > {run.ComputedAt}
                          AND EXISTS (SELECT 1 FROM payroll_line m WHERE m.run_id = {run.Id} AND m.person_id = w.person_id)
                        LIMIT 1) x
                    """).SingleAsync(ct);
                return stale > 0 ? RegistryError.Conflict(Texts.Get("Payroll.Stale")) : null;
            default:
                return null;
        }
    }

    /// <summary>Communes with lines in the run that have not confirmed their part.</summary>
    private Task<int> UnconfirmedCommunesAsync(long runId, CancellationToken ct) =>
        db.Database.SqlQuery<int>($"""
            SELECT count(DISTINCT l.commune_code)::int AS "Value" FROM payroll_line l
            WHERE l.run_id = {runId} AND NOT EXISTS (SELECT 1 FROM payroll_confirmation c WHERE c.run_id = l.run_id AND c.commune_code = l.commune_code)
            """).SingleAsync(ct);
}
