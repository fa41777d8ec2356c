using Microsoft.Playwright;
using Shouldly;

namespace AnSinh.Browser.Tests;

/// <summary>
/// A citizen on a phone-sized screen checks their own allowance without signing in; the province officer makes the
/// commune lists public from the settings form, and anyone can then read and print a commune's list. The citizen
/// files a complaint and follows it by code while the commune officer answers it; an inspector draws a sample and
/// records a finding the officer acts on; reports and the nation's dashboard are read, printed and downloaded.
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

        // The list behind the worst payment point's unclaimed rate: the run's lines there that were not collected.
        await officer.ClickAsync("#d-unclaimed ~ details summary");
        await officer.ClickAsync("[data-testid=dash-unclaimed] tbody tr:first-child a");
        await officer.WaitForSelectorAsync("[data-testid=lines-filter]");
        (await officer.TextContentAsync("[data-testid=lines-filter]"))!.ShouldContain("chưa nhận tiền");
        var outcomes = await officer.Locator("[data-testid=lines] tbody tr td:last-child").AllTextContentsAsync();
        outcomes.ShouldNotBeEmpty();
        outcomes.ShouldAllBe(o => o.Trim() == "chưa chi" || o.Trim() == "hoàn trả");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();

        // The approver's risk flags: the demo's people who have not collected for months are there.
        var approver = await SignInAsync(app, "lanhdao.tinh19", app.DemoPassword);
        await approver.ClickAsync("nav a[href='/Inspections/19']");
        await approver.ClickAsync("a[href='/Inspections/19/Flags']");
        await approver.ClickAsync("[data-testid=risk-unclaimed_streak]");
        await approver.WaitForURLAsync(new System.Text.RegularExpressions.Regex("flag=unclaimed_streak"));
        (await approver.TextContentAsync("[data-testid=risk-flags]"))!.ShouldContain("tháng");
        (await Chromium.AxeAsync(approver)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ACitizenFilesAComplaintOnAPhone_TheCommuneOfficerAnswersIt_AndTheCitizenReadsTheAnswer()
    {
        var officerName = (string)(await RowAsync("SELECT user_name FROM app_user WHERE role = 'commune_officer' ORDER BY user_name LIMIT 1"))[0]!;
        var person = await RowAsync($"""
            SELECT p.citizen_id, to_char(p.birth_date, 'YYYY-MM-DD'), p.id FROM person p JOIN app_user u ON u.user_name = '{officerName}' AND u.commune_code = p.commune_code
            JOIN enrolment e ON e.person_id = p.id AND e.superseded_at IS NULL AND e.status = 'active' ORDER BY p.id DESC LIMIT 1
            """);
        var phone = await Browser.NewContextAsync(new() { Locale = "vi-VN", ViewportSize = new() { Width = 390, Height = 844 }, IsMobile = true, HasTouch = true });
        var page = await phone.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/TraCuu");
        await page.ClickAsync("[data-testid=self-check-file]");
        await page.WaitForSelectorAsync("[data-testid=public-grievance-form]");
        (await Chromium.AxeAsync(page)).ShouldBeEmpty();
        await page.SelectOptionAsync("#ProvinceCode", "19");
        await page.SelectOptionAsync("#Kind", "complaint");
        await page.SelectOptionAsync("#Topic", "amount");
        await page.FillAsync("#FilerName", "Bùi Thị Hỏi");
        await page.FillAsync("#FilerPhone", "0912 555 666");
        await page.FillAsync("#FilerAddress", "Thôn 3");
        await page.FillAsync("#Summary", "Mẹ tôi tròn 80 tuổi tháng trước nhưng mức trợ cấp chưa tăng.");
        await page.FillAsync("#CitizenId", (string)person[0]!);
        await page.FillAsync("#BirthDate", (string)person[1]!);
        await page.ClickAsync("[data-testid=public-grievance-send]");
        await page.WaitForSelectorAsync("[data-testid=grievance-filed]");
        var code = (await page.TextContentAsync("[data-testid=grievance-code]"))!.Trim();
        (await Chromium.AxeAsync(page)).ShouldBeEmpty();
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppProcess.ArtifactsDir, "grievance-phone.png"), FullPage = true });

        // The commune officer takes it on from the list, answers it in writing and prints the answer.
        var officer = await SignInAsync(app, officerName, app.DemoPassword);
        await officer.ClickAsync("nav a[href='/Grievances/19']");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.ClickAsync($"text={code}");
        await officer.WaitForSelectorAsync("[data-testid=grievance-accept-form]");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.ClickAsync("[data-testid=grievance-accept]");
        await officer.WaitForSelectorAsync("[data-testid=grievance-answer-form]");
        await officer.GotoAsync(app.BaseUrl + "/");
        (await officer.TextContentAsync("[data-testid=work-grievances]"))!.ShouldContain("Giao cho bạn");
        // The officer proposes the correction for the person (the registry's own command; its forms are pressed in the
        // registry journey), then answers linking it.
        var proposed = await officer.APIRequest.PostAsync($"{app.BaseUrl}/api/v1/registry/people/{person[2]}/enrolments/social_assistance/changes",
            new() { DataObject = new { kind = "suspend", effectiveMonth = "2026-12", reason = "Kiểm tra lại mức hưởng theo đơn" } });
        proposed.Status.ShouldBe(202, await proposed.TextAsync());
        await officer.ClickAsync("[data-testid=work-grievances] a[href$='mine=true']");
        await officer.ClickAsync($"text={code}");
        await officer.FillAsync("#Answer", "Mức trợ cấp đã được điều chỉnh lên hệ số 2,0 từ tháng bà tròn 80 tuổi.\nPhần chênh lệch được truy lĩnh trong tháng tới.");
        await officer.SelectOptionAsync("#ActionKind", "correction");
        await officer.SelectOptionAsync("#ActionLink", new SelectOptionValue { Index = 1 }); // the proposal just made
        await officer.ClickAsync("[data-testid=grievance-answer-send]");
        await officer.WaitForSelectorAsync("[data-testid=grievance-answer]");
        (await officer.TextContentAsync("[data-testid=grievance-action-link]"))!.ShouldContain("Đề xuất số");
        (await officer.TextContentAsync("[data-testid=grievance-status]"))!.ShouldContain("Đã trả lời");
        await officer.ClickAsync("[data-testid=grievance-print]");
        await officer.WaitForSelectorAsync("[data-testid=grievance-print-title]");
        (await officer.TextContentAsync("[data-testid=grievance-print-answer]"))!.ShouldContain("hệ số 2,0");
        (await officer.PdfAsync(new() { Format = "A4" })).Length.ShouldBeGreaterThan(5_000);

        // The answer, signed and scanned, is kept with the grievance.
        await officer.GoBackAsync();
        await officer.WaitForSelectorAsync("[data-testid=grievance-document-form]");
        var scan = Path.Combine(Path.GetTempPath(), $"tra-loi-{Guid.NewGuid():N}.pdf");
        await File.WriteAllTextAsync(scan, "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", TestContext.Current.CancellationToken);
        await officer.SelectOptionAsync("#DocumentKind", "signed_answer");
        await officer.SetInputFilesAsync("#Document", scan);
        await officer.ClickAsync("[data-testid=grievance-document-upload]");
        await officer.WaitForSelectorAsync("[data-testid=grievance-documents] li");
        (await officer.TextContentAsync("[data-testid=grievance-documents]"))!.ShouldContain("Văn bản trả lời đã ký");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        File.Delete(scan);

        // A phone call received at the office, then withdrawn by the caller; the filters.
        await officer.GotoAsync(app.BaseUrl + "/Grievances/19");
        await officer.SelectOptionAsync("#Kind", "petition");
        await officer.SelectOptionAsync("#Channel", "phone");
        await officer.SelectOptionAsync("#Topic", "payment_point");
        await officer.FillAsync("#FilerName", "Ông Gọi Điện");
        await officer.FillAsync("#FilerPhone", "0987 111 222");
        await officer.FillAsync("#Summary", "Hỏi về ngày chi trả tháng này.");
        await officer.FillAsync("#CitizenId", (string)person[0]!); // the caller is a beneficiary: named by their card on receipt
        await officer.ClickAsync("[data-testid=grievance-receive]");
        await officer.WaitForSelectorAsync("[data-testid=grievance-withdraw-form]");
        await officer.WaitForSelectorAsync("[data-testid=grievance] a[href^='/Registry/People/']");
        await officer.FillAsync("#CitizenId", (string)person[0]!); // the person form (here: change the person) names them again
        await officer.ClickAsync("[data-testid=grievance-person-link]");
        await officer.WaitForURLAsync(new System.Text.RegularExpressions.Regex(@"/Grievances/19/\d+$"));
        await officer.WaitForSelectorAsync("[data-testid=grievance] a[href^='/Registry/People/']");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.FillAsync("#Reason", "Người gọi đã được giải đáp, rút kiến nghị.");
        await officer.ClickAsync("[data-testid=grievance-withdraw]");
        await officer.WaitForSelectorAsync("text=Đã rút đơn");
        await officer.GotoAsync(app.BaseUrl + "/Grievances/19?show=all");
        await officer.FillAsync("#Search", code.ToLowerInvariant());
        await officer.ClickAsync("[data-testid=grievance-filter-apply]");
        await officer.WaitForURLAsync(new System.Text.RegularExpressions.Regex("Search="));
        (await officer.Locator("[data-testid=grievances] tbody tr").CountAsync()).ShouldBe(1);
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.GotoAsync(app.BaseUrl + "/Grievances/19");
        await officer.ClickAsync("[data-testid=grievance-show-answered]");
        await officer.WaitForURLAsync(new System.Text.RegularExpressions.Regex("show=answered"));
        (await officer.TextContentAsync("[data-testid=grievances]"))!.ShouldContain(code);
        await officer.ClickAsync("[data-testid=grievance-mine]");
        await officer.WaitForURLAsync(new System.Text.RegularExpressions.Regex("mine=True", System.Text.RegularExpressions.RegexOptions.IgnoreCase));

        // The citizen follows the code and reads the answer.
        await page.ClickAsync("text=Theo dõi đơn");
        await page.WaitForSelectorAsync("[data-testid=follow-form]");
        await page.FillAsync("#Code", code);
        await page.ClickAsync("[data-testid=follow]");
        await page.WaitForSelectorAsync("[data-testid=follow-answer]");
        (await page.TextContentAsync("[data-testid=follow-status]"))!.ShouldContain("Đã trả lời");
        (await Chromium.AxeAsync(page)).ShouldBeEmpty();

        // The province sets its own deadlines (empty keeps the law's).
        var province = await SignInAsync(app, "canbo.tinh19", app.DemoPassword);
        await province.GotoAsync(app.BaseUrl + "/Registry/Settings/19");
        await province.FillAsync("#ComplaintDays", "25");
        await province.ClickAsync("#settings-save");
        await province.WaitForURLAsync(app.BaseUrl + "/Registry/Settings/19");
        (await province.InputValueAsync("#ComplaintDays")).ShouldBe("25");
        (await Chromium.AxeAsync(province)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AnInspectorDrawsASampleAndRecordsAFinding_TheProvinceOfficerActsOnFindings()
    {
        var inspector = await SignInAsync(app, "thanhtra.tinh19", app.DemoPassword);
        await inspector.ClickAsync("nav a[href='/Inspections/19']");
        (await Chromium.AxeAsync(inspector)).ShouldBeEmpty();
        await inspector.FillAsync("#Title", "Kiểm tra đột xuất");
        await inspector.FillAsync("#PerCommune", "2");
        await inspector.FillAsync("#Seed", "77");
        await inspector.ClickAsync("[data-testid=draw]");
        await inspector.WaitForSelectorAsync("[data-testid=visit-form]");
        (await Chromium.AxeAsync(inspector)).ShouldBeEmpty();
        var sampled = await inspector.Locator("[data-testid=sample] tbody tr").CountAsync();
        sampled.ShouldBeGreaterThan(1);
        await inspector.SelectOptionAsync("#Result", "finding");
        await inspector.FillAsync("#Note", "Đến nhà, đối tượng không còn ở địa phương.");
        await inspector.SelectOptionAsync("#Action", "suspension");
        await inspector.FillAsync("#EffectiveMonth", "2026-12");
        await inspector.FillAsync("#Description", "Đã chuyển đi nơi khác từ tháng 10.");
        await inspector.ClickAsync("[data-testid=visit-save]");
        await inspector.WaitForSelectorAsync("[data-testid=plan-findings] >> text=Đã chuyển đi nơi khác");
        (await inspector.Locator("[data-testid=sample] tbody tr", new() { HasText = "Có phát hiện" }).CountAsync()).ShouldBe(1);
        (await inspector.TextContentAsync("[data-testid=visits]"))!.ShouldContain("đối tượng không còn ở địa phương");

        // The province officer proposes the suspension and records where the demo's waiting referral went.
        var officer = await SignInAsync(app, "canbo.tinh19", app.DemoPassword);
        await officer.GotoAsync(app.BaseUrl + "/Inspections/19");
        var suspension = (long)(await RowAsync("SELECT max(id) FROM inspection_finding WHERE action = 'suspension' AND status = 'open'"))[0]!;
        var referral = (long)(await RowAsync("SELECT max(id) FROM inspection_finding WHERE action = 'referral' AND status = 'open'"))[0]!;
        await officer.ClickAsync($"[data-testid=act-{suspension}]");
        await officer.WaitForSelectorAsync($"[data-testid=finding-status-{suspension}] >> text=Đã xử lý");
        await officer.FillAsync($"#ReferredTo-{referral}", "Công an xã");
        await officer.ClickAsync($"[data-testid=act-{referral}]");
        await officer.WaitForSelectorAsync($"[data-testid=finding-status-{referral}] >> text=Công an xã");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        ((string)(await RowAsync($"SELECT p.status FROM inspection_finding f JOIN change_proposal p ON p.id = f.proposal_id WHERE f.id = {suspension}"))[0]!).ShouldBe("proposed");

        // A correction: the inspector finds one on another sampled person with no proposal waiting; the officer proposes
        // the change for that person (the registry's API here, as the person's page would) and links it to the finding.
        var person = (long)(await RowAsync("""
            SELECT s.person_id FROM inspection_sample s WHERE s.plan_id = (SELECT max(id) FROM inspection_plan)
              AND NOT EXISTS (SELECT 1 FROM change_proposal c WHERE c.person_id = s.person_id AND c.status = 'proposed') ORDER BY s.rank, s.person_id LIMIT 1
            """))[0]!;
        await inspector.SelectOptionAsync("#PersonId", $"{person}");
        await inspector.SelectOptionAsync("#Result", "finding");
        await inspector.FillAsync("#Note", "Hồ sơ ghi sai mức độ khuyết tật.");
        await inspector.SelectOptionAsync("#Action", "correction");
        await inspector.FillAsync("#Description", "Cần điều chỉnh hồ sơ.");
        await inspector.ClickAsync("[data-testid=visit-save]");
        await inspector.WaitForSelectorAsync("[data-testid=plan-findings] >> text=Cần điều chỉnh hồ sơ");
        var correction = (long)(await RowAsync("SELECT max(id) FROM inspection_finding WHERE action = 'correction' AND status = 'open'"))[0]!;
        var proposed = await officer.APIRequest.PostAsync($"{app.BaseUrl}/api/v1/registry/people/{person}/enrolments/social_assistance/changes",
            new() { DataObject = new { kind = "suspend", effectiveMonth = "2026-12", reason = "Điều chỉnh theo kết quả kiểm tra" } });
        proposed.Status.ShouldBe(202, await proposed.TextAsync());
        await officer.GotoAsync(app.BaseUrl + "/Inspections/19");
        await officer.ClickAsync($"[data-testid=act-{correction}]");
        await officer.WaitForSelectorAsync($"[data-testid=finding-status-{correction}] >> text=Đã xử lý");
        ((long)(await RowAsync($"SELECT proposal_id FROM inspection_finding WHERE id = {correction}"))[0]!).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task ReportsAreShownPrintedAndDownloaded_AndTheNationsDashboardDrawsItsCharts()
    {
        var officer = await SignInAsync(app, "canbo.tinh19", app.DemoPassword);
        await officer.ClickAsync("nav a[href='/Reports/19']");
        await officer.WaitForSelectorAsync("[data-testid=report-total]");
        var total = (long)(await RowAsync("SELECT sum(l.total)::bigint FROM payroll_line l JOIN payroll_run r ON r.id = l.run_id WHERE r.province_code = '19' AND r.month = '2026-10-01'"))[0]!;
        (await officer.TextContentAsync("[data-testid=report-total]"))!.ShouldContain(new AnSinh.Core.Money.Dong(total).ToDisplay());
        (await officer.TextContentAsync("[data-testid=report-form-note]"))!.ShouldContain("10a–10d");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.ClickAsync("[data-testid=report-back_pay]");
        await officer.FillAsync("#From", "2026-07");
        await officer.FillAsync("#To", "2026-10");
        await officer.ClickAsync("[data-testid=report-show]");
        await officer.WaitForURLAsync(new System.Text.RegularExpressions.Regex("From=2026-07"));
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        var xlsx = await officer.RunAndWaitForDownloadAsync(() => officer.ClickAsync("[data-testid=report-xlsx]"));
        xlsx.SuggestedFilename.ShouldBe("bao-cao-back_pay-19-2026-07_2026-10.xlsx");
        await officer.ClickAsync("[data-testid=report-print]");
        await officer.WaitForSelectorAsync("[data-testid=report-print-title]");
        (await officer.PdfAsync(new() { Format = "A4" })).Length.ShouldBeGreaterThan(5_000);

        // The register of grievances from September (the demo's complaint by post, overdue) to November.
        await officer.GoBackAsync();
        await officer.ClickAsync("[data-testid=report-grievances]");
        await officer.FillAsync("#From", "2026-09");
        await officer.FillAsync("#To", "2026-11");
        await officer.ClickAsync("[data-testid=report-show]");
        await officer.WaitForURLAsync(new System.Text.RegularExpressions.Regex("report=grievances.*From=2026-09|From=2026-09.*report=grievances", System.Text.RegularExpressions.RegexOptions.IgnoreCase));
        var register = (await officer.TextContentAsync("[data-testid=report-table]"))!;
        register.ShouldContain("Khiếu nại");
        register.ShouldContain("Trần Văn Thư");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();

        // The commune's staff get only their commune's report.
        var officerName = (string)(await RowAsync("SELECT user_name FROM app_user WHERE role = 'commune_officer' ORDER BY user_name LIMIT 1"))[0]!;
        var commune = await SignInAsync(app, officerName, app.DemoPassword);
        await commune.ClickAsync("nav a[href='/Reports/19']");
        await commune.ClickAsync("[data-testid=report-no_bank]");
        await commune.WaitForSelectorAsync("[data-testid=report-table]");
        (await commune.Locator("#Commune option").CountAsync()).ShouldBe(1);

        var admin = await SignInAsync(app, "admin", AppProcess.AdminPassword);
        await admin.ClickAsync("nav a[href='/Dashboard']");
        await admin.FillAsync("#Month", "2026-10");
        await admin.ClickAsync("[data-testid=national-show]");
        await admin.WaitForURLAsync(new System.Text.RegularExpressions.Regex("Month=2026-10"));
        (await admin.EvaluateAsync<int>("Array.from(document.querySelectorAll('canvas[data-chart]')).filter(c => Chart.getChart(c)).length")).ShouldBe(2);
        (await admin.TextContentAsync("[data-testid=national-table]"))!.ShouldContain(new AnSinh.Core.Money.Dong(total).ToDisplay());
        (await Chromium.AxeAsync(admin)).ShouldBeEmpty();
        var national = await admin.RunAndWaitForDownloadAsync(() => admin.ClickAsync("[data-testid=national-xlsx]"));
        national.SuggestedFilename.ShouldBe("toan-quoc-2026-10.xlsx");
    }

    [Fact]
    public async Task TheRunningApp_AnswersLiveReadyAndMetricsOnLoopback()
    {
        using var http = new HttpClient();
        (await http.GetAsync(app.BaseUrl + "/health/live", Ct)).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
        (await http.GetStringAsync(app.BaseUrl + "/health/ready", Ct)).ShouldBe("Healthy");
        var metrics = await http.GetAsync(app.BaseUrl + "/metrics", Ct);
        metrics.Content.Headers.ContentType!.MediaType.ShouldBe("text/plain");
        var text = await metrics.Content.ReadAsStringAsync(Ct);
        text.ShouldContain("# TYPE http_server_request_duration histogram"); // ASP.NET Core's requests, in seconds
        text.ShouldContain("http_route=\"/health/live\"");
        text.ShouldContain("db_client_connection"); // Npgsql's pool
        text.ShouldNotContain("canbo"); // no people, no users: routes and counts only
    }
}
