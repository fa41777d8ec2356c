using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payroll;

/// <summary>Why a person's line differs from the previous run: they joined or left, or the first of what changed on the line.</summary>
public sealed record DiffRow(long PersonId, string FullName, string CommuneCode, string Reason, long Before, long After);

/// <summary>People and money by reason of change.</summary>
public sealed record DiffReason(string Reason, int People, long Change);

/// <summary>A run against the province's previous approved run: who joined, who left, whose amount changed and why.</summary>
public sealed record RunDiffView(long? PreviousRunId, string? PreviousMonth, long PreviousTotal, long Total, IReadOnlyList<DiffReason> ByReason, IReadOnlyList<DiffRow> Rows);

/// <summary>
/// The increases and decreases (tăng, giảm) the payer and the approver look at: lines compared person by person with
/// the previous approved run. The reason is the first that applies, in this order: joined, left, funeral, recovery,
/// back pay, carry-over, a change of category, any other change of the month's amount (a base, an age band).
/// </summary>
public static class RunDiff
{
    public const int MaxRows = 300;

    public static readonly IReadOnlyList<string> Reasons = ["joined", "left", "funeral", "recovery", "back_pay", "carry_over", "category", "amount"];

    public static async Task<RunDiffView> ForAsync(AppDbContext db, PayrollRun run, UserScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(scope);
        var previous = await db.PayrollRuns.AsNoTracking()
            .Where(r => r.ProvinceCode == run.ProvinceCode && r.Month < run.Month && (r.Status == "approved" || r.Status == "sent" || r.Status == "closed"))
            .OrderByDescending(r => r.Month).FirstOrDefaultAsync(ct);
        var prevId = previous?.Id ?? 0;
        var commune = scope.Level == ScopeLevel.Commune ? scope.CommuneCode : null;
        const string Compared = """
            WITH cur AS (SELECT * FROM payroll_line WHERE run_id = @cur AND (@commune::text IS NULL OR commune_code = @commune)),
                 prev AS (SELECT * FROM payroll_line WHERE run_id = @prev AND (@commune::text IS NULL OR commune_code = @commune)),
                 compared AS (
                SELECT coalesce(c.person_id, p.person_id) AS person_id, coalesce(c.commune_code, p.commune_code) AS commune_code,
                       coalesce(p.total, 0) AS before, coalesce(c.total, 0) AS after,
                       CASE WHEN p.person_id IS NULL THEN 'joined' WHEN c.person_id IS NULL THEN 'left'
                            WHEN c.funeral <> 0 THEN 'funeral' WHEN c.recovery <> 0 THEN 'recovery' WHEN c.back_pay <> 0 THEN 'back_pay'
                            WHEN c.carry_over <> 0 THEN 'carry_over' WHEN c.category IS DISTINCT FROM p.category THEN 'category' ELSE 'amount' END AS reason
                FROM cur c FULL JOIN prev p ON p.person_id = c.person_id
                WHERE c.total IS DISTINCT FROM p.total)
            """;
        object[] args =
        [
            new Npgsql.NpgsqlParameter("cur", run.Id), new Npgsql.NpgsqlParameter("prev", prevId),
            new Npgsql.NpgsqlParameter("commune", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)commune ?? DBNull.Value },
        ];
        var byReason = await db.Database.SqlQueryRaw<DiffReason>(Compared + """
            SELECT reason AS "Reason", count(*)::int AS "People", sum(after - before)::bigint AS "Change" FROM compared GROUP BY reason
            """, args).ToListAsync(ct);
        var rows = await db.Database.SqlQueryRaw<DiffRow>(Compared + """
            SELECT x.person_id AS "PersonId", pe.full_name AS "FullName", x.commune_code AS "CommuneCode", x.reason AS "Reason", x.before AS "Before", x.after AS "After"
            FROM compared x JOIN person pe ON pe.id = x.person_id
            ORDER BY abs(x.after - x.before) DESC, x.person_id LIMIT @limit
            """, [.. args.Select(a => (object)((Npgsql.NpgsqlParameter)a).Clone()), new Npgsql.NpgsqlParameter("limit", MaxRows)]).ToListAsync(ct);
        return new RunDiffView(previous?.Id, previous?.RunMonth.ToString(), previous?.Total ?? 0, run.Total,
            [.. byReason.OrderBy(r => Reasons.ToList().IndexOf(r.Reason))], rows);
    }
}
