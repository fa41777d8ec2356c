using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnSinh.Core.People;
using Npgsql;
using Shouldly;

namespace AnSinh.Web.Tests.Payroll;

/// <summary>
/// The ledger's scenarios through the API and the background worker, month after month, each in a province of its
/// own. Amounts are worked out by hand: 5a aged 76 and severe disability are 1.5 × the base; the base is 500,000
/// until 6/2026 and 540,000 from 7/2026 (Decree 335/2026, known from 5/10/2026); funeral support is 20 × the base.
/// </summary>
public sealed class PayrollTests(PayrollFixture f) : IClassFixture<PayrollFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static long Id(JsonElement run) => run.GetProperty("id").GetInt64();

    [Fact]
    public async Task Runs_Decree335AndALateDecision_PayTheDifferenceAndTheMissedMonths()
    {
        var p = await f.PlaceAsync("04");
        var x = await p.PersonAsync("Nông Văn Xuân", "1984-03-15", Sex.Male);
        await p.EnrolAsync(x, "6", "2026-06", "severe");
        // June to October, each cut off before Decree 335 was known: 1.5 × 500,000 = 750,000 a month.
        foreach (var (month, cutOff) in new[] { ("2026-06", "2026-05-20"), ("2026-07", "2026-06-20"), ("2026-08", "2026-07-20"), ("2026-09", "2026-08-20") })
        {
            var run = await p.PayAsync(month, cutOff);
            run.GetProperty("total").GetInt64().ShouldBe(750_000);
            run.GetProperty("status").GetString().ShouldBe("sent");
        }

        // Decided only now, from August: the October run (still at 500,000) pays October and back pay for August and
        // September: 3 × 750,000 = 2,250,000.
        var y = await p.PersonAsync("Hoàng Thị Yến", "1950-03-15");
        await p.EnrolAsync(y, "5a", "2026-08");
        var october = await p.PayAsync("2026-10", "2026-09-20");
        (await p.LineAsync(Id(october), y)).ShouldBe("2026-08:back_pay:750000 2026-09:back_pay:750000 2026-10:regular:750000");
        october.GetProperty("total").GetInt64().ShouldBe(750_000 + 2_250_000);
        // Only Y, decided since September's run, had the whole ledger read; X only from October.
        october.GetProperty("fullReads").GetInt32().ShouldBe(1);

        // The first run cut off after 5/10: November at 810,000, plus 40,000 × 1.5 = 60,000 for every month paid at
        // 500,000 since July: four for X (1,050,000), three for Y (990,000).
        var november = await p.ComputeAsync("2026-11", "2026-11-21");
        (await p.LineAsync(Id(november), x)).ShouldBe("2026-07:back_pay:60000 2026-08:back_pay:60000 2026-09:back_pay:60000 2026-10:back_pay:60000 2026-11:regular:810000");
        (await p.LineAsync(Id(november), y)).ShouldBe("2026-08:back_pay:60000 2026-09:back_pay:60000 2026-10:back_pay:60000 2026-11:regular:810000");
        november.GetProperty("total").GetInt64().ShouldBe(1_050_000 + 990_000);
        november.GetProperty("lines").GetInt32().ShouldBe(2);
        // Nobody changed since October: both read only from July, the first month Decree 335 changed.
        november.GetProperty("fullReads").GetInt32().ShouldBe(0);
        var totals = await p.ProvinceOfficer.GetFromJsonAsync<JsonElement[]>($"{p.Runs}/{Id(november)}/totals?by=kind", Ct);
        totals!.ToDictionary(t => t.GetProperty("key").GetString()!, t => t.GetProperty("total").GetInt64())
            .ShouldBe(new Dictionary<string, long> { ["regular"] = 1_620_000, ["back_pay"] = 420_000, ["carry_over"] = 0, ["funeral"] = 0, ["recovery"] = 0 });

        // Against October: both lines changed by back pay. X 750,000 → 1,050,000 (+300,000), Y 2,250,000 → 990,000
        // (−1,260,000): −960,000 in all, which is November's total less October's.
        var diff = await p.ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{p.Runs}/{Id(november)}/diff", Ct);
        diff.GetProperty("previousRunId").GetInt64().ShouldBe(Id(october));
        var reason = diff.GetProperty("byReason").EnumerateArray().ShouldHaveSingleItem();
        (reason.GetProperty("reason").GetString(), reason.GetProperty("people").GetInt32(), reason.GetProperty("change").GetInt64()).ShouldBe(("back_pay", 2, -960_000));

        // Reproducible: recomputing the draft from the same inputs gives the same lines and the same hash.
        var hash = november.GetProperty("contentHash").GetString();
        hash.ShouldNotBeNullOrEmpty();
        (await p.ProvinceOfficer.PostAsync($"{p.Runs}/{Id(november)}/recompute", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await p.WaitAsync(Id(november))).GetProperty("contentHash").GetString().ShouldBe(hash);
        // Reading every month of everyone's ledger, instead of only the months that can owe something new, gives
        // the same lines too.
        f.Computer.FullHistory = true;
        try
        {
            (await p.ProvinceOfficer.PostAsync($"{p.Runs}/{Id(november)}/recompute", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await p.WaitAsync(Id(november))).GetProperty("contentHash").GetString().ShouldBe(hash);
        }
        finally
        {
            f.Computer.FullHistory = false;
        }

        // One open run per province: neither December nor a second November while November is open.
        (await p.ProvinceOfficer.PostAsJsonAsync(p.Runs, new { month = "2026-12" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await p.ProvinceOfficer.PostAsJsonAsync(p.Runs, new { month = "2026-11" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);

        // Approved: every later run owes nothing more for those months.
        await p.ApproveAsync(november);
        var december = await p.ComputeAsync("2026-12", "2026-11-21");
        (await p.LineAsync(Id(december), x)).ShouldBe("2026-12:regular:810000");
        (await p.LineAsync(Id(december), y)).ShouldBe("2026-12:regular:810000");
    }

    [Fact]
    public async Task Approve_ByWhoeverPreparedOrSubmitted_IsRefusedEvenForAnAdmin()
    {
        var p = await f.PlaceAsync("08");
        var x = await p.PersonAsync("Ma Văn Ánh", "1950-03-15", Sex.Male);
        await p.EnrolAsync(x, "5a", "2026-11");
        var admin = await f.App.SignedInAsync("admin");
        var start = await admin.PostAsJsonAsync(p.Runs, new { month = "2026-11" }, Ct);
        start.StatusCode.ShouldBe(HttpStatusCode.Accepted);
        var run = await p.WaitAsync(Id(await start.Content.ReadFromJsonAsync<JsonElement>(Ct)));
        (await p.Officer.PostAsync($"{p.Runs}/{Id(run)}/communes/{p.Commune}/confirm", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        // Submitting a draft with a commune unconfirmed is refused; here every commune confirmed.
        (await p.ProvinceOfficer.PostAsync($"{p.Runs}/{Id(run)}/submit", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        // The admin prepared it: refused, whatever the role.
        var byPreparer = await admin.PostAsync($"{p.Runs}/{Id(run)}/approve", null, Ct);
        byPreparer.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await byPreparer.Content.ReadAsStringAsync(Ct)).ShouldContain("không được tự duyệt");
        // A province officer holds no approver role at all.
        (await p.ProvinceOfficer.PostAsync($"{p.Runs}/{Id(run)}/approve", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        // Another province's approver does not even see it.
        var other = await f.PlaceAsync("11");
        (await other.Approver.PostAsync($"{p.Runs}/{Id(run)}/approve", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);

        (await p.Approver.PostAsync($"{p.Runs}/{Id(run)}/approve", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        // Approving twice changes nothing and says so.
        (await p.Approver.PostAsync($"{p.Runs}/{Id(run)}/approve", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var approved = await p.ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{p.Runs}/{Id(run)}", Ct);
        approved.GetProperty("approvedBy").GetString().ShouldBe("p08-duyet");
        approved.GetProperty("total").GetInt64().ShouldBe(810_000);
    }

    [Fact]
    public async Task ApprovedRun_IsFrozenInTheDatabaseItself()
    {
        var p = await f.PlaceAsync("12");
        var x = await p.PersonAsync("Lù Thị Bình", "1950-03-15");
        await p.EnrolAsync(x, "5a", "2026-11");
        var run = await p.PayAsync("2026-11", "2026-11-21");
        var id = Id(run);
        foreach (var sql in new[]
        {
            $"UPDATE payroll_line SET total = total + 1, regular = regular + 1 WHERE run_id = {id}",
            $"UPDATE payroll_item SET amount = amount + 1 WHERE run_id = {id}",
            $"DELETE FROM payroll_item WHERE run_id = {id}",
            $"INSERT INTO payroll_line SELECT run_id, line_no + 1000, person_id, province_code, commune_code, category, channel, instruction_id, payment_point_id, payer_id, regular, back_pay, carry_over, funeral, recovery, total FROM payroll_line WHERE run_id = {id}",
            $"UPDATE payroll_run SET total = 1 WHERE id = {id}",
            $"UPDATE payroll_run SET status = 'draft' WHERE id = {id}",
            $"DELETE FROM payroll_run WHERE id = {id}",
            "TRUNCATE payroll_item",
        })
        {
            var e = await Should.ThrowAsync<PostgresException>(() => f.App.ExecAsync(sql));
            e.SqlState.ShouldBe("P0001", sql);
        }

        (await f.App.ScalarAsync<long>($"SELECT sum(total) FROM payroll_line WHERE run_id = {id}")).ShouldBe(810_000);
    }

    [Fact]
    public async Task Outcomes_UnpaidMoneyIsCarried_AndADeathRecordedLateIsRecovered()
    {
        var p = await f.PlaceAsync("14");
        var d = await p.PersonAsync("Lò Văn Đức", "1950-03-15", Sex.Male);
        var u = await p.PersonAsync("Cầm Thị Út", "1950-05-05");
        await p.EnrolAsync(d, "5a", "2026-07");
        await p.EnrolAsync(u, "5a", "2026-07");
        string? sequence = null;
        foreach (var month in new[] { "2026-07", "2026-08", "2026-09" })
        {
            var run = await p.PayAsync(month, "2026-11-21");
            var lineD = await p.LineNoAsync(Id(run), d);
            var lineU = await p.LineNoAsync(Id(run), u);
            var rows = new[]
            {
                new { lineNo = lineD, outcome = "paid", date = (string?)"2026-11-21", receiver = (string?)"self", note = (string?)null },
                new { lineNo = lineU, outcome = "unpaid", date = (string?)null, receiver = (string?)null, note = (string?)"Không đến nhận" },
            };
            var recorded = await p.ProvinceOfficer.PostAsJsonAsync($"{p.Runs}/{Id(run)}/outcomes", new { rows, dryRun = false }, Ct);
            recorded.StatusCode.ShouldBe(HttpStatusCode.OK, await recorded.Content.ReadAsStringAsync(Ct));
            var report = await recorded.Content.ReadFromJsonAsync<JsonElement>(Ct);
            report.GetProperty("recorded").GetInt32().ShouldBe(2);
            report.GetProperty("runClosed").GetBoolean().ShouldBeTrue();
            // The same file again changes nothing; a different outcome for a recorded line is a conflict, not an overwrite.
            var again = await (await p.ProvinceOfficer.PostAsJsonAsync($"{p.Runs}/{Id(run)}/outcomes", new { rows, dryRun = false }, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
            again.GetProperty("unchanged").GetInt32().ShouldBe(2);
            again.GetProperty("recorded").GetInt32().ShouldBe(0);
            sequence += (sequence is null ? "" : " | ") + await p.LineAsync(Id(run), u);
        }

        // Unpaid money is carried, month after month: 810,000 then 1,620,000 then 2,430,000.
        sequence.ShouldBe("2026-07:regular:810000 | 2026-07:carry_over:810000 2026-08:regular:810000 | "
            + "2026-07:carry_over:810000 2026-08:carry_over:810000 2026-09:regular:810000");

        // Three months in a row with nothing received: U is on the commune officer's list with the evidence, D is not.
        var uncollected = await p.Officer.GetFromJsonAsync<JsonElement[]>($"/api/v1/payroll/{p.Province}/uncollected", Ct);
        var row = uncollected!.ShouldHaveSingleItem();
        row.GetProperty("personId").GetInt64().ShouldBe(u);
        row.GetProperty("months").EnumerateArray().Select(m => m.GetString()).ShouldBe(["2026-07", "2026-08", "2026-09"]);
        (await f.App.SignedInAsync("p14-xa").ContinueWith(t => t.Result.GetStringAsync("/", Ct)).Unwrap()).ShouldContain("data-testid=\"work-uncollected\"");
        var page = $"/Payroll/{p.Province}/Uncollected";
        (await Support.AppFixture.PostFormAsync(p.Officer, page + "?handler=Propose", new() { ["PersonId"] = u.ToString(System.Globalization.CultureInfo.InvariantCulture) }, page))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var proposal = await f.App.ScalarAsync<string>($"SELECT kind || ' ' || (request->>'effectiveMonth') || ' ' || reason FROM change_proposal WHERE person_id = {u} AND status = 'proposed'");
        proposal.ShouldStartWith("suspend 2026-10 Không nhận trợ cấp 3 tháng liên tiếp (07/2026, 08/2026, 09/2026)");

        // D died on 12/8, recorded now: September was paid after the death. October: funeral support 20 × 540,000 =
        // 10,800,000 less September's 810,000 = 9,990,000.
        await p.ChangeAsync(d, new { kind = "death", deathDate = "2026-08-12", reason = "Giấy báo tử số 7" });
        var october = await p.ComputeAsync("2026-10", "2026-11-21");
        (await p.LineAsync(Id(october), d)).ShouldBe("2026-08:funeral:10800000 2026-09:recovery:-810000");
        (await p.LineAsync(Id(october), u)).ShouldBe("2026-07:carry_over:810000 2026-08:carry_over:810000 2026-09:carry_over:810000 2026-10:regular:810000");
        october.GetProperty("total").GetInt64().ShouldBe(9_990_000 + 3_240_000);
        // The money request: the post office still holds U's September line (2,430,000, reported unpaid, not
        // returned), paid again in October, so the province transfers 13,230,000 − 2,430,000 = 10,800,000.
        var money = await p.ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{p.Runs}/{Id(october)}/money-request", Ct);
        var transfer = money.GetProperty("transfers").EnumerateArray().ShouldHaveSingleItem();
        (transfer.GetProperty("runTotal").GetInt64(), transfer.GetProperty("held").GetInt64(), transfer.GetProperty("toTransfer").GetInt64())
            .ShouldBe((13_230_000L, 2_430_000L, 10_800_000L));

        // The chairman suspends U from October: the recomputed October pays U nothing, carried money included.
        var proposalId = await f.App.ScalarAsync<long>($"SELECT id FROM change_proposal WHERE person_id = {u} AND status = 'proposed'");
        (await p.Chairman.PostAsJsonAsync($"/api/v1/registry/change-proposals/{proposalId}/decision", new { approve = true, decisionNumber = "QĐ-TD-14" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await p.ProvinceOfficer.PostAsync($"{p.Runs}/{Id(october)}/recompute", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var recomputed = await p.WaitAsync(Id(october));
        (await p.LineAsync(Id(october), u)).ShouldBe("");
        recomputed.GetProperty("total").GetInt64().ShouldBe(9_990_000);
    }

    [Fact]
    public async Task Outcomes_ABadRow_WritesNothingAndNamesTheRowAndField()
    {
        var p = await f.PlaceAsync("15");
        var x = await p.PersonAsync("Giàng Thị Mai", "1950-03-15");
        await p.EnrolAsync(x, "5a", "2026-11");
        var run = await p.PayAsync("2026-11", "2026-11-21");
        var line = await p.LineNoAsync(Id(run), x);
        using var content = new MultipartFormDataContent();
        var csv = $"line,outcome,date,receiver,note\n{line},paid,2026-11-21,self,\n999,paid,2026-11-21,self,\n";
        content.Add(new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(csv)), "file", "ket-qua.csv");
        var response = await p.ProvinceOfficer.PostAsync($"{p.Runs}/{Id(run)}/outcomes/file", content, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        var report = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        report.GetProperty("committed").GetBoolean().ShouldBeFalse();
        var problem = report.GetProperty("problems").EnumerateArray().ShouldHaveSingleItem();
        problem.GetProperty("row").GetInt32().ShouldBe(3);
        problem.GetProperty("field").GetString().ShouldBe("line");
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM payroll_outcome WHERE run_id = {Id(run)}")).ShouldBe(0);

        // A file over 20 MB is refused, read no further than one byte past the limit.
        using var huge = new MultipartFormDataContent { { new ByteArrayContent(new byte[(20 * 1024 * 1024) + 1]), "file", "ket-qua.csv" } };
        var refused = await p.ProvinceOfficer.PostAsync($"{p.Runs}/{Id(run)}/outcomes/file", huge, Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("20 MB");
    }

    [Fact]
    public async Task Recovery_OverTheProvinceCap_LeavesADebtWithItsOrigin()
    {
        var p = await f.PlaceAsync("20");
        await f.App.ExecAsync("INSERT INTO province_setting (province_code, recovery_cap_percent) VALUES ('20', 50) ON CONFLICT (province_code) DO UPDATE SET recovery_cap_percent = 50");
        var x = await p.PersonAsync("Vi Thị Cúc", "1950-03-15");
        await p.EnrolAsync(x, "5a", "2026-07");
        foreach (var month in new[] { "2026-07", "2026-08", "2026-09" })
        {
            await p.PayAsync(month, "2026-11-21");
        }

        // Re-assessed as 5b (1.0) since July: 270,000 too much for each of three months. October pays 540,000, of
        // which half (the province's cap) may be taken: 270,000 for July; August and September stay as debts.
        await p.ChangeAsync(x, new { kind = "category", effectiveMonth = "2026-07", reason = "Xác định lại đối tượng", categories = new[] { new { code = "5b" } } });
        var october = await p.ComputeAsync("2026-10", "2026-11-21");
        (await p.LineAsync(Id(october), x)).ShouldBe("2026-07:recovery:-270000 2026-10:regular:540000");
        october.GetProperty("total").GetInt64().ShouldBe(270_000);
        (await f.App.ScalarAsync<string>($"SELECT string_agg(to_char(month, 'YYYY-MM') || ':' || amount || ':' || reason, ' ' ORDER BY month) FROM payroll_debt WHERE run_id = {Id(october)}"))
            .ShouldBe("2026-08:270000:payroll.recovery.category_changed 2026-09:270000:payroll.recovery.category_changed");

        // Once October is approved its debts are listed; the approver waives August with a reason (a commune officer may not).
        await p.ApproveAsync(october);
        var debts = await p.ProvinceOfficer.GetFromJsonAsync<JsonElement[]>($"/api/v1/payroll/{p.Province}/debts", Ct);
        debts!.Select(d => d.GetProperty("month").GetString() + ":" + d.GetProperty("amount").GetInt64()).ShouldBe(["2026-08:270000", "2026-09:270000"]);
        debts!.ShouldAllBe(d => !d.GetProperty("forCollection").GetBoolean());
        var waive = new { personId = x, programme = "social_assistance", month = "2026-08", reason = "Hoàn cảnh đặc biệt khó khăn, UBND tỉnh cho miễn" };
        (await p.Officer.PostAsJsonAsync($"/api/v1/payroll/{p.Province}/debts/waive", waive, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await p.Approver.PostAsJsonAsync($"/api/v1/payroll/{p.Province}/debts/waive", waive with { reason = "x" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await p.Approver.PostAsJsonAsync($"/api/v1/payroll/{p.Province}/debts/waive", waive, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await p.ProvinceOfficer.GetFromJsonAsync<JsonElement[]>($"/api/v1/payroll/{p.Province}/debts", Ct))!
            .Select(d => d.GetProperty("month").GetString()).ShouldBe(["2026-09"]);

        // November: 540,000, of which 270,000 recovers September; August, waived, is settled.
        var november = await p.ComputeAsync("2026-11", "2026-11-21");
        (await p.LineAsync(Id(november), x)).ShouldBe("2026-09:recovery:-270000 2026-11:regular:540000");
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM payroll_debt WHERE run_id = {Id(november)}")).ShouldBe(0);
    }

    [Fact]
    public async Task Pages_PrepareConfirmApproveAndSend_EachByTheirOwnForm()
    {
        var p = await f.PlaceAsync("22");
        var x = await p.PersonAsync("Đặng Thị Hoa", "1950-03-15");
        await p.EnrolAsync(x, "5a", "2026-11");
        var list = $"/Payroll/{p.Province}";
        (await p.ProvinceOfficer.GetStringAsync(list, Ct)).ShouldContain("data-testid=\"start-run\"");
        // A commune officer sees the runs but not the form that starts one.
        (await p.Officer.GetStringAsync(list, Ct)).ShouldNotContain("data-testid=\"start-run\"");

        var started = await Support.AppFixture.PostFormAsync(p.ProvinceOfficer, list, new() { ["Month"] = "2026-11", ["CutOff"] = "" });
        started.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = started.Headers.Location!.OriginalString;
        var runId = long.Parse(page[(page.LastIndexOf('/') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        await p.WaitAsync(runId);
        var html = await p.ProvinceOfficer.GetStringAsync(page, Ct);
        html.ShouldContain("Đặng Thị Hoa");
        // The line explains itself: 5a, 1.5 × 540,000 = 810,000.
        html.ShouldContain("Trợ cấp tháng 11/2026: hệ số 1,5 × mức chuẩn 540.000 đ = 810.000 đ");

        // Submitting before the commune confirmed is refused on the page, in words.
        var early = await Support.AppFixture.PostFormAsync(p.ProvinceOfficer, page + "?handler=Step", new() { ["Action"] = "submit" }, page);
        early.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await early.Content.ReadAsStringAsync(Ct)).ShouldContain("chưa xác nhận");
        (await Support.AppFixture.PostFormAsync(p.Officer, page + "?handler=Confirm", new() { ["ConfirmCommune"] = p.Commune }, page)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Support.AppFixture.PostFormAsync(p.ProvinceOfficer, page + "?handler=Step", new() { ["Action"] = "submit" }, page)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        // The commune officer cannot approve; the approver returns it once with a reason, then approves the resubmitted run.
        var refused = await Support.AppFixture.PostFormAsync(p.Officer, page + "?handler=Step", new() { ["Action"] = "approve" }, page);
        refused.Headers.Location!.OriginalString.ShouldContain("/Account/AccessDenied");
        (await Support.AppFixture.PostFormAsync(p.Approver, page + "?handler=Step", new() { ["Action"] = "return", ["Reason"] = "Kiểm tra lại xã" }, page)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await p.ProvinceOfficer.GetStringAsync(page, Ct)).ShouldContain("Kiểm tra lại xã");
        (await Support.AppFixture.PostFormAsync(p.ProvinceOfficer, page + "?handler=Step", new() { ["Action"] = "submit" }, page)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Support.AppFixture.PostFormAsync(p.Approver, page + "?handler=Step", new() { ["Action"] = "approve" }, page)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await Support.AppFixture.PostFormAsync(p.ProvinceOfficer, page + "?handler=Step", new() { ["Action"] = "sent" }, page)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var sent = await p.ProvinceOfficer.GetStringAsync(page, Ct);
        sent.ShouldContain("data-testid=\"outcomes\"");
        sent.ShouldContain("p22-duyet");
        var request = await p.ProvinceOfficer.GetStringAsync(page + "/MoneyRequest", Ct);
        request.ShouldContain("tám trăm mười nghìn đồng");
        var xlsx = await p.ProvinceOfficer.GetAsync(page + "/MoneyRequest?handler=Xlsx", Ct);
        xlsx.Content.Headers.ContentType!.MediaType.ShouldBe("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
        using (var book = DocumentFormat.OpenXml.Packaging.SpreadsheetDocument.Open(await xlsx.Content.ReadAsStreamAsync(Ct), false))
        {
            book.WorkbookPart!.Workbook.Sheets!.ChildElements.Count.ShouldBe(2);
            book.WorkbookPart.WorksheetParts.Sum(w => w.Worksheet.Descendants<DocumentFormat.OpenXml.Spreadsheet.Text>().Count(t => t.Text == "810000")).ShouldBeGreaterThanOrEqualTo(2);
        }

        // Each grouping of the totals names its groups: the commune, the category, the channel, the payer.
        var commune = await f.App.ScalarAsync<string>($"SELECT name FROM commune WHERE code = '{p.Commune}'");
        foreach (var (by, label) in new[] { ("commune", commune!), ("category", "<td>5a</td>"), ("channel", "Nhận tiền mặt tại điểm chi trả"), ("payer", "Bưu điện tỉnh 22") })
        {
            var totals = await p.ProvinceOfficer.GetStringAsync(page + "?by=" + by, Ct);
            var table = totals[totals.IndexOf("data-testid=\"totals\"", StringComparison.Ordinal)..];
            table[..table.IndexOf("</table>", StringComparison.Ordinal)].ShouldContain(label, Case.Sensitive, by);
        }
    }

    [Fact]
    public async Task Settings_RecoveryCapAndLedgerStart_AreTheProvincesAndBounded()
    {
        var p = await f.PlaceAsync("25");
        var page = $"/Registry/Settings/{p.Province}";
        var bad = await Support.AppFixture.PostFormAsync(p.ProvinceOfficer, page, new() { ["DecisionDays"] = "10", ["RecoveryCapPercent"] = "150", ["PayrollFrom"] = "2026-13" });
        var html = await bad.Content.ReadAsStringAsync(Ct);
        html.ShouldContain("phải từ 0 đến 100");
        html.ShouldContain("phải dạng yyyy-MM");
        (await Support.AppFixture.PostFormAsync(p.ProvinceOfficer, page, new() { ["DecisionDays"] = "10", ["RecoveryCapPercent"] = "50", ["PayrollFrom"] = "2026-09", ["Reason"] = "Quyết định của UBND tỉnh" }))
            .StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var x = await p.PersonAsync("Triệu Thị Lan", "1950-03-15");
        await p.EnrolAsync(x, "5a", "2026-07");
        // The ledger starts in September: July and August were paid before AnSinh and are not paid again.
        var run = await p.ComputeAsync("2026-10", "2026-11-21");
        run.GetProperty("ledgerFrom").GetString().ShouldBe("2026-09");
        run.GetProperty("recoveryCapPercent").GetInt32().ShouldBe(50);
        (await p.LineAsync(Id(run), x)).ShouldBe("2026-09:back_pay:810000 2026-10:regular:810000");
    }

    [Fact]
    public async Task MoveToAnotherProvince_NoMonthPaidTwiceOrLost()
    {
        var a = await f.PlaceAsync("31");
        var b = await f.PlaceAsync("33");
        var x = await a.PersonAsync("Phạm Thị Thu", "1950-03-15");
        await a.EnrolAsync(x, "5a", "2026-09");
        var y = await b.PersonAsync("Đào Văn Yên", "1950-05-05", Sex.Male);
        await b.EnrolAsync(y, "5a", "2026-09");
        foreach (var month in new[] { "2026-09", "2026-10" })
        {
            await a.PayAsync(month, "2026-11-21");
            await b.PayAsync(month, "2026-11-21");
        }

        // Transferred to province 33 from November: requested by the old commune, completed by the receiving chairman.
        var requested = await a.Officer.PostAsJsonAsync($"/api/v1/registry/people/{x}/transfers",
            new { communeCode = b.Commune, effectiveMonth = "2026-11", reason = "Chuyển về ở với con" }, Ct);
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync(Ct));
        var transfer = (await requested.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        var completed = await b.Chairman.PostAsJsonAsync($"/api/v1/registry/transfers/{transfer}/decision", new { approve = true, decisionNumber = "QĐ-CT-33" }, Ct);
        completed.StatusCode.ShouldBe(HttpStatusCode.OK, await completed.Content.ReadAsStringAsync(Ct));

        // The old province's November owes them nothing; the new one, whose ledger starts in September, pays November
        // once (1.5 × 540,000) and neither September nor October again (nor takes them back): it reads the periods and
        // the runs of the old province for the months before the move.
        (await a.LineAsync(Id(await a.ComputeAsync("2026-11", "2026-11-21")), x)).ShouldBe("");
                var november = await b.ComputeAsync("2026-11", "2026-11-21");
        (await b.LineAsync(Id(november), x)).ShouldBe("2026-11:regular:810000");
        november.GetProperty("ledgerFrom").GetString().ShouldBe("2026-09");
        november.GetProperty("total").GetInt64().ShouldBe(2 * 810_000);
    }
}
