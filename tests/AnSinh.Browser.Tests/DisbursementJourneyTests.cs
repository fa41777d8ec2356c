using System.Text;
using Microsoft.Playwright;
using Shouldly;

namespace AnSinh.Browser.Tests;

/// <summary>
/// Paying through the payers, over the demo as ./run.sh seeds it (October sent, its bank rejections open), every
/// button pressed in Chromium: the run's disbursement page (build files, download, print a point's signature list,
/// record a transfer, upload results, resolve exceptions), the settlement printed with its audit anchor and
/// downloaded, the post-office clerk's own page, and an admin's API token created and revoked. Print views go to PDF.
/// </summary>
public sealed class DisbursementJourneyTests(StaffedAppProcess app) : BrowserTest, IClassFixture<StaffedAppProcess>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync(Ct);
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync(Ct);
    }

    [Fact]
    public async Task October_ThroughThePostOfficeAndTheBank_EveryDisbursementFormFromItsButton()
    {
        var shots = AppProcess.ArtifactsDir;
        var october = (long)(await ScalarAsync("SELECT id FROM payroll_run WHERE province_code = '19' AND month = '2026-10-01'"))!;
        var postOffice = (long)(await ScalarAsync("SELECT id FROM payer WHERE province_code = '19' AND kind = 'post_office'"))!;
        var officer = await SignInAsync(app, "canbo.tinh19", app.DemoPassword);

        // From the run page to its disbursement page; the files were built when the demo's month was sent.
        await officer.GotoAsync($"{app.BaseUrl}/Payroll/19/Runs/{october}");
        await officer.ClickAsync("[data-testid=disbursement]");
        await officer.WaitForSelectorAsync("[data-testid=files]");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.ClickAsync("[data-testid=build-files]");
        await officer.WaitForSelectorAsync("[data-testid=done]");
        var pain = await officer.RunAndWaitForDownloadAsync(() => officer.ClickAsync("[data-testid^=download-pain001-]"));
        pain.SuggestedFilename.ShouldBe("AS19-202610-P" + (long)(await ScalarAsync("SELECT id FROM payer WHERE province_code = '19' AND kind = 'bank'"))! + "-PAIN001.xml");
        var csv = await officer.RunAndWaitForDownloadAsync(() => officer.ClickAsync($"[data-testid=download-cash_csv-{postOffice}]"));
        var csvPath = Path.Combine(Path.GetTempPath(), "danh-sach-" + october + ".csv");
        await csv.SaveAsAsync(csvPath);

        // A point's signature list: landscape sheets, each with its header and subtotal, the grand total in figures and words.
        var point = (long)(await ScalarAsync($"SELECT payment_point_id FROM payroll_line WHERE run_id = {october} AND payer_id = {postOffice} AND payment_point_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1"))!;
        var pointTotal = (long)(await ScalarAsync($"SELECT sum(total)::bigint FROM payroll_line WHERE run_id = {october} AND payment_point_id = {point} AND channel IN ('cash_point', 'proxy')"))!;
        await officer.ClickAsync($"[data-testid=print-point-{point}]");
        await officer.WaitForSelectorAsync("[data-testid=grand-total]");
        var sheets = await officer.Locator("[data-testid=sheet]").CountAsync();
        (await officer.Locator("[data-testid=page-subtotal]").CountAsync()).ShouldBe(sheets);
        var text = (await officer.TextContentAsync("body"))!;
        text.ShouldContain("DANH SÁCH CHI TRẢ TRỢ GIÚP XÃ HỘI CÓ KÝ NHẬN THÁNG 10/2026");
        (await officer.TextContentAsync("[data-testid=grand-total]"))!.ShouldContain(new AnSinh.Core.Money.Dong(pointTotal).ToDisplay());
        (await officer.TextContentAsync("[data-testid=signatures]"))!.ShouldContain("Cán bộ giám sát");
        (await officer.TextContentAsync("[data-testid=in-words]"))!.ShouldEndWith("đồng");
        var listPdf = await officer.PdfAsync(new() { Path = Path.Combine(shots, "signature-list.pdf"), PreferCSSPageSize = true });
        // Every sheet starts a page; the words and signatures may take a page of their own after the last sheet.
        PdfPages(listPdf).ShouldBeInRange(sheets, sheets + 1);
        Encoding.Latin1.GetString(listPdf).ShouldMatch(@"/MediaBox \[0 0 841\.\d+ 594\.\d+\]"); // A4 landscape (297 × 210 mm in points), from the list's own @page

        // The post office's home-delivery list, by hamlet (the demo pays one person in twenty-nine at home).
        await officer.GotoAsync($"{app.BaseUrl}/Payroll/19/Runs/{october}/Disbursement");
        await officer.ClickAsync($"[data-testid=print-home-{postOffice}]");
        await officer.WaitForSelectorAsync("[data-testid=grand-total]");
        var homeTotal = (long)(await ScalarAsync($"SELECT sum(total)::bigint FROM payroll_line WHERE run_id = {october} AND payer_id = {postOffice} AND channel = 'home'"))!;
        (await officer.TextContentAsync("body"))!.ShouldContain("DANH SÁCH CHI TRẢ TẠI NHÀ THÁNG 10/2026");
        (await officer.TextContentAsync("[data-testid=grand-total]"))!.ShouldContain(new AnSinh.Core.Money.Dong(homeTotal).ToDisplay());

        // A transfer one đồng short of nothing: the difference becomes an exception, confirmed with a reason.
        await officer.GotoAsync($"{app.BaseUrl}/Payroll/19/Runs/{october}/Disbursement");
        await officer.SelectOptionAsync("#t-payer", postOffice.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await officer.FillAsync("#t-amount", "1");
        await officer.FillAsync("#t-date", "2026-10-01");
        await officer.FillAsync("#t-ref", "UNC-bổ sung");
        await officer.ClickAsync("[data-testid=record-transfer]");
        await officer.WaitForSelectorAsync("[data-testid=done]");
        (await officer.TextContentAsync("[data-testid=exceptions]"))!.ShouldContain("Số tiền chuyển khác số cần chuyển");

        // Every open exception resolved from its own form: the bank's rejections paid again in cash, the transfer confirmed.
        var open = await officer.Locator("[data-testid=exceptions] form").CountAsync();
        open.ShouldBeGreaterThanOrEqualTo(2);
        for (var i = 0; i < open; i++)
        {
            var form = officer.Locator("[data-testid=exceptions] form").First;
            await form.Locator("input[name=Reason]").FillAsync("Đã đối chiếu với đơn vị chi trả");
            await form.Locator("button").ClickAsync();
            await officer.WaitForSelectorAsync("[data-testid=done]");
        }

        (await officer.TextContentAsync("[data-testid=run-status]"))!.Trim().ShouldBe("Đã đóng");
        (await ScalarAsync($"SELECT count(*) FROM payroll_reissue WHERE month = '2026-11-01'")).ShouldNotBe(0L);

        // The downloaded list sent back untouched: checked, every row's missing result named, nothing written.
        await officer.SelectOptionAsync("#r-payer", postOffice.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await officer.SetInputFilesAsync("#r-file", csvPath);
        await officer.ClickAsync("[data-testid=upload-results]");
        (await officer.TextContentAsync("[data-testid=outcome-report]"))!.ShouldContain("Kết quả");
        await officer.ScreenshotAsync(new() { Path = Path.Combine(shots, "disbursement.png"), FullPage = true });

        // The post office's settlement: downloaded, then printed with the audit log's anchor.
        await officer.ClickAsync($"[data-testid=settlement-{postOffice}]");
        await officer.WaitForSelectorAsync("[data-testid=settlement]");
        // The one đồng transferred too much stays with the payer: the balance it owes back, confirmed but never hidden.
        (await officer.TextContentAsync("[data-testid=s-balance]"))!.Trim().ShouldBe("1 đ");
        var xlsx = await officer.RunAndWaitForDownloadAsync(() => officer.ClickAsync("[data-testid=settlement-xlsx]"));
        xlsx.SuggestedFilename.ShouldStartWith("quyet-toan-19-2026-10");
        await officer.ClickAsync("[data-testid=print-settlement]");
        await officer.WaitForSelectorAsync("[data-testid=anchor]");
        var anchor = (string)(await ScalarAsync("SELECT audit_id || ':' || audit_hash FROM settlement_print ORDER BY id DESC LIMIT 1"))!;
        (await officer.TextContentAsync("[data-testid=anchor]"))!.ShouldContain(anchor);
        (await ScalarAsync("SELECT max(id) FROM audit_log")).ShouldBe(long.Parse(anchor.Split(':')[0], System.Globalization.CultureInfo.InvariantCulture));
        var paid = (long)(await ScalarAsync($"SELECT sum(l.total)::bigint FROM payroll_line l JOIN payroll_outcome o USING (run_id, line_no) WHERE l.run_id = {october} AND l.payer_id = {postOffice} AND o.outcome = 'paid'"))!;
        (await officer.TextContentAsync("[data-testid=s-paid]"))!.ShouldContain(new AnSinh.Core.Money.Dong(paid).ToDisplay());
        PdfPages(await officer.PdfAsync(new() { Path = Path.Combine(shots, "settlement.pdf"), Format = "A4" })).ShouldBeGreaterThanOrEqualTo(1);

        // The post office's clerk: only their payer's runs, its files, its lists, its results.
        var clerk = await SignInAsync(app, "buudien.tinh19", app.DemoPassword);
        await clerk.ClickAsync("nav a[href='/Payer']");
        await clerk.ClickAsync($"[data-testid=payer-run-{october}]");
        await clerk.WaitForSelectorAsync("[data-testid=payer-files]");
        (await Chromium.AxeAsync(clerk)).ShouldBeEmpty();
        (await clerk.Locator("[data-testid=payer-download-pain001]").CountAsync()).ShouldBe(0);
        var clerkFile = await clerk.RunAndWaitForDownloadAsync(() => clerk.ClickAsync("[data-testid=payer-download-cash_xlsx]"));
        clerkFile.SuggestedFilename.ShouldEndWith(".xlsx");
        await clerk.SetInputFilesAsync("#p-file", csvPath);
        await clerk.ClickAsync("[data-testid=payer-upload]");
        await clerk.WaitForSelectorAsync("[data-testid=outcome-report]");
        await clerk.ClickAsync($"[data-testid=payer-print-{point}]");
        await clerk.WaitForSelectorAsync("[data-testid=grand-total]");

        // An admin makes a token for the bank's system: shown once, then revoked.
        var admin = await SignInAsync(app, "admin", AppProcess.AdminPassword);
        // …and a second clerk for the post office, from the user form with its payer.
        await admin.GotoAsync(app.BaseUrl + "/Admin/Users/Create");
        await admin.FillAsync("#UserName", "buudien2.tinh19");
        await admin.FillAsync("#FullName", "Đỗ Thị Quầy");
        await admin.SelectOptionAsync("#Role", "payer_clerk");
        await admin.SelectOptionAsync("#ProvinceCode", "19");
        await admin.SelectOptionAsync("#PayerId", postOffice.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await admin.FillAsync("#Password", "Quay-Pass-2026-x");
        await admin.ClickAsync("#user-save");
        await admin.WaitForURLAsync(app.BaseUrl + "/Admin/Users");
        (await ScalarAsync("SELECT payer_id FROM app_user WHERE user_name = 'buudien2.tinh19'")).ShouldBe(postOffice);
        await admin.ClickAsync("nav a[href='/Admin/ApiTokens']");
        await admin.FillAsync("#t-name", "Agribank host-to-host");
        await admin.ClickAsync("[data-testid=create-token]");
        (await admin.TextContentAsync("[data-testid=token-secret]"))!.ShouldStartWith("ansinh_");
        (await Chromium.AxeAsync(admin)).ShouldBeEmpty();
        await admin.ClickAsync("[data-testid^=revoke-]");
        await admin.WaitForURLAsync(app.BaseUrl + "/Admin/ApiTokens");
        (await admin.TextContentAsync("[data-testid=tokens]"))!.ShouldContain("Đã thu hồi");
    }

    /// <summary>The pages of a PDF Chromium wrote: its page objects, which it keeps uncompressed.</summary>
    private static int PdfPages(byte[] pdf) =>
        System.Text.RegularExpressions.Regex.Matches(Encoding.Latin1.GetString(pdf), @"/Type\s*/Page[^s]").Count;
}
