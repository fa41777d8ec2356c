using AnSinh.Core.Payroll;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payroll;

public sealed partial class PayrollRuns
{
    /// <summary>
    /// A commune's officer (or the province's) confirms the commune's part of a draft: its people and amounts are
    /// right. Recomputing the run clears every confirmation, since the lines may have changed.
    /// </summary>
    public async Task<(PayrollConfirmation? Confirmation, RegistryError? Error)> ConfirmAsync(UserScope scope, string province, long runId, string commune, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        await using var tx = await db.TransactionAsync(ct);
        var run = await db.PayrollRuns.FromSql($"SELECT * FROM payroll_run WHERE id = {runId} FOR SHARE").AsNoTracking().FirstOrDefaultAsync(ct);
        if (run is null || run.ProvinceCode != province || !scope.Covers(province, commune))
        {
            return (null, RegistryError.NotFound("payroll_run"));
        }

        if (run.State != RunStatus.Draft)
        {
            return (null, RegistryError.Conflict(Texts.Get("Payroll.ConfirmOnlyDraft")));
        }

        var hasLines = await db.Database.SqlQuery<bool>($"""SELECT EXISTS (SELECT 1 FROM payroll_line WHERE run_id = {runId} AND commune_code = {commune}) AS "Value" """).SingleAsync(ct);
        if (!hasLines)
        {
            return (null, RegistryError.NotFound("payroll_commune"));
        }

        var existing = await db.PayrollConfirmations.AsNoTracking().FirstOrDefaultAsync(c => c.RunId == runId && c.CommuneCode == commune, ct);
        if (existing is not null)
        {
            return (existing, null);
        }

        var confirmation = new PayrollConfirmation { RunId = runId, CommuneCode = commune, ConfirmedBy = actor, ConfirmedAt = time.GetUtcNow(), ProvinceCode = province };
        db.PayrollConfirmations.Add(confirmation);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (confirmation, null);
    }
}
