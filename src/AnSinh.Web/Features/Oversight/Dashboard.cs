using System.Globalization;
using System.Text.Json;
using AnSinh.Web.Database;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Oversight;

public sealed record CountRow(string Key, string? Sub, long Count);

/// <summary>Money of approved runs for a month, by kind (recoveries are negative).</summary>
public sealed record MoneyMonth(DateOnly Month, long Regular, long BackPay, long CarryOver, long Funeral, long Recovery, int Lines, long RunId);

/// <summary>
/// A commune's lines of the month by channel, and the cashless share two ways: lines to be paid into an account (the
/// person has one), and lines the bank reported paid into it (a rejected account falls back to cash).
/// </summary>
public sealed record ChannelRow(string CommuneCode, string CommuneName, int Lines, int Bank, int Cash, int Proxy, int Home, int BankPaid)
{
    public decimal CashlessShare => Dashboard.Percent(Bank, Lines);

    public decimal PaidShare => Dashboard.Percent(BankPaid, Lines);
}

/// <summary>The month's lines with results: a payment point's (Bank false), or a commune's bank lines (Bank true) with those paid.</summary>
public sealed record ResultCount(bool Bank, long? PointId, string? PointName, string? CommuneCode, string? CommuneName, int Lines, int WithResult, int NotCollected, int Paid);

/// <summary>A payment point's cash lines of the month and how many were not collected.</summary>
public sealed record UnclaimedRow(long PointId, string PointName, string CommuneName, int Lines, int WithResult, int NotCollected)
{
    public decimal Rate => Dashboard.Percent(NotCollected, WithResult);
}

public sealed record ApplicationsRow(int Received, int Decided, int Overdue);

/// <summary>Grievances: received and answered in the month, open now, of which overdue and escalated.</summary>
public sealed record GrievancesRow(int Received, int Answered, int Open, int Overdue, int Escalated);

/// <summary>Everything the dashboard shows for a place and a month, read in a handful of set-based queries.</summary>
/// <param name="RunId">The month's approved run, if there is one (the lists behind the figures are its).</param>
public sealed record DashboardView(string ProvinceCode, string? CommuneCode, DateOnly Month, long? RunId, IReadOnlyList<CountRow> Beneficiaries, IReadOnlyList<MoneyMonth> Money,
    IReadOnlyList<ChannelRow> Channels, IReadOnlyList<UnclaimedRow> Unclaimed, ApplicationsRow Applications, GrievancesRow Grievances, IReadOnlyList<CountRow> Exceptions);

/// <summary>
/// The dashboard's figures for a province (or one of its communes) and a month, with the twelve months before it for
/// money: beneficiaries by programme and category, money of approved runs by kind, the channel split and cashless
/// share per commune, the unclaimed rate per payment point, applications, open reconciliation exceptions. Money and
/// channels come from the approved runs' lines (summed at approval, <see cref="RunSums"/>), so they agree with the
/// payroll to the đồng. Beneficiaries count open periods: a person has one per programme in a month (periods never overlap).
/// </summary>
public static class Dashboard
{
    public static async Task<DashboardView> ForAsync(AppDbContext db, string province, string? commune, DateOnly month, DateOnly today, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var beneficiaries = await db.Database.SqlQuery<CountRow>($"""
            SELECT e.programme AS "Key", e.categories -> 0 ->> 'code' AS "Sub", count(*) AS "Count"
            FROM enrolment e
            WHERE e.province_code = {province} AND ({commune}::text IS NULL OR e.commune_code = {commune}) AND e.superseded_at IS NULL AND e.status = 'active'
              AND e.start_month <= {month} AND (e.end_month IS NULL OR e.end_month >= {month})
            GROUP BY 1, 2 ORDER BY 1, 2
            """).ToListAsync(ct);
        var money = await db.Database.SqlQuery<MoneyMonth>($"""
            SELECT r.month AS "Month", coalesce(sum(s.regular), 0)::bigint AS "Regular", coalesce(sum(s.back_pay), 0)::bigint AS "BackPay",
                   coalesce(sum(s.carry_over), 0)::bigint AS "CarryOver", coalesce(sum(s.funeral), 0)::bigint AS "Funeral", coalesce(sum(s.recovery), 0)::bigint AS "Recovery",
                   coalesce(sum(s.lines), 0)::int AS "Lines", max(r.id) AS "RunId"
            FROM payroll_run r LEFT JOIN payroll_run_sum s ON s.run_id = r.id AND ({commune}::text IS NULL OR s.commune_code = {commune})
            WHERE r.province_code = {province} AND r.status IN ('approved', 'sent', 'closed') AND r.month BETWEEN {month.AddMonths(-12)} AND {month}
            GROUP BY r.month ORDER BY r.month
            """).ToListAsync(ct);
        var runId = await db.Database.SqlQuery<long?>($"""
            SELECT max(id) AS "Value" FROM payroll_run WHERE province_code = {province} AND month = {month} AND status IN ('approved', 'sent', 'closed')
            """).FirstAsync(ct);
        // The month's lines with their results, read once by the run's id (both tables by their primary keys): per payment
        // point for the unclaimed rate, and per commune the bank lines paid into accounts.
        var results = await db.Database.SqlQuery<ResultCount>($"""
            WITH x AS MATERIALIZED (
                SELECT l.channel = 'bank' AS bank, l.payment_point_id, l.commune_code, count(*)::int AS lines, count(o.line_no)::int AS with_result,
                       count(*) FILTER (WHERE o.outcome <> 'paid')::int AS not_collected, count(*) FILTER (WHERE o.outcome = 'paid')::int AS paid
                FROM payroll_line l LEFT JOIN payroll_outcome o ON o.run_id = {runId ?? 0} AND o.line_no = l.line_no
                WHERE l.run_id = {runId ?? 0} AND l.channel IN ('cash_point', 'proxy', 'bank') AND ({commune}::text IS NULL OR l.commune_code = {commune})
                GROUP BY 1, 2, 3)
            SELECT false AS "Bank", pt.id AS "PointId", pt.name AS "PointName", NULL::text AS "CommuneCode", c.name AS "CommuneName",
                   sum(x.lines)::int AS "Lines", sum(x.with_result)::int AS "WithResult", sum(x.not_collected)::int AS "NotCollected", 0 AS "Paid"
            FROM x JOIN payment_point pt ON pt.id = x.payment_point_id JOIN commune c ON c.code = pt.commune_code WHERE NOT x.bank GROUP BY pt.id, pt.name, c.name
            UNION ALL
            SELECT true, NULL, NULL, x.commune_code, NULL, sum(x.lines)::int, 0, 0, sum(x.paid)::int FROM x WHERE x.bank GROUP BY x.commune_code
            ORDER BY 1, 8 DESC, 3
            """).ToListAsync(ct);
        var unclaimed = results.Where(r => !r.Bank).Select(r => new UnclaimedRow(r.PointId!.Value, r.PointName!, r.CommuneName!, r.Lines, r.WithResult, r.NotCollected)).ToList();
        var paid = results.Where(r => r.Bank).ToDictionary(r => r.CommuneCode!, r => r.Paid);
        var channels = (await db.Database.SqlQuery<ChannelRow>($"""
            SELECT s.commune_code AS "CommuneCode", c.name AS "CommuneName", sum(s.lines)::int AS "Lines",
                   coalesce(sum(s.lines) FILTER (WHERE s.channel = 'bank'), 0)::int AS "Bank", coalesce(sum(s.lines) FILTER (WHERE s.channel = 'cash_point'), 0)::int AS "Cash",
                   coalesce(sum(s.lines) FILTER (WHERE s.channel = 'proxy'), 0)::int AS "Proxy", coalesce(sum(s.lines) FILTER (WHERE s.channel = 'home'), 0)::int AS "Home",
                   0 AS "BankPaid"
            FROM payroll_run_sum s JOIN commune c ON c.code = s.commune_code
            WHERE s.run_id = {runId ?? 0} AND ({commune}::text IS NULL OR s.commune_code = {commune})
            GROUP BY 1, 2 ORDER BY 2
            """).ToListAsync(ct)).Select(c => c with { BankPaid = paid.GetValueOrDefault(c.CommuneCode) }).ToList();
        var last = month.AddMonths(1).AddDays(-1);
        var applications = await db.Database.SqlQuery<ApplicationsRow>($"""
            SELECT count(*) FILTER (WHERE a.received_on BETWEEN {month} AND {last})::int AS "Received",
                   count(*) FILTER (WHERE a.decision_date BETWEEN {month} AND {last})::int AS "Decided",
                   count(*) FILTER (WHERE a.status IN ('received', 'checked', 'posted') AND a.due_on < {today})::int AS "Overdue"
            FROM application a WHERE a.province_code = {province} AND ({commune}::text IS NULL OR a.commune_code = {commune})
            """).FirstAsync(ct);
        var grievances = await db.Database.SqlQuery<GrievancesRow>($"""
            SELECT count(*) FILTER (WHERE g.received_on BETWEEN {month} AND {last})::int AS "Received",
                   count(*) FILTER (WHERE g.answered_on BETWEEN {month} AND {last})::int AS "Answered",
                   count(*) FILTER (WHERE g.status IN ('received', 'accepted'))::int AS "Open",
                   count(*) FILTER (WHERE g.status IN ('received', 'accepted') AND g.due_on < {today})::int AS "Overdue",
                   count(*) FILTER (WHERE g.status IN ('received', 'accepted') AND g.escalated_at IS NOT NULL)::int AS "Escalated"
            FROM grievance g WHERE g.province_code = {province} AND ({commune}::text IS NULL OR g.commune_code = {commune})
            """).FirstAsync(ct);
        var exceptions = await db.Database.SqlQuery<CountRow>($"""
            SELECT e.kind AS "Key", NULL::text AS "Sub", count(*) AS "Count" FROM payroll_exception e LEFT JOIN payroll_line l ON l.run_id = e.run_id AND l.line_no = e.line_no
            WHERE e.province_code = {province} AND e.resolved_at IS NULL AND ({commune}::text IS NULL OR l.commune_code = {commune})
            GROUP BY 1 ORDER BY 1
            """).ToListAsync(ct);
        return new DashboardView(province, commune, month, runId, beneficiaries, money, channels, unclaimed, applications, grievances, exceptions);
    }

    /// <summary>The one rounding of every share the dashboards show: a percentage to one decimal, halves away from zero; 0 of nothing is 0.</summary>
    public static decimal Percent(long part, long whole) => whole == 0 ? 0 : Math.Round(100m * part / whole, 1, MidpointRounding.AwayFromZero);

    /// <summary>Horizontal bars side by side, one series per measure, for the page's canvas attribute.</summary>
    public static string Series(IEnumerable<string> labels, params (string Label, IEnumerable<decimal> Values)[] series) =>
        JsonSerializer.Serialize(new { labels, series = series.Select(x => new { label = x.Label, values = x.Values }) });

    /// <summary>A horizontal bar chart's data for the page's canvas attribute.</summary>
    public static string Bars(string label, IEnumerable<(string Label, decimal Value)> bars)
    {
        var list = bars.ToList();
        return JsonSerializer.Serialize(new { label, labels = list.Select(b => b.Label), values = list.Select(b => b.Value) });
    }

    /// <summary>Stacked bars per month: one dataset per kind of money.</summary>
    public static string MoneyChart(IReadOnlyList<MoneyMonth> money, Func<string, string> word)
    {
        ArgumentNullException.ThrowIfNull(money);
        ArgumentNullException.ThrowIfNull(word);
        var labels = money.Select(m => Display.Month(m.Month));
        var datasets = new[]
        {
            new { label = word("ItemKind.regular"), values = money.Select(m => m.Regular) },
            new { label = word("ItemKind.back_pay"), values = money.Select(m => m.BackPay) },
            new { label = word("ItemKind.carry_over"), values = money.Select(m => m.CarryOver) },
            new { label = word("ItemKind.funeral"), values = money.Select(m => m.Funeral) },
            new { label = word("ItemKind.recovery"), values = money.Select(m => m.Recovery) },
        };
        return JsonSerializer.Serialize(new { labels, datasets });
    }

    /// <summary>The dashboard's tables as one workbook, a sheet per chart.</summary>
    public static async Task WriteXlsxAsync(Stream output, DashboardView v, Func<string, string> word, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(word);
        string N(long x) => x.ToString(CultureInfo.InvariantCulture);
        string D(decimal x) => x.ToString(CultureInfo.InvariantCulture);
        await XlsxWriter.WriteAsync(output,
        [
            (word("Dash.Beneficiaries"), XlsxWriter.Rows([["programme", "category", "people"], .. v.Beneficiaries.Select(b => new[] { b.Key, b.Sub ?? "", N(b.Count) })])),
            (word("Dash.Money"), XlsxWriter.Rows([["month", "regular", "back_pay", "carry_over", "funeral", "recovery", "lines"],
                .. v.Money.Select(m => new[] { m.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture), N(m.Regular), N(m.BackPay), N(m.CarryOver), N(m.Funeral), N(m.Recovery), N(m.Lines) })])),
            (word("Dash.Channels"), XlsxWriter.Rows([["commune", "lines", "bank", "cash_point", "proxy", "home", "cashless_percent", "paid_into_account", "paid_into_account_percent"],
                .. v.Channels.Select(c => new[] { c.CommuneName, N(c.Lines), N(c.Bank), N(c.Cash), N(c.Proxy), N(c.Home), D(c.CashlessShare), N(c.BankPaid), D(c.PaidShare) })])),
            (word("Dash.Unclaimed"), XlsxWriter.Rows([["point", "commune", "lines", "with_result", "not_collected", "percent"],
                .. v.Unclaimed.Select(u => new[] { u.PointName, u.CommuneName, N(u.Lines), N(u.WithResult), N(u.NotCollected), D(u.Rate) })])),
            (word("Dash.Exceptions"), XlsxWriter.Rows([["kind", "open"], .. v.Exceptions.Select(e => new[] { e.Key, N(e.Count) })])),
            (word("Dash.Grievances"), XlsxWriter.Rows([["received", "answered", "open", "overdue", "escalated"],
                [N(v.Grievances.Received), N(v.Grievances.Answered), N(v.Grievances.Open), N(v.Grievances.Overdue), N(v.Grievances.Escalated)]])),
        ], ct);
    }
}
