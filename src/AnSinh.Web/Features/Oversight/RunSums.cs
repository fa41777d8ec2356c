using AnSinh.Web.Database;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Oversight;

/// <summary>
/// Each approved run's money per commune and channel, summed once into payroll_run_sum the first time a dashboard
/// needs it. Safe because an approved run's lines are frozen by the database's guards; two dashboards summing the same
/// run at once write the same rows, and the second's are skipped.
/// </summary>
public static class RunSums
{
    /// <param name="province">One province's runs, or null for every province's (the nation's dashboard).</param>
    public static Task EnsureAsync(AppDbContext db, string? province, DateOnly from, DateOnly to, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return db.Database.ExecuteSqlAsync($"""
            INSERT INTO payroll_run_sum (run_id, commune_code, channel, lines, regular, back_pay, carry_over, funeral, recovery, total)
            SELECT l.run_id, l.commune_code, coalesce(l.channel, 'none'), count(*), sum(l.regular), sum(l.back_pay), sum(l.carry_over), sum(l.funeral), sum(l.recovery), sum(l.total)
            FROM payroll_run r JOIN payroll_line l ON l.run_id = r.id
            WHERE ({province}::text IS NULL OR r.province_code = {province}) AND r.status IN ('approved', 'sent', 'closed') AND r.month BETWEEN {from} AND {to}
              AND NOT EXISTS (SELECT 1 FROM payroll_run_sum s WHERE s.run_id = r.id)
            GROUP BY 1, 2, 3
            ON CONFLICT DO NOTHING
            """, ct);
    }
}
