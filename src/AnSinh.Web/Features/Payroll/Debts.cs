using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payroll;

/// <summary>
/// Money still to be recovered from a person, month by month, as the person's latest approved run left it. For
/// collection: the person died or has no paid period left, so nothing can be deducted from a later payment.
/// </summary>
public sealed record DebtRow(long PersonId, string FullName, string CommuneCode, string Programme, string Month, long Amount, string Reason, long RunId, bool ForCollection);

/// <summary>An approver forgoes a debt: the month, the programme and why (recorded and audited).</summary>
public sealed record WaiveRequest(long PersonId, string? Programme, string? Month, string? Reason);

public static class Debts
{
    public const int MaxListed = 500;

    public static Task<List<DebtRow>> ListAsync(AppDbContext db, UserScope scope, string province, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        var commune = scope.Level == ScopeLevel.Commune ? scope.CommuneCode : null;
        return db.Database.SqlQuery<DebtRow>($"""
            WITH owing AS (SELECT DISTINCT d.person_id FROM payroll_debt d JOIN payroll_run r ON r.id = d.run_id
                           WHERE r.province_code = {province} AND r.status IN ('approved', 'sent', 'closed')),
            latest AS (
                SELECT o.person_id, (SELECT r.id FROM payroll_run r
                                     WHERE r.status IN ('approved', 'sent', 'closed')
                                       AND (EXISTS (SELECT 1 FROM payroll_line l WHERE l.run_id = r.id AND l.person_id = o.person_id)
                                            OR EXISTS (SELECT 1 FROM payroll_debt x WHERE x.run_id = r.id AND x.person_id = o.person_id))
                                     ORDER BY r.month DESC, r.id DESC LIMIT 1) AS run_id
                FROM owing o)
            SELECT d.person_id AS "PersonId", p.full_name AS "FullName", d.commune_code AS "CommuneCode", d.programme AS "Programme",
                   to_char(d.month, 'YYYY-MM') AS "Month", d.amount AS "Amount", d.reason AS "Reason", d.run_id AS "RunId",
                   (p.death_date IS NOT NULL OR NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = d.person_id AND e.status = 'active'
                                                            AND e.superseded_at IS NULL AND e.end_month IS NULL)) AS "ForCollection"
            FROM latest l JOIN payroll_debt d ON d.run_id = l.run_id AND d.person_id = l.person_id
            JOIN payroll_run r ON r.id = d.run_id JOIN person p ON p.id = d.person_id
            WHERE ({commune}::text IS NULL OR d.commune_code = {commune})
              AND NOT EXISTS (SELECT 1 FROM ledger_waiver w WHERE w.person_id = d.person_id AND w.programme = d.programme AND w.month = d.month AND w.waived_at >= r.approved_at)
            ORDER BY "ForCollection" DESC, p.full_name, d.month
            LIMIT {MaxListed}
            """).ToListAsync(ct);
    }

    /// <summary>Waives one month's debt, for the amount the latest approved run left; the next run sees the month settled.</summary>
    public static async Task<(LedgerWaiver? Waiver, RegistryError? Error)> WaiveAsync(AppDbContext db, UserScope scope, string province, WaiveRequest r, string actor,
        TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(r);
        var reason = Core.People.FreeText.Clean(r.Reason);
        if (reason is null || reason.Length is < 5 or > 500)
        {
            return (null, RegistryError.Invalid("Reason", Texts.Get("Debts.ReasonRequired")));
        }

        var debt = (await ListAsync(db, scope, province, ct)).FirstOrDefault(d => d.PersonId == r.PersonId && d.Programme == r.Programme && d.Month == r.Month);
        if (debt is null)
        {
            return (null, RegistryError.NotFound("debt"));
        }

        var waiver = new LedgerWaiver
        {
            PersonId = debt.PersonId, ProvinceCode = province, Programme = debt.Programme, Month = YearMonth.Parse(debt.Month).FirstDay, Amount = debt.Amount,
            Reason = reason, WaivedBy = actor, WaivedAt = time.GetUtcNow(),
        };
        db.LedgerWaivers.Add(waiver);
        db.Audit.Reason = reason;
        await db.SaveChangesAsync(ct);
        return (waiver, null);
    }

    public static async Task<Ok<List<DebtRow>>> Get(string provinceCode, AppDbContext db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await ListAsync(db, UserScope.From(http.User), provinceCode, ct));

    public static async Task<Results<Ok<LedgerWaiver>, ProblemHttpResult>> Waive(string provinceCode, WaiveRequest r, AppDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var (waiver, error) = await WaiveAsync(db, UserScope.From(http.User), provinceCode, r, http.User.Identity?.Name ?? "?", time, ct);
        return error is null ? TypedResults.Ok(waiver!) : error.ToTyped<Ok<LedgerWaiver>>();
    }
}
