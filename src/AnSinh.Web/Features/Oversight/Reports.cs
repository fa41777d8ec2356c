using System.Globalization;
using System.Runtime.CompilerServices;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Features.Oversight;

public enum ColumnKind
{
    Text,
    Count,
    Money,
}

/// <param name="Words">For a text column of codes, the prefix of their words among the resources (else "Report.Code.").</param>
public sealed record ReportColumn(string Key, ColumnKind Kind, string? Words = null);

/// <summary>One row: the person it is about (for the link), its cells in the columns' order.</summary>
public sealed record ReportRow(long? PersonId, object?[] Cells);

/// <summary>How a report's total row is made: none, the sum of its rows, or by the query itself (distinct counts do not add up).</summary>
public enum TotalKind
{
    None,
    Sum,
    InQuery,
}

/// <summary>What a report is: its columns, how it is totalled, which Decree 20 form it serves, and its SQL ($1 province, $2 commune or null, $3 first month, $4 last month, $5 today).</summary>
public sealed record ReportDefinition(string Key, string? Form, bool Period, TotalKind Totals, IReadOnlyList<ReportColumn> Columns, string Sql);

/// <summary>Which report, for which province (and commune), over which months.</summary>
/// <param name="Today">Vietnam's date when it is read (what is overdue is judged against it).</param>
public sealed record ReportQuery(string Province, string? Commune, YearMonth From, YearMonth To, DateOnly Today);

/// <summary>A report as read: the rows shown (at most <see cref="Reports.MaxShown"/>), the total row, and whether rows were left out.</summary>
public sealed record ReportResult(string Report, string? Form, string Province, string? Commune, string From, string To, IReadOnlyList<string> Columns,
    IReadOnlyList<ReportRow> Rows, ReportRow? Total, bool Truncated);

/// <summary>
/// The standard reports, each one set-based query over the payroll ledger (approved, sent and closed runs) or the
/// registry, streamed row by row to the page, the print view and the workbook. Every money figure is a sum of the
/// runs' own lines and items, so a report's total is the runs' total (tested on a province).
/// </summary>
public static class Reports
{
    /// <summary>Rows shown on screen and printed; the workbook has them all.</summary>
    public const int MaxShown = 2000;

    /// <summary>Months a period may span.</summary>
    public const int MaxMonths = 24;

    private const string Runs = "SELECT id, month FROM payroll_run WHERE province_code = $1 AND status IN ('approved', 'sent', 'closed') AND month BETWEEN $3 AND $4";

    private static ReportColumn T(string k, string? words = null) => new(k, ColumnKind.Text, words);

    private static ReportColumn C(string k) => new(k, ColumnKind.Count);

    private static ReportColumn M(string k) => new(k, ColumnKind.Money);

    public static readonly IReadOnlyList<ReportDefinition> All =
    [
        // Decree 20 Art. 36 asks for results on forms 10a–10d, whose columns domain.md could not find (L): this is our
        // layout of what they report, beneficiaries and money by category, and says so on the page.
        new("summary", "10a–10d", true, TotalKind.InQuery,
            [T("Report.Col.Programme"), T("Report.Col.Category"), C("Report.Col.People"), C("Report.Col.Lines"), M("Report.Col.Regular"), M("Report.Col.BackPay"),
             M("Report.Col.CarryOver"), M("Report.Col.Funeral"), M("Report.Col.Recovery"), M("Report.Col.Total")],
            $"""
            WITH runs AS ({Runs}),
            money AS (SELECT s.programme, s.category, sum(s.lines) AS lines, sum(s.regular) AS regular, sum(s.back_pay) AS back_pay, sum(s.carry_over) AS carry_over,
                             sum(s.funeral) AS funeral, sum(s.recovery) AS recovery, sum(s.total) AS total
                      FROM runs r JOIN payroll_run_category_sum s ON s.run_id = r.id WHERE ($2::text IS NULL OR s.commune_code = $2)
                      GROUP BY GROUPING SETS ((s.programme, s.category), ())),
            people AS (SELECT i.programme, coalesce(i.category, '—') AS category, count(DISTINCT i.person_id) AS people
                       FROM runs r JOIN payroll_item i ON i.run_id = r.id
                       WHERE ($2::text IS NULL OR EXISTS (SELECT 1 FROM payroll_line l WHERE l.run_id = i.run_id AND l.line_no = i.line_no AND l.commune_code = $2))
                       GROUP BY GROUPING SETS ((i.programme, coalesce(i.category, '—')), ())),
            all_lines AS (SELECT sum(s.lines) AS lines FROM runs r JOIN payroll_run_sum s ON s.run_id = r.id WHERE ($2::text IS NULL OR s.commune_code = $2))
            SELECT NULL::bigint, m.programme, m.category, coalesce(p.people, 0),
                   coalesce(CASE WHEN m.programme IS NULL THEN (SELECT lines FROM all_lines) ELSE m.lines END, 0),
                   coalesce(m.regular, 0), coalesce(m.back_pay, 0), coalesce(m.carry_over, 0), coalesce(m.funeral, 0), coalesce(m.recovery, 0), coalesce(m.total, 0)
            FROM money m LEFT JOIN people p ON p.programme IS NOT DISTINCT FROM m.programme AND p.category IS NOT DISTINCT FROM m.category
            ORDER BY m.programme IS NULL, 2, 3
            """),

        // Increases and decreases: who is on the month's list and was not on the previous month's, and the reverse, with
        // what the registry says of them in the month.
        new("changes", null, false, TotalKind.None,
            [T("Report.Col.Change"), T("Registry.Name"), T("Registry.Commune"), T("Report.Col.Category"), M("Report.Col.Total"), T("Report.Col.Reason")],
            """
            WITH a AS (SELECT l.* FROM payroll_line l WHERE l.run_id = (SELECT max(id) FROM payroll_run WHERE province_code = $1 AND status IN ('approved', 'sent', 'closed') AND month = $4)),
            b AS (SELECT l.* FROM payroll_line l WHERE l.run_id = (SELECT max(id) FROM payroll_run WHERE province_code = $1 AND status IN ('approved', 'sent', 'closed') AND month = ($4::date - interval '1 month')::date)),
            moves AS (
                SELECT 'increase' AS change, a.person_id, a.commune_code, a.category, a.total FROM a WHERE NOT EXISTS (SELECT 1 FROM b WHERE b.person_id = a.person_id)
                UNION ALL
                SELECT 'decrease', b.person_id, b.commune_code, b.category, b.total FROM b WHERE NOT EXISTS (SELECT 1 FROM a WHERE a.person_id = b.person_id))
            SELECT m.person_id, m.change, p.full_name, c.name, coalesce(m.category, '—'), m.total,
                   CASE WHEN p.death_date IS NOT NULL AND m.change = 'decrease' THEN 'death'
                        ELSE coalesce((SELECT CASE WHEN e.status = 'suspended' THEN 'suspended' WHEN e.end_month IS NOT NULL AND e.end_month < $4 THEN 'stopped'
                                                   WHEN e.start_month = $4 OR e.start_month = ($4::date - interval '1 month')::date THEN 'started' ELSE e.status END
                                       || coalesce(': ' || e.change_reason, '')
                                       FROM enrolment e WHERE e.person_id = m.person_id AND e.superseded_at IS NULL AND e.start_month <= $4
                                       ORDER BY e.start_month DESC LIMIT 1), 'none') END
            FROM moves m JOIN person p ON p.id = m.person_id JOIN commune c ON c.code = m.commune_code
            WHERE ($2::text IS NULL OR m.commune_code = $2)
            ORDER BY m.change DESC, c.name, p.full_name
            """),

        // Health-insurance cards (Decree 20 Art. 9): everyone paid a monthly social-assistance allowance in the month; those
        // new to the list since the month before are marked, since their cards are the ones to issue.
        new("health_insurance", null, false, TotalKind.None,
            [T("Registry.Name"), T("Report.Col.CitizenId"), T("Report.Col.BirthDate"), T("Registry.Commune"), T("Report.Col.Hamlet"), T("Report.Col.Category"), T("Report.Col.New")],
            """
            WITH b AS (SELECT x.person_id FROM payroll_line x WHERE x.run_id = (SELECT max(id) FROM payroll_run WHERE province_code = $1 AND status IN ('approved', 'sent', 'closed') AND month = ($4::date - interval '1 month')::date))
            SELECT p.id, p.full_name, p.citizen_id, to_char(p.birth_date, 'DD/MM/YYYY'), c.name, coalesce(p.hamlet, ''), coalesce(l.category, '—'),
                   CASE WHEN EXISTS (SELECT 1 FROM b WHERE b.person_id = l.person_id) THEN '' ELSE '✓' END
            FROM payroll_line l JOIN person p ON p.id = l.person_id JOIN commune c ON c.code = l.commune_code
            WHERE l.run_id = (SELECT max(id) FROM payroll_run WHERE province_code = $1 AND status IN ('approved', 'sent', 'closed') AND month = $4) AND l.regular > 0 AND EXISTS (SELECT 1 FROM payroll_item i WHERE i.run_id = l.run_id AND i.line_no = l.line_no AND i.programme = 'social_assistance' AND i.kind = 'regular')
              AND ($2::text IS NULL OR l.commune_code = $2)
            ORDER BY c.name, p.full_name
            """),

        // Back pay and recoveries over the period, line by line, with the months they cover.
        new("back_pay", null, true, TotalKind.Sum,
            [T("Report.Col.Month"), T("Registry.Name"), T("Registry.Commune"), T("Report.Col.Covers"), M("Report.Col.BackPay"), M("Report.Col.Recovery")],
            $"""
            WITH runs AS ({Runs})
            SELECT l.person_id, to_char(r.month, 'MM/YYYY'), p.full_name, c.name,
                   (SELECT to_char(min(i.month), 'MM/YYYY') || '–' || to_char(max(i.month), 'MM/YYYY') FROM payroll_item i
                    WHERE i.run_id = l.run_id AND i.line_no = l.line_no AND i.kind IN ('back_pay', 'recovery')),
                   l.back_pay, l.recovery
            FROM runs r JOIN payroll_line l ON l.run_id = r.id JOIN person p ON p.id = l.person_id JOIN commune c ON c.code = l.commune_code
            WHERE (l.back_pay > 0 OR l.recovery < 0) AND ($2::text IS NULL OR l.commune_code = $2)
            ORDER BY r.month, c.name, p.full_name
            """),

        // Debts outstanding as each person's latest approved run left them (waived months excluded).
        new("debts", null, false, TotalKind.Sum,
            [T("Registry.Name"), T("Registry.Commune"), T("Report.Col.Programme"), T("Report.Col.Month"), M("Report.Col.Debt"), T("Report.Col.Reason")],
            """
            WITH owing AS (SELECT DISTINCT d.person_id FROM payroll_debt d JOIN payroll_run r ON r.id = d.run_id
                           WHERE r.province_code = $1 AND r.status IN ('approved', 'sent', 'closed') AND r.month <= $4),
            latest AS (SELECT o.person_id, (SELECT r.id FROM payroll_run r WHERE r.province_code = $1 AND r.status IN ('approved', 'sent', 'closed') AND r.month <= $4
                                              AND (EXISTS (SELECT 1 FROM payroll_line l WHERE l.run_id = r.id AND l.person_id = o.person_id)
                                                   OR EXISTS (SELECT 1 FROM payroll_debt x WHERE x.run_id = r.id AND x.person_id = o.person_id))
                                            ORDER BY r.month DESC, r.id DESC LIMIT 1) AS run_id FROM owing o)
            SELECT d.person_id, p.full_name, c.name, d.programme, to_char(d.month, 'MM/YYYY'), d.amount, d.reason
            FROM latest l JOIN payroll_debt d ON d.run_id = l.run_id AND d.person_id = l.person_id JOIN payroll_run r ON r.id = d.run_id
            JOIN person p ON p.id = d.person_id JOIN commune c ON c.code = d.commune_code
            WHERE ($2::text IS NULL OR d.commune_code = $2)
              AND NOT EXISTS (SELECT 1 FROM ledger_waiver w WHERE w.person_id = d.person_id AND w.programme = d.programme AND w.month = d.month AND w.waived_at >= r.approved_at)
            ORDER BY c.name, p.full_name, d.month
            """),

        // For outreach: who on the month's list is paid in cash (at a point, at home, through a proxy), with how.
        new("no_bank", null, false, TotalKind.Sum,
            [T("Registry.Name"), T("Registry.Commune"), T("Report.Col.Hamlet"), T("Report.Col.Channel"), T("Report.Col.BirthDate"), M("Report.Col.Total")],
            """
            SELECT p.id, p.full_name, c.name, coalesce(p.hamlet, ''), coalesce(l.channel, 'none'), to_char(p.birth_date, 'DD/MM/YYYY'), l.total
            FROM payroll_line l JOIN person p ON p.id = l.person_id JOIN commune c ON c.code = l.commune_code
            WHERE l.run_id = (SELECT max(id) FROM payroll_run WHERE province_code = $1 AND status IN ('approved', 'sent', 'closed') AND month = $4) AND l.channel IS DISTINCT FROM 'bank' AND ($2::text IS NULL OR l.commune_code = $2)
            ORDER BY c.name, coalesce(p.hamlet, ''), p.full_name
            """),

        // Not collecting: issued and not paid in each of the last two months or more running, up to the month.
        new("not_collecting", null, false, TotalKind.Sum,
            [T("Registry.Name"), T("Registry.Commune"), T("Report.Col.Hamlet"), C("Report.Col.Months"), T("Report.Col.Since"), M("Report.Col.Unpaid")],
            """
            WITH runs AS (SELECT id, month, row_number() OVER (ORDER BY month DESC) AS k FROM payroll_run
                          WHERE province_code = $1 AND status IN ('approved', 'sent', 'closed') AND month <= $4 AND month > ($4::date - interval '12 months')),
            marks AS (SELECT l.person_id, l.commune_code, r.k, r.month, l.total, (o.outcome IS NOT NULL AND o.outcome <> 'paid') AS missed
                      FROM runs r JOIN payroll_line l ON l.run_id = r.id LEFT JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no),
            streak AS (SELECT person_id, min(commune_code) AS commune_code, count(*) AS months, min(month) AS since, sum(total) AS unpaid
                       FROM marks m WHERE missed AND NOT EXISTS (SELECT 1 FROM marks x WHERE x.person_id = m.person_id AND x.k < m.k AND NOT x.missed)
                         AND EXISTS (SELECT 1 FROM marks y WHERE y.person_id = m.person_id AND y.k = 1)
                       GROUP BY person_id HAVING count(*) >= 2)
            SELECT s.person_id, p.full_name, c.name, coalesce(p.hamlet, ''), s.months, to_char(s.since, 'MM/YYYY'), s.unpaid
            FROM streak s JOIN person p ON p.id = s.person_id JOIN commune c ON c.code = s.commune_code
            WHERE ($2::text IS NULL OR s.commune_code = $2)
            ORDER BY s.months DESC, c.name, p.full_name
            """),

        // The register of grievances (sổ theo dõi đơn thư): every complaint, denunciation and petition received in the
        // period, with where it stands, its deadline and what its answer did. Linked to the person when one is named.
        new("grievances", null, true, TotalKind.None,
            [T("Grievance.Code"), T("Grievance.Received"), T("Grievance.Kind", "Grievance.Kind."), T("Grievance.Channel", "Grievance.Channel."),
             T("Grievance.Topic", "Grievance.Topic."), T("Grievance.FilerName"), T("Registry.Commune"), T("Grievance.DueOn"), T("Grievance.Status", "Grievance.Status."),
             T("Report.Col.Late"), T("Report.Col.AnsweredOn"), T("Grievance.ActionKind", "Grievance.Action.")],
            """
            SELECT g.person_id, g.code, to_char(g.received_on, 'DD/MM/YYYY'), g.kind, g.channel, g.topic, g.filer_name, coalesce(c.name, ''),
                   to_char(g.due_on, 'DD/MM/YYYY'), g.status,
                   CASE WHEN g.status <> 'withdrawn' AND coalesce(g.answered_on, $5) > g.due_on THEN '✓' ELSE '' END,
                   coalesce(to_char(g.answered_on, 'DD/MM/YYYY'), ''), g.action_kind
            FROM grievance g LEFT JOIN commune c ON c.code = g.commune_code
            WHERE g.province_code = $1 AND ($2::text IS NULL OR g.commune_code = $2)
              AND g.received_on >= $3 AND g.received_on < ($4::date + interval '1 month')
            ORDER BY g.received_on, g.id
            """),
    ];

    public static ReportDefinition? Find(string key) => All.FirstOrDefault(r => r.Key == key);

    public static void Map(IEndpointRouteBuilder v1) =>
        v1.MapGet("/provinces/{provinceCode}/reports/{report}", Get).WithTags("Oversight").RequireAuthorization(Policies.PlaceData);

    /// <summary>GET /api/v1/provinces/{province}/reports/{report}?from=yyyy-MM&amp;to=yyyy-MM&amp;commune=: the rows shown on the page, with the total.</summary>
    public static async Task<Results<Ok<ReportResult>, ProblemHttpResult>> Get(string provinceCode, string report, string? from, string? to, string? commune,
        AppDbContext db, DatabaseConnection database, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        var resolved = await ResolveAsync(db, UserScope.From(http.User), provinceCode, report, commune, from, to, time, ct);
        if (resolved is not { } r)
        {
            return Problems.NotFound(Hosting.Texts.Get("Problem.NotFound"), Hosting.Texts.Get("Report.NotFound", report, provinceCode, commune ?? ""));
        }

        return TypedResults.Ok(await ReadAsync(database, r.Definition, r.Query, ct));
    }

    /// <summary>
    /// Which report and months: unknown reports, provinces and communes outside the user's scope are not found (a
    /// commune's staff always get their commune); a month out of <see cref="OversightMonths"/>' bounds, or none, is the
    /// latest approved run's; a period is put in order and bounded to <see cref="MaxMonths"/>.
    /// </summary>
    public static async Task<(ReportDefinition Definition, ReportQuery Query, string ProvinceName, string? CommuneName)?> ResolveAsync(
        AppDbContext db, UserScope scope, string province, string report, string? commune, string? from, string? to, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        var name = await db.ProvinceNameAsync(province, ct);
        if (name is null || Find(report) is not { } definition || !scope.CoversProvince(province))
        {
            return null;
        }

        commune = scope.Level == ScopeLevel.Commune ? scope.CommuneCode : string.IsNullOrEmpty(commune) ? null : commune;
        string? communeName = null;
        if (commune is not null && (communeName = await db.Communes.AsNoTracking().Where(c => c.Code == commune && c.ProvinceCode == province).Select(c => c.Name).FirstOrDefaultAsync(ct)) is null)
        {
            return null;
        }

        var latest = await db.PayrollRuns.AsNoTracking().Where(r => r.ProvinceCode == province && (r.Status == "approved" || r.Status == "sent" || r.Status == "closed"))
            .OrderByDescending(r => r.Month).Select(r => (DateOnly?)r.Month).FirstOrDefaultAsync(ct);
        var last = OversightMonths.Parse(to, time) ?? (latest is { } m ? YearMonth.From(m) : time.VietnamMonth());
        var first = definition.Period && OversightMonths.Parse(from, time) is { } f ? f : last;
        if (first > last)
        {
            (first, last) = (last, first);
        }

        if (first < last.AddMonths(-(MaxMonths - 1)))
        {
            first = last.AddMonths(-(MaxMonths - 1));
        }

        return (definition, new ReportQuery(province, commune, first, last, time.VietnamToday()), name, communeName);
    }

    /// <summary>The rows to show and the total row: the query's own for distinct counts, else the checked sum of every row.</summary>
    public static async Task<ReportResult> ReadAsync(DatabaseConnection database, ReportDefinition d, ReportQuery q, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(q);
        var rows = new List<ReportRow>();
        ReportRow? total = null;
        var sums = d.Columns.Select(c => c.Kind == ColumnKind.Text ? (long?)null : 0L).ToArray();
        var truncated = false;
        await foreach (var row in RowsAsync(database, d, q, ct))
        {
            if (d.Totals == TotalKind.InQuery && row.Cells[0] is null)
            {
                total = row;
                continue;
            }

            for (var i = 0; i < sums.Length; i++)
            {
                if (sums[i] is { } s && row.Cells[i] is long v)
                {
                    sums[i] = checked(s + v);
                }
            }

            if (rows.Count < MaxShown)
            {
                rows.Add(row);
            }
            else
            {
                truncated = true;
            }
        }

        if (d.Totals == TotalKind.Sum)
        {
            total = new ReportRow(null, sums.Cast<object?>().ToArray());
        }

        return new ReportResult(d.Key, d.Form, q.Province, q.Commune, q.From.ToString(), q.To.ToString(), [.. d.Columns.Select(c => c.Key)], rows, total, truncated);
    }

    /// <summary>The report's rows, streamed: the page takes the first <see cref="MaxShown"/>, the workbook all of them.</summary>
    public static async IAsyncEnumerable<ReportRow> RowsAsync(DatabaseConnection database, ReportDefinition report, ReportQuery q, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentNullException.ThrowIfNull(q);
        await using var conn = await database.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct); // one snapshot for the whole read
        await using (var memory = new NpgsqlCommand("SET LOCAL work_mem = '64MB'", conn, tx)) // distinct counts over months sort in memory, not on disk
        {
            await memory.ExecuteNonQueryAsync(ct);
        }

        await using var cmd = new NpgsqlCommand(report.Sql, conn, tx);
        cmd.Parameters.AddWithValue(q.Province);
        cmd.Parameters.AddWithValue(NpgsqlTypes.NpgsqlDbType.Text, (object?)q.Commune ?? DBNull.Value);
        cmd.Parameters.AddWithValue(q.From.FirstDay);
        cmd.Parameters.AddWithValue(q.To.FirstDay);
        cmd.Parameters.AddWithValue(q.Today); // typed, so a statement that does not use it is still accepted
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var cells = new object?[report.Columns.Count];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = reader.IsDBNull(i + 1) ? null : report.Columns[i].Kind == ColumnKind.Text ? reader.GetValue(i + 1).ToString() : Convert.ToInt64(reader.GetValue(i + 1), CultureInfo.InvariantCulture);
            }

            yield return new ReportRow(reader.IsDBNull(0) ? null : reader.GetInt64(0), cells);
        }
    }
}
