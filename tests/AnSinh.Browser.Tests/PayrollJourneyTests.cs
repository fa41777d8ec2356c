using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shouldly;

namespace AnSinh.Browser.Tests;

/// <summary>
/// The monthly payroll as a province runs it, every button pressed in Chromium: start a run, recompute, the commune
/// confirms, submit, return, approve, mark sent, results checked then recorded, the money request printed and
/// downloaded, three months not collected proposed for suspension, the recovery cap set, a debt waived, a draft
/// discarded. The other communes' confirmations are written straight into the database: their officers would press
/// the same button the commune officer presses here.
/// </summary>
public sealed partial class PayrollJourneyTests(AppProcess app) : BrowserTest, IClassFixture<AppProcess>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<IPage> SignInAsync(string user, string password = AppProcess.UserPassword) => SignInAsync(app, user, password);

    private async Task<List<object?[]>> RowsAsync(string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync(Ct);
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        await using var r = await cmd.ExecuteReaderAsync(Ct);
        var rows = new List<object?[]>();
        while (await r.ReadAsync(Ct))
        {
            var values = new object?[r.FieldCount];
            r.GetValues(values!);
            rows.Add(values);
        }

        return rows;
    }

    private async Task ExecAsync(string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync(Ct);
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(Ct);
    }

    private static async Task StatusAsync(IPage page, string status)
    {
        for (var i = 0; i < 60 && (await page.TextContentAsync("[data-testid=run-status]"))!.Trim() != status; i++)
        {
            await page.WaitForTimeoutAsync(500);
            await page.ReloadAsync();
        }

        (await page.TextContentAsync("[data-testid=run-status]"))!.Trim().ShouldBe(status, await page.TextContentAsync("div[role=alert]"));
    }

    /// <summary>The province officer starts a month from the runs page and waits on the run page until it is a draft.</summary>
    private async Task<string> StartAsync(IPage officer, string month)
    {
        await officer.GotoAsync(app.BaseUrl + "/Payroll/19");
        await officer.FillAsync("#Month", month);
        await officer.ClickAsync("[data-testid=start]");
        await officer.WaitForURLAsync(RunUrl());
        await StatusAsync(officer, "Bản nháp");
        return officer.Url;
    }

    /// <summary>Draft to sent: the commune's officer confirms, the others' confirmations are written, submit, approve, mark sent.</summary>
    private async Task ApproveAsync(IPage officer, IPage commune, IPage approver, string run, bool returnOnce = false)
    {
        var id = run[(run.LastIndexOf('/') + 1)..];
        await commune.GotoAsync(run);
        await commune.ClickAsync("[data-testid=confirm-01840]");
        await commune.WaitForSelectorAsync("[data-testid=done]");
        await ExecAsync($"""
            INSERT INTO payroll_confirmation (run_id, commune_code, confirmed_by, confirmed_at)
            SELECT DISTINCT {id}, commune_code, 'xa-' || commune_code, now() FROM payroll_line WHERE run_id = {id} AND commune_code <> '01840'
            """);
        await officer.GotoAsync(run);
        await officer.ClickAsync("[data-testid=submit]");
        await StatusAsync(officer, "Đã trình duyệt");
        await approver.GotoAsync(run);
        if (returnOnce)
        {
            await approver.FillAsync("#Reason", "Đề nghị rà soát lại các xã");
            await approver.ClickAsync("[data-testid=return]");
            await StatusAsync(approver, "Bản nháp");
            await officer.GotoAsync(run);
            (await officer.TextContentAsync("main"))!.ShouldContain("Đề nghị rà soát lại các xã");
            await officer.ClickAsync("[data-testid=submit]");
            await StatusAsync(officer, "Đã trình duyệt");
            await approver.GotoAsync(run);
        }

        await approver.ClickAsync("[data-testid=approve]");
        await StatusAsync(approver, "Đã duyệt");
        await officer.GotoAsync(run);
        await officer.ClickAsync("[data-testid=mark-sent]");
        await StatusAsync(officer, "Đã gửi đơn vị chi trả");
    }

    /// <summary>The payer's results: everyone paid but <paramref name="unpaid"/>; checked first, then recorded.</summary>
    private async Task ResultsAsync(IPage officer, string run, long unpaid, bool checkFirst = false)
    {
        var id = run[(run.LastIndexOf('/') + 1)..];
        var lines = await RowsAsync($"SELECT line_no, person_id FROM payroll_line WHERE run_id = {id} ORDER BY line_no");
        var csv = "line,outcome,date,receiver,note\n" + string.Concat(lines.Select(l => (long)l[1]! == unpaid
            ? $"{l[0]},unpaid,,,Không đến nhận\n"
            : $"{l[0]},paid,2026-11-20,self,\n"));
        var file = Path.Combine(Path.GetTempPath(), $"ket-qua-{id}.csv");
        await File.WriteAllTextAsync(file, csv, Ct);
        await officer.GotoAsync(run);
        if (checkFirst)
        {
            await officer.SetInputFilesAsync("#Upload", file);
            await officer.ClickAsync("[data-testid=upload-outcomes]");
            (await officer.TextContentAsync("[data-testid=outcome-report]"))!.ShouldContain("chưa ghi gì");
        }

        await officer.SetInputFilesAsync("#Upload", file);
        await officer.CheckAsync("#Commit");
        await officer.ClickAsync("[data-testid=upload-outcomes]");
        (await officer.TextContentAsync("[data-testid=outcome-report]"))!.ShouldContain("bảng chi trả đã đóng");
    }

    [Fact]
    public async Task MonthAfterMonth_EveryPayrollFormFromItsButton()
    {
        var shots = AppProcess.ArtifactsDir;
        var officer = await SignInAsync("tinh19");
        var commune = await SignInAsync("xa01840");
        var approver = await SignInAsync("lanhdao19");
        var absent = (long)(await RowsAsync("""
            SELECT p.id FROM person p JOIN enrolment e ON e.person_id = p.id
            WHERE p.commune_code = '01840' AND e.status = 'active' AND e.end_month IS NULL AND e.superseded_at IS NULL AND e.programme = 'social_assistance'
              AND NOT EXISTS (SELECT 1 FROM enrolment o WHERE o.person_id = p.id AND o.id <> e.id)
            ORDER BY p.id LIMIT 1
            """))[0][0]!;

        // October: started from the nav, recomputed once, returned once, then approved and sent; the results checked, then recorded.
        await officer.ClickAsync("nav a[href='/Payroll/19']");
        await officer.WaitForURLAsync(app.BaseUrl + "/Payroll/19");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        var october = await StartAsync(officer, "2026-10");
        await officer.ClickAsync("[data-testid=recompute]");
        await StatusAsync(officer, "Bản nháp");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.ClickAsync("[data-testid=lines] details summary");
        (await officer.TextContentAsync("[data-testid=item]"))!.ShouldContain("× mức chuẩn 540.000 đ");
        await ApproveAsync(officer, commune, approver, october, returnOnce: true);
        await ResultsAsync(officer, october, absent, checkFirst: true);
        await officer.ScreenshotAsync(new() { Path = Path.Combine(shots, "payroll-run.png"), FullPage = true });

        // The money request: printed with the amount in words, and as a workbook.
        await officer.ClickAsync("[data-testid=money-request]");
        await officer.WaitForSelectorAsync("[data-testid=to-transfer]");
        (await officer.TextContentAsync("body"))!.ShouldContain("đồng.");
        var download = await officer.RunAndWaitForDownloadAsync(() => officer.ClickAsync("[data-testid=money-request-xlsx]"));
        download.SuggestedFilename.ShouldBe("du-toan-19-2026-10.xlsx");
        (await officer.PdfAsync(new() { Path = Path.Combine(shots, "money-request.pdf"), Format = "A4" })).Length.ShouldBeGreaterThan(10_000);

        // November and December: the same person collects nothing again; the carried money grows.
        foreach (var month in new[] { "2026-11", "2026-12" })
        {
            var run = await StartAsync(officer, month);
            await ApproveAsync(officer, commune, approver, run);
            await ResultsAsync(officer, run, absent);
        }

        // Three months in a row: the commune officer sees the task at home and proposes the suspension with the evidence.
        await commune.GotoAsync(app.BaseUrl + "/");
        await commune.ClickAsync("[data-testid=work-uncollected] a");
        await commune.WaitForSelectorAsync($"[data-testid=uncollected-{absent}]");
        (await commune.TextContentAsync($"[data-testid=uncollected-{absent}]"))!.ShouldContain("10/2026");
        (await Chromium.AxeAsync(commune)).ShouldBeEmpty();
        await commune.ClickAsync($"[data-testid=propose-{absent}]");
        await commune.WaitForLoadStateAsync();
        (await commune.QuerySelectorAsync("[data-testid=done]")).ShouldNotBeNull(await commune.TextContentAsync("div[role=alert]"));
        (await commune.TextContentAsync($"[data-testid=uncollected-{absent}]"))!.ShouldContain("Đã đề xuất");

        // A draft thrown away frees its month.
        var discarded = await StartAsync(officer, "2027-01");
        await officer.GotoAsync(discarded);
        await officer.ClickAsync("[data-testid=discard]");
        await StatusAsync(officer, "Đã hủy");

        // The province sets its recovery cap to nothing this run; a person's period is corrected to start later,
        // so December was paid in excess, and January leaves that as a debt.
        await officer.GotoAsync(app.BaseUrl + "/Registry/Settings/19");
        await officer.FillAsync("#RecoveryCapPercent", "0");
        await officer.ClickAsync("#settings-save");
        await officer.WaitForURLAsync(app.BaseUrl + "/Registry/Settings/19");
        var corrected = (long)(await RowsAsync($"""
            SELECT l.person_id FROM payroll_line l JOIN payroll_run r ON r.id = l.run_id
            WHERE r.month = '2026-12-01' AND l.person_id <> {absent} AND l.back_pay = 0 AND l.carry_over = 0
              AND (SELECT count(*) FROM enrolment e WHERE e.person_id = l.person_id) = 1
            ORDER BY l.person_id LIMIT 1
            """))[0][0]!;
        await ExecAsync($"UPDATE enrolment SET start_month = '2027-01-01' WHERE person_id = {corrected}");
        var january = await StartAsync(officer, "2027-01");
        await ApproveAsync(officer, commune, approver, january);
        await approver.GotoAsync(app.BaseUrl + "/Payroll/19/Debts");
        await approver.WaitForSelectorAsync($"[data-testid=debt-{corrected}-2026-12]");
        (await Chromium.AxeAsync(approver)).ShouldBeEmpty();
        await approver.FillAsync($"#reason-{corrected}-2026-12", "Sai sót của cơ quan, UBND tỉnh cho miễn");
        await approver.ClickAsync($"[data-testid=debt-{corrected}-2026-12] [data-testid=waive]");
        await approver.WaitForSelectorAsync("[data-testid=done]");

        // The person page shows the ledger month by month.
        await commune.GotoAsync($"{app.BaseUrl}/Registry/People/{absent}");
        (await commune.TextContentAsync("[data-testid=ledger]"))!.ShouldContain("Chưa nhận tháng trước");
    }

    private Regex RunUrl() => new(Regex.Escape(app.BaseUrl) + "/Payroll/19/Runs/\\d+$");
}
