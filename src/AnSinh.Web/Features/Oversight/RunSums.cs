using AnSinh.Web.Database;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Oversight;

/// <summary>
/// An approved run's money per commune and channel (payroll_run_sum) and per commune, programme and category
/// (payroll_run_category_sum, for the summary report), summed once, in the approval's own transaction
/// (`RunSteps`): an approved run's lines are frozen by the database's guards, so the sums never go stale, and the
/// dashboards only read (a read replica can serve them). Runs approved before migration 0020 are summed by 0021.
/// </summary>
public static class RunSums
{
    /// <param name="runId">The run being approved (in the approval's transaction, before its status is saved), or null for every approved run that has no sums yet (the benchmark's runs, approved in SQL).</param>
    public static async Task WriteAsync(AppDbContext db, long? runId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO payroll_run_sum (run_id, commune_code, channel, lines, regular, back_pay, carry_over, funeral, recovery, total)
            SELECT l.run_id, l.commune_code, coalesce(l.channel, 'none'), count(*), sum(l.regular), sum(l.back_pay), sum(l.carry_over), sum(l.funeral), sum(l.recovery), sum(l.total)
            FROM payroll_run r JOIN payroll_line l ON l.run_id = r.id
            WHERE (r.id = {runId} OR ({runId}::bigint IS NULL AND r.status IN ('approved', 'sent', 'closed')))
              AND NOT EXISTS (SELECT 1 FROM payroll_run_sum s WHERE s.run_id = r.id)
            GROUP BY 1, 2, 3
            ON CONFLICT DO NOTHING
            """, ct);

        // By programme and category for the summary report (lines: those with an item in the category).
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO payroll_run_category_sum (run_id, commune_code, programme, category, lines, regular, back_pay, carry_over, funeral, recovery, total)
            SELECT i.run_id, l.commune_code, i.programme, coalesce(i.category, '—'), count(DISTINCT i.line_no),
                   coalesce(sum(i.amount) FILTER (WHERE i.kind = 'regular'), 0), coalesce(sum(i.amount) FILTER (WHERE i.kind = 'back_pay'), 0),
                   coalesce(sum(i.amount) FILTER (WHERE i.kind = 'carry_over'), 0), coalesce(sum(i.amount) FILTER (WHERE i.kind = 'funeral'), 0),
                   coalesce(sum(i.amount) FILTER (WHERE i.kind = 'recovery'), 0), sum(i.amount)
            FROM payroll_run r JOIN payroll_item i ON i.run_id = r.id JOIN payroll_line l ON l.run_id = i.run_id AND l.line_no = i.line_no
            WHERE (r.id = {runId} OR ({runId}::bigint IS NULL AND r.status IN ('approved', 'sent', 'closed')))
              AND NOT EXISTS (SELECT 1 FROM payroll_run_category_sum s WHERE s.run_id = r.id)
            GROUP BY 1, 2, 3, 4
            ON CONFLICT DO NOTHING
            """, ct);
    }
}
