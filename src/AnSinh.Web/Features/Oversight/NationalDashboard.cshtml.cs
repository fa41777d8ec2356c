using System.Globalization;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Oversight;

/// <summary>A province's figures for the month on the national dashboard.</summary>
public sealed record ProvinceRow(string ProvinceCode, string ProvinceName, int Beneficiaries, int Lines, long Money, int Bank, int OpenGrievances, int OverdueGrievances, int OpenExceptions)
{
    public decimal CashlessShare => Dashboard.Percent(Bank, Lines);
}

/// <summary>
/// The nation at a glance, for admins: every province's beneficiaries, the month's approved money and lines, the
/// cashless share, open and overdue grievances and open exceptions, each province opening its own dashboard. One
/// grouped query per figure over the indexes the province dashboards use.
/// </summary>
[Authorize(Policy = Policies.Admin)]
public sealed class NationalDashboardModel(AppDbContext db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }

    public DateOnly MonthStart { get; private set; }
    public IReadOnlyList<ProvinceRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken ct)
    {
        await LoadAsync(ct);
        string N(long x) => x.ToString(CultureInfo.InvariantCulture);
        var ms = new MemoryStream();
        await XlsxWriter.WriteAsync(ms, [(Texts.Get("Dash.National"), XlsxWriter.Rows([
            ["province_code", "province", "beneficiaries", "lines", "money", "bank", "cashless_percent", "open_grievances", "overdue_grievances", "open_exceptions"],
            .. Rows.Select(r => new[] { r.ProvinceCode, r.ProvinceName, N(r.Beneficiaries), N(r.Lines), N(r.Money), N(r.Bank), r.CashlessShare.ToString(CultureInfo.InvariantCulture),
                N(r.OpenGrievances), N(r.OverdueGrievances), N(r.OpenExceptions) })]))], ct);
        ms.Position = 0;
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"toan-quoc-{MonthStart:yyyy-MM}.xlsx");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var month = OversightMonths.Parse(Month, time) ?? time.VietnamMonth();
        MonthStart = month.FirstDay;
        var today = time.VietnamToday();
        var first = month.FirstDay;
        Rows = await db.Database.SqlQuery<ProvinceRow>($"""
            WITH benef AS (SELECT province_code, count(*)::int AS n FROM enrolment
                           WHERE superseded_at IS NULL AND status = 'active' AND start_month <= {first} AND (end_month IS NULL OR end_month >= {first}) GROUP BY 1),
            money AS (SELECT r.province_code, sum(s.lines)::int AS lines, sum(s.total)::bigint AS money, coalesce(sum(s.lines) FILTER (WHERE s.channel = 'bank'), 0)::int AS bank
                      FROM payroll_run r JOIN payroll_run_sum s ON s.run_id = r.id WHERE r.month = {first} AND r.status IN ('approved', 'sent', 'closed') GROUP BY 1),
            griev AS (SELECT province_code, count(*)::int AS open, count(*) FILTER (WHERE due_on < {today})::int AS overdue FROM grievance
                      WHERE status IN ('received', 'accepted') GROUP BY 1),
            exc AS (SELECT province_code, count(*)::int AS n FROM payroll_exception WHERE resolved_at IS NULL GROUP BY 1)
            SELECT p.code AS "ProvinceCode", p.name AS "ProvinceName", coalesce(b.n, 0) AS "Beneficiaries", coalesce(m.lines, 0) AS "Lines", coalesce(m.money, 0) AS "Money",
                   coalesce(m.bank, 0) AS "Bank", coalesce(g.open, 0) AS "OpenGrievances", coalesce(g.overdue, 0) AS "OverdueGrievances", coalesce(e.n, 0) AS "OpenExceptions"
            FROM province p LEFT JOIN benef b ON b.province_code = p.code LEFT JOIN money m ON m.province_code = p.code
            LEFT JOIN griev g ON g.province_code = p.code LEFT JOIN exc e ON e.province_code = p.code
            ORDER BY p.name
            """).ToListAsync(ct);
    }
}
