using Microsoft.Playwright;
using Shouldly;

namespace AnSinh.Browser.Tests;

/// <summary>
/// A citizen on a phone-sized screen checks their own allowance without signing in; the province officer makes the
/// commune lists public from the settings form, and anyone can then read and print a commune's list.
/// </summary>
public sealed class PublicJourneyTests(StaffedAppProcess app) : BrowserTest, IClassFixture<StaffedAppProcess>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<object?[]> RowAsync(string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync(Ct);
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        await r.ReadAsync(Ct);
        var values = new object?[r.FieldCount];
        r.GetValues(values!);
        return values;
    }

    [Fact]
    public async Task ACitizenOnAPhone_ChecksTheirPayment_AndReadsThePostedList()
    {
        // Someone paid in cash in October, with no HIV category.
        var person = await RowAsync("""
            SELECT p.citizen_id, to_char(p.birth_date, 'YYYY-MM-DD'), p.full_name, p.commune_code FROM person p
            JOIN payroll_line l ON l.person_id = p.id JOIN payroll_run r ON r.id = l.run_id AND r.month = '2026-10-01'
            WHERE l.channel = 'cash_point' AND l.category NOT IN ('3', '8') ORDER BY p.id LIMIT 1
            """);
        var phone = await Browser.NewContextAsync(new() { Locale = "vi-VN", ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        var page = await phone.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/TraCuu");
        (await Chromium.AxeAsync(page)).ShouldBeEmpty();
        await page.FillAsync("#CitizenId", (string)person[0]!);
        await page.FillAsync("#BirthDate", (string)person[1]!);
        await page.ClickAsync("[data-testid=self-check]");
        await page.WaitForSelectorAsync("[data-testid=self-check-result]");
        (await page.TextContentAsync("[data-testid=self-check-result]"))!.ShouldContain((string)person[2]!);
        (await page.TextContentAsync("[data-testid=self-check-months]"))!.ShouldContain("10/2026");
        (await Chromium.AxeAsync(page)).ShouldBeEmpty();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppProcess.ArtifactsDir, "self-check-phone.png"), FullPage = true });

        // A wrong birth date: the same answer as for nobody at all.
        await page.FillAsync("#BirthDate", "1901-01-01");
        await page.ClickAsync("[data-testid=self-check]");
        await page.WaitForSelectorAsync("[data-testid=self-check-none]");

        // The commune's list is not public until the province says so, from its settings form.
        var commune = (string)person[3]!;
        (await page.GotoAsync($"{app.BaseUrl}/CongKhai/{commune}"))!.Status.ShouldBe(404);
        var officer = await SignInAsync(app, "canbo.tinh19", app.DemoPassword);
        await officer.GotoAsync(app.BaseUrl + "/Registry/Settings/19");
        await officer.CheckAsync("#PublicPosting");
        await officer.ClickAsync("#settings-save");
        await officer.WaitForURLAsync(app.BaseUrl + "/Registry/Settings/19");
        (await officer.IsCheckedAsync("#PublicPosting")).ShouldBeTrue();

        await page.GotoAsync($"{app.BaseUrl}/CongKhai/{commune}");
        await page.WaitForSelectorAsync("[data-testid=posting]");
        (await page.TextContentAsync("[data-testid=posting]"))!.ShouldContain((string)person[2]!);
        (await Chromium.AxeAsync(page)).ShouldBeEmpty();
        await page.ClickAsync("[data-testid=posting-print]");
        await page.WaitForSelectorAsync("table.list");
        (await page.PdfAsync(new() { Format = "A4" })).Length.ShouldBeGreaterThan(5_000);
    }

    [Fact]
    public async Task TheProvinceDashboard_ChartsTablesAndWorkbook()
    {
        var officer = await SignInAsync(app, "canbo.tinh19", app.DemoPassword);
        await officer.ClickAsync("nav a[href='/Dashboard/19']");
        await officer.FillAsync("#Month", "2026-10");
        await officer.ClickAsync("[data-testid=dashboard-show]");
        await officer.WaitForURLAsync(new System.Text.RegularExpressions.Regex("Month=2026-10"));
        (await officer.Locator("canvas[data-chart]").CountAsync()).ShouldBe(4);
        // Chart.js drew on every canvas (a drawn canvas has a context and a size).
        (await officer.EvaluateAsync<int>("Array.from(document.querySelectorAll('canvas[data-chart]')).filter(c => Chart.getChart(c)).length")).ShouldBe(4);
        await officer.ClickAsync("#d-money ~ details summary");
        var regular = (long)(await RowAsync("SELECT sum(l.regular)::bigint FROM payroll_line l JOIN payroll_run r ON r.id = l.run_id WHERE r.province_code = '19' AND r.month = '2026-10-01'"))[0]!;
        var row = (await officer.TextContentAsync("[data-testid=dash-money] tbody tr:last-child"))!;
        row.ShouldContain("10/2026");
        row.ShouldContain(new AnSinh.Core.Money.Dong(regular).ToDisplay());
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        var xlsx = await officer.RunAndWaitForDownloadAsync(() => officer.ClickAsync("[data-testid=dashboard-xlsx]"));
        xlsx.SuggestedFilename.ShouldBe("bang-dieu-khien-19-2026-10.xlsx");
        await officer.ScreenshotAsync(new() { Path = Path.Combine(AppProcess.ArtifactsDir, "dashboard.png"), FullPage = true });

        // The approver's risk flags: the demo's people who have not collected for months are there.
        var approver = await SignInAsync(app, "lanhdao.tinh19", app.DemoPassword);
        await approver.ClickAsync("nav a[href='/Inspections/19/Flags']");
        await approver.ClickAsync("[data-testid=risk-unclaimed_streak]");
        await approver.WaitForURLAsync(new System.Text.RegularExpressions.Regex("flag=unclaimed_streak"));
        (await approver.TextContentAsync("[data-testid=risk-flags]"))!.ShouldContain("tháng");
        (await Chromium.AxeAsync(approver)).ShouldBeEmpty();
    }
}
