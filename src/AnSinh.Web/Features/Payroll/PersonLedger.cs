using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payroll;

/// <summary>One ledger entry of a person: what a run did for one month of one programme, and what became of it.</summary>
public sealed record LedgerEntry(string Month, string Programme, string Kind, long Amount, long Owed, int CoefficientTenths, long Base, string Reason,
    long RunId, string RunMonth, string RunStatus, string ProvinceCode, string? Outcome, DateOnly? PaidOn);

/// <summary>A debt left by a capped recovery in a person's latest run, with its origin.</summary>
public sealed record DebtEntry(string Month, string Programme, long Amount, string Reason, long RunId, string RunMonth);

/// <summary>A person's ledger month by month: every item of every run (drafts included, marked), newest month first.</summary>
public sealed record PersonLedgerView(long PersonId, IReadOnlyList<LedgerEntry> Entries, IReadOnlyList<DebtEntry> Debts);

public static class PersonLedger
{
    public const int MaxEntries = 400;

    /// <returns>Null when the person is not in the user's scope.</returns>
    public static async Task<PersonLedgerView?> ForAsync(AppDbContext db, UserScope scope, long personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (!await db.People.AsNoTracking().WhereInScope(scope).AnyAsync(p => p.Id == personId, ct))
        {
            return null;
        }

        var entries = await db.Database.SqlQuery<LedgerEntry>($"""
            SELECT to_char(i.month, 'YYYY-MM') AS "Month", i.programme AS "Programme", i.kind AS "Kind", i.amount AS "Amount", i.owed AS "Owed",
                   i.coefficient AS "CoefficientTenths", i.base AS "Base", i.reason AS "Reason", r.id AS "RunId", to_char(r.month, 'YYYY-MM') AS "RunMonth",
                   r.status AS "RunStatus", r.province_code AS "ProvinceCode", o.outcome AS "Outcome", o.paid_on AS "PaidOn"
            FROM payroll_item i JOIN payroll_run r ON r.id = i.run_id
            LEFT JOIN payroll_outcome o ON o.run_id = i.run_id AND o.line_no = i.line_no
            WHERE i.person_id = {personId} AND r.status <> 'discarded'
            ORDER BY i.month DESC, r.month DESC, r.id DESC, i.kind
            LIMIT {MaxEntries}
            """).ToListAsync(ct);
        var debts = await db.Database.SqlQuery<DebtEntry>($"""
            SELECT to_char(d.month, 'YYYY-MM') AS "Month", d.programme AS "Programme", d.amount AS "Amount", d.reason AS "Reason", r.id AS "RunId",
                   to_char(r.month, 'YYYY-MM') AS "RunMonth"
            FROM payroll_debt d JOIN payroll_run r ON r.id = d.run_id
            WHERE d.person_id = {personId} AND r.id = (
                -- The debts the person's latest approved run left: each run restates them all.
                SELECT max(x.run_id) FROM (SELECT run_id FROM payroll_line WHERE person_id = {personId}
                                           UNION ALL SELECT run_id FROM payroll_debt WHERE person_id = {personId}) x
                JOIN payroll_run f ON f.id = x.run_id AND f.status IN ('approved', 'sent', 'closed'))
            ORDER BY d.month
            """).ToListAsync(ct);
        return new PersonLedgerView(personId, entries, debts);
    }

    public static async Task<Results<Ok<PersonLedgerView>, ProblemHttpResult>> Get(long personId, AppDbContext db, HttpContext http, CancellationToken ct) =>
        await ForAsync(db, UserScope.From(http.User), personId, ct) is { } view ? TypedResults.Ok(view) : RegistryError.NotFound("person").ToProblem();
}
