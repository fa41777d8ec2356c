using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payroll;

/// <summary>
/// Someone who received nothing in the province's last three months of payment (consecutive), with the evidence: the runs and
/// the outcomes the payer reported. Whether a suspension is already proposed is shown, so nobody proposes it twice.
/// </summary>
public sealed record UncollectedRow(long PersonId, string FullName, string CitizenId, string CommuneCode, string? Hamlet, string[] Months, long[] RunIds,
    string[] Outcomes, long Owed, bool Proposed)
{
    /// <summary>
    /// The month a suspension takes effect: the month after the last one not collected, but no later than next month,
    /// the furthest a change may be dated ahead.
    /// </summary>
    public YearMonth SuspendFrom(YearMonth thisMonth)
    {
        var after = YearMonth.Parse(Months[^1]).AddMonths(1);
        return after < thisMonth.AddMonths(1) ? after : thisMonth.AddMonths(1);
    }
}

/// <summary>
/// Circular 02/2021 Art. 2.3(a): not receiving the allowance for three consecutive months or more is a ground for
/// suspension. The commune officer sees each case with its evidence and proposes the suspension; the decider
/// decides through the registry's usual change, so the decision is recorded like any other.
/// </summary>
public static class Uncollected
{
    public const int MaxListed = 500;

    public static Task<List<UncollectedRow>> ListAsync(AppDbContext db, UserScope scope, string province, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        var commune = scope.Level == ScopeLevel.Commune ? scope.CommuneCode : null;
        return db.Database.SqlQuery<UncollectedRow>($"""
            WITH runs AS (
                -- The province's three latest months with the payer's results: read through their lines, not the whole history.
                SELECT id, month FROM payroll_run WHERE province_code = {province} AND status IN ('sent', 'closed') ORDER BY month DESC LIMIT 3
            ), recent AS (
                SELECT l.person_id, r.month, r.id AS run_id, o.outcome, l.total
                FROM runs r
                JOIN payroll_line l ON l.run_id = r.id AND ({commune}::text IS NULL OR l.commune_code = {commune})
                JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no
            ), three AS (
                SELECT person_id, array_agg(to_char(month, 'YYYY-MM') ORDER BY month) AS months, array_agg(run_id ORDER BY month) AS run_ids,
                       array_agg(outcome ORDER BY month) AS outcomes, (array_agg(total ORDER BY month DESC))[1] AS owed
                FROM recent
                GROUP BY person_id
                HAVING count(*) = 3 AND bool_and(outcome <> 'paid') AND max(month) = (min(month) + interval '2 months')::date
            )
            SELECT t.person_id AS "PersonId", p.full_name AS "FullName", p.citizen_id AS "CitizenId", p.commune_code AS "CommuneCode", p.hamlet AS "Hamlet",
                   t.months AS "Months", t.run_ids AS "RunIds", t.outcomes AS "Outcomes", t.owed AS "Owed",
                   EXISTS (SELECT 1 FROM change_proposal cp WHERE cp.person_id = t.person_id AND cp.status = 'proposed') AS "Proposed"
            FROM three t JOIN person p ON p.id = t.person_id
            WHERE p.death_date IS NULL
              AND EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = t.person_id AND e.status = 'active' AND e.end_month IS NULL AND e.superseded_at IS NULL)
            ORDER BY p.commune_code, p.full_name COLLATE "vi-x-icu", p.id
            LIMIT {MaxListed}
            """).ToListAsync(ct);
    }

    public static async Task<Ok<List<UncollectedRow>>> Get(string provinceCode, AppDbContext db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await ListAsync(db, UserScope.From(http.User), provinceCode, ct));
}
