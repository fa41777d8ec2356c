using System.Globalization;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Public;

/// <summary>What a citizen sees of themselves: nothing about anyone else, and no more about themselves than this.</summary>
public sealed record SelfCheckView(string FullName, string CommuneName, IReadOnlyList<SelfCheckProgramme> Programmes, long? ThisMonth, string ThisMonthState,
    SelfCheckPayment? Payment, IReadOnlyList<SelfCheckMonth> Months);

public sealed record SelfCheckProgramme(string Programme, string Status);

/// <summary>How the money comes: a point with its days, at home, through a proxy at a point, or a bank and the account's last four digits.</summary>
public sealed record SelfCheckPayment(string Method, string? PointName, string? PointAddress, short? FirstDay, short? LastDay, string? BankName, string? AccountLast4);

/// <summary>One of the last six months: the amount issued and what became of it (paid, not collected, returned, waiting).</summary>
public sealed record SelfCheckMonth(DateOnly Month, long? Amount, string State);

/// <summary>
/// The public self-check: one query by citizen ID and birth date together, so a wrong birth date and an unknown ID
/// take the same path and get the same answer ("no match"); only a match reads more. Every attempt is audited
/// (found or not, never the digits typed).
/// </summary>
public static class SelfCheck
{
    private sealed record Match(long Id, string FullName, string CommuneName, string ProvinceCode);

    public static async Task<SelfCheckView?> FindAsync(AppDbContext db, TimeProvider time, string citizenId, DateOnly birthDate, string client, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var match = await db.Database.SqlQuery<Match>($"""
            SELECT p.id AS "Id", p.full_name AS "FullName", c.name AS "CommuneName", p.province_code AS "ProvinceCode"
            FROM person p JOIN commune c ON c.code = p.commune_code WHERE p.citizen_id = {citizenId} AND p.birth_date = {birthDate}
            """).ToListAsync(ct);
        var now = time.GetUtcNow();
        var found = match.Count == 1 ? match[0] : null;
        await db.AppendAuditAsync("self_check", "person", found?.Id.ToString(CultureInfo.InvariantCulture) ?? "-", found?.ProvinceCode,
            new { found = found is not null, client }, "public", null, now, ct);
        if (found is null)
        {
            return null;
        }

        var month = time.VietnamMonth().FirstDay;
        var programmes = await db.Database.SqlQuery<SelfCheckProgramme>($"""
            SELECT e.programme AS "Programme", CASE WHEN e.end_month IS NOT NULL AND e.end_month < {month} THEN 'stopped' ELSE e.status END AS "Status"
            FROM enrolment e WHERE e.person_id = {found.Id} AND e.superseded_at IS NULL AND e.start_month <= {month}
              AND NOT EXISTS (SELECT 1 FROM enrolment n WHERE n.person_id = e.person_id AND n.programme = e.programme AND n.superseded_at IS NULL AND n.start_month > e.start_month AND n.start_month <= {month})
            ORDER BY e.programme
            """).ToListAsync(ct);
        var months = await db.Database.SqlQuery<SelfCheckMonth>($"""
            SELECT m::date AS "Month", l.total AS "Amount",
                   CASE WHEN l.total IS NULL THEN 'none' WHEN o.outcome IS NULL THEN 'waiting' ELSE o.outcome END AS "State"
            FROM generate_series({month.AddMonths(-5)}::date, {month}::date, interval '1 month') m
            LEFT JOIN payroll_run r ON r.month = m::date AND r.province_code = {found.ProvinceCode} AND r.status IN ('approved', 'sent', 'closed')
            LEFT JOIN payroll_line l ON l.run_id = r.id AND l.person_id = {found.Id}
            LEFT JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no
            ORDER BY m DESC
            """).ToListAsync(ct);
        var payment = await db.Database.SqlQuery<SelfCheckPayment>($"""
            SELECT i.method AS "Method", pt.name AS "PointName", pt.address AS "PointAddress", pt.first_day AS "FirstDay", pt.last_day AS "LastDay",
                   b.short_name AS "BankName", right(i.account_number, 4) AS "AccountLast4"
            FROM payment_instruction i LEFT JOIN payment_point pt ON pt.id = i.payment_point_id LEFT JOIN bank b ON b.bin = i.bank_bin
            WHERE i.person_id = {found.Id} AND i.superseded_at IS NULL AND i.start_month <= {month} AND (i.end_month IS NULL OR i.end_month >= {month})
            ORDER BY i.programme NULLS FIRST LIMIT 1
            """).ToListAsync(ct);
        var current = months.FirstOrDefault(m => m.Month == month);
        return new SelfCheckView(found.FullName, found.CommuneName, programmes, current?.Amount, current?.State ?? "none", payment.FirstOrDefault(), months);
    }
}

/// <summary>
/// Self-check attempts: per client address (every attempt) and per citizen ID (attempts that matched nothing), each
/// within a sliding window. Beyond either, the answer is "try later" whatever was typed, so neither a single address
/// nor many addresses can walk through birth dates for one ID. Held in memory, bounded; per instance (issue 11 shares).
/// </summary>
public sealed class SelfCheckThrottle(TimeProvider time)
{
    public const int MaxPerClient = 20;
    public const int MaxMissesPerId = 5;
    public static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private readonly Security.SlidingWindows _clients = new(time, Window);
    private readonly Security.SlidingWindows _misses = new(time, Window);

    public bool Allows(string client, string citizenId) => _clients.Count(client) < MaxPerClient && _misses.Count(citizenId) < MaxMissesPerId;

    public void Attempted(string client) => _clients.Add(client);

    public void Missed(string citizenId) => _misses.Add(citizenId);
}
