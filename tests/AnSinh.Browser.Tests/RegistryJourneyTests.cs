using AnSinh.Core.People;
using Microsoft.Playwright;
using Shouldly;

namespace AnSinh.Browser.Tests;

/// <summary>The registry as offices use it: receive at the commune, decide at the province, print, find again.</summary>
public sealed class RegistryJourneyTests(AppProcess app) : BrowserTest, IClassFixture<AppProcess>
{
    private Task<IPage> SignInAsync(string user, string password = AppProcess.UserPassword) => SignInAsync(app, user, password);

    [Fact]
    public async Task ReceiveApproveFind_TheWholeJourney()
    {
        var shots = AppProcess.ArtifactsDir;
        var citizenId = CitizenId.Compose("019", 1950, Sex.Female, 424242);
        var scan = Path.Combine(Path.GetTempPath(), "don-de-nghi.pdf");
        await File.WriteAllTextAsync(scan, "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", TestContext.Current.CancellationToken);

        // 1. The commune officer receives the application with its form scanned, and checks it.
        var officer = await SignInAsync("xa01840");
        await officer.ClickAsync("a[href='/Registry']");
        await officer.ClickAsync("a[href='/Registry/Applications/New']");
        await officer.FillAsync("#CitizenId", citizenId);
        await officer.FillAsync("#FullName", "Nguyễn Thị Hồng Nhung");
        await officer.FillAsync("#BirthDate", "1950-04-12");
        await officer.SelectOptionAsync("#Sex", "female");
        await officer.FillAsync("#Hamlet", "Tổ 7");
        await officer.CheckAsync("#cat-5a");
        await officer.SetInputFilesAsync("#Document", scan);
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.ClickAsync("#receive-submit");
        await officer.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/Registry/Applications/\\d+$"));
        var applicationUrl = officer.Url;
        (await officer.TextContentAsync("[data-testid=app-status]"))!.ShouldBe("Đã tiếp nhận");
        (await officer.TextContentAsync("main"))!.ShouldContain("don-de-nghi.pdf");
        await officer.ClickAsync("#check");
        await officer.WaitForSelectorAsync("[data-testid=app-status]:text('Đã kiểm tra')");
        await officer.ScreenshotAsync(new() { Path = Path.Combine(shots, "application-checked.png"), FullPage = true });

        // 2. The commune chairman decides, with the start month, and prints the decision with their title and name.
        var approver = await SignInAsync("chutich01840");
        await approver.GotoAsync(applicationUrl);
        await approver.FillAsync("#DecisionNumber", "125/QĐ-UBND");
        await approver.ClickAsync("#approve");
        await approver.WaitForSelectorAsync("[data-testid=app-status]:text('Đã duyệt')");
        await approver.ClickAsync("[data-testid=print-decision]");
        await approver.WaitForSelectorAsync("[data-testid=decision-amount]");
        var amount = (await approver.TextContentAsync("[data-testid=decision-amount]"))!;
        amount.ShouldMatch(@"^\d{1,3}(\.\d{3})+ đ$");
        (await approver.TextContentAsync("[data-testid=decision-words]"))!.ShouldEndWith("nghìn đồng");
        (await approver.TextContentAsync("body"))!.ShouldContain("Số: 125/QĐ-UBND");
        (await approver.TextContentAsync("[data-testid=decision-signer]"))!.ShouldContain("CHỦ TỊCH");
        (await approver.TextContentAsync("[data-testid=decision-signer]"))!.ShouldContain("Lò Văn Chủ");
        await approver.ScreenshotAsync(new() { Path = Path.Combine(shots, "decision.png"), FullPage = true });
        var pdf = await approver.PdfAsync(new() { Path = Path.Combine(shots, "decision.pdf"), Format = "A4" });
        pdf.Length.ShouldBeGreaterThan(10_000);

        // 3. Anyone in the commune finds her by typing the name without diacritics.
        await officer.GotoAsync(app.BaseUrl + "/Registry");
        await officer.FillAsync("#Q", "nguyen thi hong nhung");
        await officer.WaitForSelectorAsync("[data-testid=people] a:text('Nguyễn Thị Hồng Nhung')");
        await officer.ClickAsync("[data-testid=people] a:text('Nguyễn Thị Hồng Nhung')");
        await officer.WaitForSelectorAsync("[data-testid=explanation]");
        (await officer.TextContentAsync("[data-testid=explanation]"))!.ShouldContain("Nhóm 5a");
        (await officer.TextContentAsync("[data-testid=periods]"))!.ShouldContain("125/QĐ-UBND");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.ScreenshotAsync(new() { Path = Path.Combine(shots, "person.png"), FullPage = true });
    }

    [Fact]
    public async Task DeciderSetup_UserFormSettingsWithdrawAndRefuse_FromTheirForms()
    {
        // The admin adds a vice-chairman with the title printed on decisions.
        var admin = await SignInAsync("admin", AppProcess.AdminPassword);
        await admin.GotoAsync(app.BaseUrl + "/Admin/Users/Create");
        await admin.FillAsync("#UserName", "phochutich01840");
        await admin.FillAsync("#FullName", "Lương Thị Phó");
        await admin.SelectOptionAsync("#Role", "commune_approver");
        await admin.FillAsync("#JobTitle", "Phó Chủ tịch");
        await admin.FillAsync("#CommuneCode", "01840");
        await admin.FillAsync("#Password", AppProcess.UserPassword);
        await admin.ClickAsync("#user-save");
        await admin.WaitForURLAsync(app.BaseUrl + "/Admin/Users");
        (await ScalarAsync("SELECT count(*) FROM app_user WHERE user_name = 'phochutich01840' AND job_title = 'Phó Chủ tịch' AND role = 'commune_approver'")).ShouldBe(1L);

        // The province confirms the commune chairman decides (the default), from its settings page.
        var province = await SignInAsync("tinh19");
        await province.GotoAsync(app.BaseUrl + "/Registry/Settings/19");
        await province.SelectOptionAsync("#Decider", "commune");
        await province.FillAsync("#Reason", "Nghị định 147/2025");
        await province.ClickAsync("#settings-save");
        await province.WaitForURLAsync(app.BaseUrl + "/Registry/Settings/19");
        (await Chromium.AxeAsync(province)).ShouldBeEmpty();

        // Two checked applications (written directly: receiving and checking are pressed in the journey above): one
        // withdrawn by the officer, one refused by the vice-chairman.
        var officer = await SignInAsync("xa01840");
        var urls = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            var id = await ScalarAsync("""
                INSERT INTO application (person_id, province_code, commune_code, programme, categories, channel, received_on, due_on, status, created_by)
                SELECT id, province_code, commune_code, 'social_pension', '[{"code":"social_pension"}]', 'in_person', date '2026-11-20', date '2026-12-04', 'checked', 'xa01840'
                FROM person p WHERE commune_code = '01840' AND death_date IS NULL AND NOT EXISTS (SELECT 1 FROM application a WHERE a.person_id = p.id)
                ORDER BY id LIMIT 1 RETURNING id
                """);
            urls.Add($"{app.BaseUrl}/Registry/Applications/{id}");
        }

        await officer.GotoAsync(urls[0]);
        await officer.FillAsync("#WithdrawReason", "Người dân xin rút");
        await officer.ClickAsync("#withdraw");
        await officer.WaitForSelectorAsync("[data-testid=app-status]:text('Đã rút')");

        var vice = await SignInAsync("phochutich01840");
        await vice.GotoAsync(urls[1]);
        (await vice.QuerySelectorAsync("#approve")).ShouldNotBeNull();
        await vice.FillAsync("#RefusalReason", "Có lương hưu");
        await vice.ClickAsync("#refuse");
        await vice.WaitForSelectorAsync("[data-testid=app-status]:text('Từ chối')");
        (await Chromium.AxeAsync(vice)).ShouldBeEmpty();
    }

    /// <summary>Seeded people of commune 01840 with an open social-assistance period: the forms below change them.</summary>
    private async Task<long[]> PeopleAsync(int count)
    {
        await using var conn = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new Npgsql.NpgsqlCommand($"""
            SELECT p.id FROM person p JOIN enrolment e ON e.person_id = p.id
            WHERE p.commune_code = '01840' AND p.death_date IS NULL AND e.programme = 'social_assistance' AND e.status = 'active'
              AND e.end_month IS NULL AND e.superseded_at IS NULL AND e.start_month <= date '2026-11-01'
              AND NOT EXISTS (SELECT 1 FROM enrolment o WHERE o.person_id = p.id AND o.programme <> 'social_assistance')
            ORDER BY p.id DESC LIMIT {count}
            """, conn);
        var ids = new List<long>();
        await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            ids.Add(reader.GetInt64(0));
        }

        ids.Count.ShouldBe(count);
        return [.. ids];
    }

    private async Task<long> ScalarAsync(string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }

    /// <summary>Opens a change form, lets <paramref name="fill"/> fill it, submits, and waits for the person page again.</summary>
    private static async Task ChangeAsync(IPage page, long personId, string kind, string? month, Func<Task>? fill = null)
    {
        await page.ClickAsync($"[data-testid=change-{kind}] summary");
        if (month is not null)
        {
            await page.FillAsync($"#{kind}-Month", month);
        }

        if (fill is not null)
        {
            await fill();
        }

        await page.FillAsync($"#{kind}-Reason", "Kiểm tra biểu mẫu " + kind);
        var reloaded = page.WaitForResponseAsync(r => r.Request.Method == "GET" && r.Url.Contains($"/Registry/People/{personId}?done=", StringComparison.Ordinal));
        await page.ClickAsync($"[data-testid=submit-{kind}]");
        (await reloaded).Status.ShouldBe(200);
        await page.WaitForSelectorAsync("[data-testid=done]");
    }

    /// <summary>The chairman opens the person and approves the one proposal waiting, with a decision number.</summary>
    private async Task DecideAsync(IPage chairman, long personId, string number)
    {
        await chairman.GotoAsync($"{app.BaseUrl}/Registry/People/{personId}");
        await chairman.FillAsync("[data-testid^=proposal-] input[name=DecisionNumber]", number);
        await chairman.ClickAsync("[data-testid=approve-proposal]");
        await chairman.WaitForURLAsync(new System.Text.RegularExpressions.Regex("done=decided$"));
        (await chairman.TextContentAsync("[data-testid=decisions]"))!.ShouldContain(number);
    }

    [Fact]
    public async Task Changes_EachKindFromItsOwnForm()
    {
        var people = await PeopleAsync(3);
        var officer = await SignInAsync("xa01840");
        var chairman = await SignInAsync("chutich01840");

        // Combined categories: a single parent of two who is severely disabled; proposed, then decided by the chairman.
        await officer.GotoAsync($"{app.BaseUrl}/Registry/People/{people[0]}");
        (await officer.QuerySelectorAsync("[data-testid=change-move]")).ShouldBeNull(); // a commune officer cannot move anyone out alone
        await ChangeAsync(officer, people[0], "category", "2026-11", async () =>
        {
            await officer.Locator("[data-testid=change-category] input[type=checkbox]").EvaluateAllAsync<int>("els => { els.forEach(e => e.checked = false); return els.length; }");
            await officer.CheckAsync("#cat-4");
            await officer.FillAsync("#cat-children", "2");
            await officer.CheckAsync("#cat-6");
            await officer.SelectOptionAsync("#cat-severity", "severe");
        });
        (await officer.TextContentAsync("[data-testid=done]"))!.ShouldContain("Đã gửi đề xuất");
        (await officer.QuerySelectorAsync("[data-testid=approve-proposal]")).ShouldBeNull(); // the proposer never decides
        await DecideAsync(chairman, people[0], "31/QĐ-UBND");
        await officer.ReloadAsync();
        var explanation = (await officer.TextContentAsync("[data-testid=explanation]"))!;
        explanation.ShouldContain("Nhóm 4");
        explanation.ShouldContain("Nhóm 6");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();

        // Suspend next month, resume with back pay, then stop: each proposed, each decided; one refused first.
        await ChangeAsync(officer, people[0], "suspend", "2026-12");
        await chairman.GotoAsync($"{app.BaseUrl}/Registry/People/{people[0]}");
        await chairman.FillAsync("[data-testid^=proposal-] input[name=RefusalReason]", "Chưa xác minh đủ 3 tháng");
        await chairman.ClickAsync("[data-testid=refuse-proposal]");
        await chairman.WaitForURLAsync(new System.Text.RegularExpressions.Regex("done=refused$"));
        await ChangeAsync(officer, people[0], "suspend", "2026-12");
        await DecideAsync(chairman, people[0], "32/QĐ-UBND");
        (await chairman.TextContentAsync("[data-testid=periods]"))!.ShouldContain("Tạm dừng");
        await officer.GotoAsync($"{app.BaseUrl}/Registry/People/{people[0]}");
        await ChangeAsync(officer, people[0], "resume", "2026-12", () => officer.CheckAsync("#resume-BackPay"));
        await DecideAsync(chairman, people[0], "33/QĐ-UBND");
        await officer.GotoAsync($"{app.BaseUrl}/Registry/People/{people[0]}");
        await ChangeAsync(officer, people[0], "stop", "2026-12");
        await DecideAsync(chairman, people[0], "34/QĐ-UBND");
        (await Chromium.AxeAsync(chairman)).ShouldBeEmpty();
        (await ScalarAsync($"SELECT count(*) FROM enrolment WHERE person_id = {people[0]} AND end_month IS NULL AND superseded_at IS NULL")).ShouldBe(0L);

        // The home page lists the officer's work; the payment routing page shows who cannot be paid next month.
        await officer.GotoAsync(app.BaseUrl + "/");
        await officer.WaitForSelectorAsync("[data-testid=work-unrouted]");
        await officer.ClickAsync("a[href='/Payment/Routing']");
        await officer.FillAsync("#Month", "2026-12");
        await officer.ClickAsync("#routing-show");
        await officer.WaitForSelectorAsync("[data-testid=cashless]");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        var download = officer.WaitForDownloadAsync();
        await officer.ClickAsync("[data-testid=outreach-xlsx]");
        (await (await download).PathAsync()).ShouldNotBeNull();

        // Death, with the date of death.
        await officer.GotoAsync($"{app.BaseUrl}/Registry/People/{people[1]}");
        await ChangeAsync(officer, people[1], "death", null, () => officer.FillAsync("#death-Date", "2026-11-10"));
        (await officer.TextContentAsync("h1"))!.ShouldContain("10/11/2026");

        // A move is made by the province officer, choosing the commune by name.
        var province = await SignInAsync("tinh19");
        await province.GotoAsync($"{app.BaseUrl}/Registry/People/{people[2]}");
        await ChangeAsync(province, people[2], "move", "2026-12", () => province.SelectOptionAsync("#move-Commune", new SelectOptionValue { Index = 1 }));
        (await ScalarAsync($"SELECT count(*) FROM person WHERE id = {people[2]} AND commune_code <> '01840'")).ShouldBe(1L);
        await province.ScreenshotAsync(new() { Path = Path.Combine(AppProcess.ArtifactsDir, "person-after-move.png"), FullPage = true });
    }

    [Fact]
    public async Task PaymentRoutingAndTransfers_FromTheirForms()
    {
        var suffix = Guid.NewGuid().ToString("N")[..5];
        var scan = Path.Combine(Path.GetTempPath(), "giay-uy-quyen.png");
        await File.WriteAllBytesAsync(scan, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0], TestContext.Current.CancellationToken);

        // The province officer sets up a payer, its contract for the whole province and a payment point, from the nav.
        var province = await SignInAsync("tinh19");
        await province.ClickAsync("a[href='/Payment/Payers/19']");
        await province.ClickAsync("[data-testid=add-payer] summary");
        await province.FillAsync("#payer-Name", "Bưu điện tỉnh " + suffix);
        await province.ClickAsync("[data-testid=save-payer]");
        await province.WaitForSelectorAsync("[data-testid=done]");
        await province.ClickAsync("[data-testid=add-contract] summary");
        await province.SelectOptionAsync("#PayerId", new SelectOptionValue { Label = "Bưu điện tỉnh " + suffix });
        await province.FillAsync("#Reference", "HĐ-" + suffix);
        await province.CheckAsync("#PaysAccount");
        await province.FillAsync("#FeePercent", "0,6");
        await province.FillAsync("#ValidFrom", "2026-01-01");
        await province.CheckAsync("#AllCommunes");
        await province.ClickAsync("[data-testid=save-contract]");
        await province.WaitForSelectorAsync("[data-testid=done]");
        (await province.TextContentAsync("[data-testid=contracts]"))!.ShouldContain("0,60 %");
        await province.ClickAsync("[data-testid=add-point] summary");
        await province.SelectOptionAsync("#CommuneCode", new SelectOptionValue { Label = "Phường Đức Xuân" });
        await province.SelectOptionAsync("#PointPayerId", new SelectOptionValue { Label = "Bưu điện tỉnh " + suffix });
        await province.FillAsync("#point-Name", "Nhà văn hóa tổ 9 " + suffix);
        await province.ClickAsync("[data-testid=save-point]");
        await province.WaitForSelectorAsync("[data-testid=done]");
        (await Chromium.AxeAsync(province)).ShouldBeEmpty();

        // An admin adds a bank missing from the NAPAS list, reaching the payers page from the rates page.
        var admin = await SignInAsync("admin", AppProcess.AdminPassword);
        await admin.GotoAsync(app.BaseUrl + "/Rules?province=19");
        await admin.ClickAsync("[data-testid=payers-link]");
        await admin.ClickAsync("[data-testid=add-bank] summary");
        var bin = Random.Shared.Next(961_000, 962_999).ToString(System.Globalization.CultureInfo.InvariantCulture); // no NAPAS BIN in this range
        await admin.FillAsync("#Bin", bin);
        await admin.FillAsync("#ShortName", "Ngân hàng thử " + suffix);
        await admin.FillAsync("#FullName", "Ngân hàng TMCP Thử Nghiệm " + suffix);
        await admin.ClickAsync("[data-testid=save-bank]");
        (await admin.TextContentAsync("[data-testid=done]"))!.ShouldContain("Đã thêm ngân hàng");
        (await ScalarAsync($"SELECT count(*) FROM bank WHERE bin = '{bin}'")).ShouldBe(1L);

        // Two people coming into Phường Đức Xuân from elsewhere in the province: the chairman refuses one and takes the other,
        // whom the commune officer then sets up to be paid.
        var incoming = await ScalarAsync("""
            SELECT p.id FROM person p WHERE p.commune_code <> '01840' AND p.province_code = '19' AND p.death_date IS NULL
              AND EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.end_month IS NULL AND e.superseded_at IS NULL AND e.start_month <= date '2026-11-01')
            ORDER BY p.id LIMIT 1
            """);
        var other = await ScalarAsync($"""
            SELECT p.id FROM person p WHERE p.commune_code <> '01840' AND p.province_code = '19' AND p.death_date IS NULL AND p.id > {incoming}
              AND EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = p.id AND e.end_month IS NULL AND e.superseded_at IS NULL AND e.start_month <= date '2026-11-01')
            ORDER BY p.id LIMIT 1
            """);
        foreach (var id in new[] { incoming, other })
        {
            await ScalarAsync($"""
                INSERT INTO transfer (person_id, from_province_code, from_commune_code, to_province_code, to_commune_code, effective_month, reason, requested_by, requested_at)
                SELECT id, province_code, commune_code, '19', '01840', date '2026-12-01', 'Chuyển về ở với con', 'xa-khac', timestamptz '2026-11-20 10:00+00' FROM person WHERE id = {id} RETURNING id
                """);
        }

        var chairman = await SignInAsync("chutich01840");
        await chairman.GotoAsync(app.BaseUrl + "/");
        await chairman.ClickAsync("[data-testid=work-transfers] a");
        await chairman.FillAsync($"[data-testid^=transfer-]:has-text('{await NameAsync(other)}') input[name=RefusalReason]", "Không cư trú tại phường");
        await chairman.ClickAsync($"[data-testid^=transfer-]:has-text('{await NameAsync(other)}') [data-testid=refuse-transfer]");
        await chairman.WaitForURLAsync(new System.Text.RegularExpressions.Regex("done=refused$"));
        await chairman.FillAsync("[data-testid^=transfer-] input[name=DecisionNumber]", "77/QĐ-UBND");
        await chairman.ClickAsync("[data-testid=complete-transfer]");
        await chairman.WaitForURLAsync(new System.Text.RegularExpressions.Regex($"/Registry/People/{incoming}\\?done=transferred$"));
        (await chairman.TextContentAsync("[data-testid=decisions]"))!.ShouldContain("77/QĐ-UBND");
        (await Chromium.AxeAsync(chairman)).ShouldBeEmpty();
        var person = incoming;

        // The commune officer sets how the person is paid: cash at the new point, then an account typed with spaces.
        var officer = await SignInAsync("xa01840");
        await officer.GotoAsync($"{app.BaseUrl}/Registry/People/{person}");
        await officer.ClickAsync("[data-testid=payment-link]");
        await officer.ClickAsync("[data-testid=method-cash_point] summary");
        await officer.SelectOptionAsync("#cash_point-Point", new SelectOptionValue { Label = $"Nhà văn hóa tổ 9 {suffix} (ngày 7–15)" });
        await officer.FillAsync("#cash_point-Month", "2026-11");
        await officer.FillAsync("#cash_point-Reason", "Nhận tại điểm mới");
        await officer.ClickAsync("[data-testid=save-cash_point]");
        await officer.WaitForSelectorAsync("[data-testid=done]");
        await officer.ClickAsync("[data-testid=method-bank] summary");
        await officer.SelectOptionAsync("#bank-Bin", "970405");
        await officer.FillAsync("#bank-Account", "1234 5678 9012");
        await officer.FillAsync("#bank-Month", "2026-12");
        await officer.FillAsync("#bank-Reason", "Mở tài khoản");
        await officer.ClickAsync("[data-testid=save-bank]");
        await officer.WaitForSelectorAsync("[data-testid=done]");
        (await officer.TextContentAsync("[data-testid=instructions]"))!.ShouldContain("123456789012");

        // A proxy with the scanned letter; the standard letter prints pre-filled; then paid through the proxy.
        await officer.ClickAsync("[data-testid=add-proxy] summary");
        await officer.FillAsync("#ProxyName", "Lò Thị Thay");
        await officer.FillAsync("#ProxyCitizenId", CitizenId.Compose("019", 1980, Sex.Female, 777001));
        await officer.FillAsync("#Relationship", "con gái");
        await officer.FillAsync("#ValidFrom", "2026-12-01");
        await officer.FillAsync("#ValidTo", "2027-11-30");
        await officer.SetInputFilesAsync("#Letter", scan);
        await officer.ClickAsync("[data-testid=register-proxy]");
        await officer.WaitForSelectorAsync("[data-testid=done]");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.ClickAsync("[data-testid^=print-letter-]");
        await officer.WaitForSelectorAsync("[data-testid=grantee]");
        (await officer.TextContentAsync("[data-testid=grantee]"))!.ShouldContain("Lò Thị Thay");
        (await officer.TextContentAsync("[data-testid=period]"))!.ShouldContain("01/12/2026");
        await officer.ScreenshotAsync(new() { Path = Path.Combine(AppProcess.ArtifactsDir, "authorisation-letter.png"), FullPage = true });
        await officer.GoBackAsync();
        var scanResponse = await officer.APIRequest.GetAsync(app.BaseUrl + (await officer.GetAttributeAsync("[data-testid^=scan-]", "href"))!);
        scanResponse.Status.ShouldBe(200);
        await officer.ClickAsync("[data-testid=method-proxy] summary");
        await officer.SelectOptionAsync("#proxy-Point", new SelectOptionValue { Index = 0 });
        await officer.FillAsync("#proxy-Month", "2026-12");
        await officer.FillAsync("#proxy-Reason", "Con gái nhận thay");
        await officer.ClickAsync("[data-testid=save-proxy]");
        await officer.WaitForSelectorAsync("[data-testid=done]");
        await officer.ClickAsync("[data-testid=method-home] summary");
        await officer.FillAsync("#home-HomeReason", "Ốm nặng, không đi lại được");
        await officer.FillAsync("#home-Month", "2026-12");
        await officer.FillAsync("#home-Reason", "Xác nhận của trạm y tế");
        await officer.ClickAsync("[data-testid=save-home]");
        await officer.WaitForSelectorAsync("[data-testid=done]");
        (await officer.TextContentAsync("[data-testid=instructions]"))!.ShouldContain("Ốm nặng, không đi lại được");

        // A transfer to Hà Nội: the province first, then the commune by name; then withdrawn from the transfers page.
        await officer.GotoAsync($"{app.BaseUrl}/Registry/People/{person}");
        await officer.ClickAsync("[data-testid=transfer-link]");
        await officer.SelectOptionAsync("#Province", "01");
        await officer.ClickAsync("#choose-province");
        await officer.SelectOptionAsync("#CommuneCode", new SelectOptionValue { Label = "Phường Ba Đình" });
        await officer.FillAsync("#EffectiveMonth", "2026-12");
        await officer.FillAsync("#Reason", "Về Hà Nội ở với con");
        await officer.ClickAsync("#request-transfer");
        await officer.WaitForSelectorAsync("[data-testid=done]");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.ClickAsync("[data-testid=withdraw-transfer]");
        await officer.WaitForURLAsync(new System.Text.RegularExpressions.Regex("done=withdrawn$"));

    }

    private async Task<string> NameAsync(long personId)
    {
        await using var conn = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new Npgsql.NpgsqlCommand($"SELECT full_name FROM person WHERE id = {personId}", conn);
        return (string)(await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
    }
}
