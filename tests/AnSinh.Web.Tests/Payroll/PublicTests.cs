using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AnSinh.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AnSinh.Web.Tests.Payroll;

/// <summary>
/// The public side: a citizen's self-check (their own data only; a wrong birth date answered exactly as an unknown ID;
/// attempts limited per ID and per address) and the commune's posted list (never the HIV categories 3 and 8; on the
/// web only when the province chooses). Amounts: 5a aged 76 = 1.5 × 540,000 = 810,000.
/// </summary>
public sealed partial class PublicTests(PayrollFixture f) : IClassFixture<PayrollFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(HttpStatusCode Status, string Body)> CheckAsync(HttpClient client, string citizenId, string birthDate)
    {
        var r = await AppFixture.PostFormAsync(client, "/TraCuu", new() { ["CitizenId"] = citizenId, ["BirthDate"] = birthDate });
        return (r.StatusCode, await r.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>The answer a page gives, without the form that echoes what was typed.</summary>
    private static string Answer(string body) => Alert().Match(body).Value;

    [Fact]
    public async Task SelfCheck_OwnDataOnly_SameAnswerForWrongBirthDateAndUnknownId_ThenLimited()
    {
        f.App.Clock.Advance(TimeSpan.FromHours(2)); // a fresh window: the other tests of this class check too
        var p = await f.PlaceAsync("15");
        var a = await p.PersonAsync("Đinh Văn Tra", "1950-02-01");
        var other = await p.PersonAsync("Đinh Thị Khác", "1950-02-02");
        await p.EnrolAsync(a, "5a", "2026-11");
        await p.EnrolAsync(other, "5a", "2026-11");
        await p.PayAsync("2026-11", "2026-11-21");
        var citizenId = await f.App.ScalarAsync<string>($"SELECT citizen_id FROM person WHERE id = {a}");
        var client = f.App.Client();

        var (status, found) = await CheckAsync(client, citizenId!, "1950-02-01");
        status.ShouldBe(HttpStatusCode.OK);
        found.ShouldContain("Đinh Văn Tra");
        found.ShouldContain("810.000 đ");
        found.ShouldContain("Nhà văn hoá thôn 1");
        found.ShouldContain("từ ngày 7 đến ngày 15");
        found.ShouldNotContain("Đinh Thị Khác");

        // A wrong birth date and an ID nobody has: the same status and the same words.
        var wrong = await CheckAsync(client, citizenId!, "1950-02-02");
        var nobody = await CheckAsync(client, "019099999999", "1950-02-01");
        (wrong.Status, nobody.Status).ShouldBe((HttpStatusCode.OK, HttpStatusCode.OK));
        Answer(wrong.Body).ShouldNotBeEmpty();
        Answer(wrong.Body).ShouldBe(Answer(nobody.Body));
        wrong.Body.ShouldNotContain("Đinh Văn Tra");

        // Walking through birth dates for one ID stops after five misses, even when the sixth is right.
        for (var day = 3; day <= 6; day++)
        {
            await CheckAsync(client, citizenId!, $"1950-02-{day:00}");
        }

        var limited = await CheckAsync(client, citizenId!, "1950-02-01");
        limited.Status.ShouldBe(HttpStatusCode.TooManyRequests);
        limited.Body.ShouldNotContain("Đinh Văn Tra");

        // Every attempt is in the audit log, and never the digits typed.
        (await f.App.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'self_check'")).ShouldBe(7);
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM audit_log WHERE action = 'self_check' AND new_values::text LIKE '%{citizenId}%'")).ShouldBe(0);

        // Nor in the logs: neither the ID typed nor the name found.
        f.App.Logs.Text.ShouldNotContain(citizenId!);
        f.App.Logs.Text.ShouldNotContain("Đinh Văn Tra");

        // Bad input is named, and costs no attempt.
        (await CheckAsync(client, "12ab", "1950-02-01")).Body.ShouldContain("đúng 12 chữ số");
    }

    [Fact]
    public async Task SelfCheck_AnAddressIsLimitedAcrossIds()
    {
        f.App.Clock.Advance(TimeSpan.FromHours(2));
        var client = f.App.Client();
        for (var i = 0; i < AnSinh.Web.Features.Public.SelfCheckThrottle.MaxPerClient; i++)
        {
            (await CheckAsync(client, $"0190{i:00000000}", "1960-01-01")).Status.ShouldBe(HttpStatusCode.OK);
        }

        (await CheckAsync(client, "019011111111", "1960-01-01")).Status.ShouldBe(HttpStatusCode.TooManyRequests);
    }

    [Fact]
    public async Task Posting_NeverListsTheHivCategories_AndIsPublicOnlyWhenTheProvinceChooses()
    {
        var p = await f.PlaceAsync("22");
        var a = await p.PersonAsync("Mạc Văn Công", "1950-02-01");
        var hiv = await p.PersonAsync("Mạc Thị Kín", "1980-02-02");
        await p.EnrolAsync(a, "5a", "2026-11");
        await p.EnrolAsync(hiv, "8", "2026-11");
        var run = await p.PayAsync("2026-11", "2026-11-21");
        run.GetProperty("lines").GetInt32().ShouldBe(2);
        var url = $"/CongKhai/{p.Commune}";

        // Not public: strangers are told there is no such list; the commune's staff see it to print and post.
        (await f.App.Client().GetAsync(url, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var staff = await p.Officer.GetStringAsync(url, Ct);
        staff.ShouldContain("Mạc Văn Công");
        staff.ShouldContain("810.000 đ");
        staff.ShouldNotContain("Mạc Thị Kín");

        // Public: anyone, the web list and the printed one, still without category 8.
        await f.App.ExecAsync("INSERT INTO province_setting (province_code, public_posting) VALUES ('22', true) ON CONFLICT (province_code) DO UPDATE SET public_posting = true");
        var anonymous = f.App.Client();
        var web = await anonymous.GetStringAsync(url, Ct);
        web.ShouldContain("Mạc Văn Công");
        web.ShouldNotContain("Mạc Thị Kín");
        (await anonymous.GetStringAsync(url + "?print=true", Ct)).ShouldNotContain("Mạc Thị Kín");
        web.ShouldNotContain(await f.App.ScalarAsync<string>($"SELECT citizen_id FROM person WHERE id = {a}") ?? "?");
    }

    [GeneratedRegex("<div class=\"alert[^>]*>[^<]*</div>")]
    private static partial Regex Alert();
}

/// <summary>The dashboard's money agrees with the approved runs to the đồng; each place sees only its own.</summary>
public sealed class DashboardTests(PayrollFixture f) : IClassFixture<PayrollFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dashboard_MoneyEqualsTheRunsTotals_AndEachPlaceSeesOnlyItsOwn()
    {
        var p = await f.PlaceAsync("24");
        var a = await p.PersonAsync("Tạ Văn Một", "1950-02-01");
        var b = await p.PersonAsync("Tạ Thị Hai", "1950-02-02");
        await p.EnrolAsync(a, "5a", "2026-10");
        await p.EnrolAsync(b, "5a", "2026-11");
        var october = await p.PayAsync("2026-10", "2026-09-20");
        var november = await p.PayAsync("2026-11", "2026-11-21");
        // October: A at 500,000 × 1.5 = 750,000. November at 540,000 × 1.5 = 810,000 each, plus A's October raised by 60,000.
        october.GetProperty("total").GetInt64().ShouldBe(750_000);
        november.GetProperty("total").GetInt64().ShouldBe(810_000 + 810_000 + 60_000);

        await using var scope = f.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnSinh.Web.Database.AppDbContext>();
        var view = await AnSinh.Web.Features.Oversight.Dashboard.ForAsync(db, "24", null, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 21), Ct);
        var months = view.Money.ToDictionary(m => m.Month);
        var nov = months[new DateOnly(2026, 11, 1)];
        (nov.Regular, nov.BackPay, nov.CarryOver, nov.Funeral, nov.Recovery, nov.Lines).ShouldBe((1_620_000L, 60_000L, 0L, 0L, 0L, 2));
        (months[new DateOnly(2026, 10, 1)].Regular).ShouldBe(750_000);
        foreach (var m in view.Money)
        {
            var runTotal = await f.App.ScalarAsync<long>($"SELECT total FROM payroll_run WHERE province_code = '24' AND month = '{m.Month:yyyy-MM-dd}' AND status IN ('approved', 'sent', 'closed')");
            (m.Regular + m.BackPay + m.CarryOver + m.Funeral + m.Recovery).ShouldBe(runTotal);
        }

        view.Beneficiaries.Sum(x => x.Count).ShouldBe(2);
        view.Channels.ShouldHaveSingleItem().Cash.ShouldBe(2);

        // The page: the province's staff and the commune's (forced to their commune); another province's officer is refused.
        (await p.ProvinceOfficer.GetStringAsync("/Dashboard/24?Month=2026-11", Ct)).ShouldContain("1.620.000 đ");
        (await p.Officer.GetStringAsync("/Dashboard/24?Month=2026-11", Ct)).ShouldContain("1.620.000 đ");
        // The lists behind the figures: a month opens its run's lines, a category the registry's active people in it, a
        // payment point's unclaimed rate the lines there not collected (b's, once the post office reports it unpaid).
        var novRun = november.GetProperty("id").GetInt64();
        var results = await p.ProvinceOfficer.PostAsJsonAsync($"{p.Runs}/{novRun}/outcomes", new
        {
            dryRun = false,
            rows = new object[]
            {
                new { lineNo = await p.LineNoAsync(novRun, a), outcome = "paid", date = "2026-11-10", receiver = "self" },
                new { lineNo = await p.LineNoAsync(novRun, b), outcome = "unpaid", date = (string?)null, receiver = (string?)null },
            },
        }, Ct);
        results.StatusCode.ShouldBe(HttpStatusCode.OK, await results.Content.ReadAsStringAsync(Ct));
        var page = await p.ProvinceOfficer.GetStringAsync("/Dashboard/24?Month=2026-11", Ct);
        page.ShouldContain($"href=\"/Payroll/24/Runs/{novRun}?commune=#lines\"");
        page.ShouldContain("href=\"/Registry?commune=&category=5a&status=active\"");
        page.ShouldContain($"href=\"/Payroll/24/Runs/{novRun}?point={p.PointId}&uncollected=true#lines\"");
        var behind = await p.ProvinceOfficer.GetStringAsync($"/Payroll/24/Runs/{novRun}?point={p.PointId}&uncollected=true", Ct);
        behind.ShouldContain($"data-testid=\"line-{b}\"");
        behind.ShouldNotContain($"data-testid=\"line-{a}\"");
        var api = await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>($"{p.Runs}/{novRun}/lines?point={p.PointId}&uncollected=true", Ct);
        api.GetProperty("lines").EnumerateArray().Select(l => l.GetProperty("personId").GetInt64()).ShouldBe([b]);
        (await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>($"{p.Runs}/{novRun}/lines?point={p.PointId}", Ct)).GetProperty("lines").GetArrayLength().ShouldBe(2);

        // A month out of bounds shows this month rather than failing.
        (await p.ProvinceOfficer.GetAsync("/Dashboard/24?Month=0001-01", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var xlsx = await p.ProvinceOfficer.GetAsync("/Dashboard/24?handler=Xlsx&Month=2026-11", Ct);
        xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        await f.App.CreateUserAsync("dash-01", AnSinh.Web.Security.Roles.ProvinceOfficer, "01");
        var stranger = await f.App.SignedInAsync("dash-01");
        var refused = await stranger.GetAsync("/Dashboard/24", Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        refused.Headers.Location!.ToString().ShouldContain("AccessDenied");
    }
}

/// <summary>The cashless share two ways: people with an account, and lines the bank reported paid into one.</summary>
public sealed class CashlessShareTests(PayrollFixture f) : IClassFixture<PayrollFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task CashlessShare_CountsAccounts_AndWhatWasPaidIntoThem()
    {
        var p = await f.PlaceAsync("25");
        var bankPayer = await p.ProvinceOfficer.PostAsJsonAsync("/api/v1/provinces/25/payers", new { kind = "bank", name = "Agribank chi nhánh 25", bankBin = "970405" }, Ct);
        bankPayer.StatusCode.ShouldBe(HttpStatusCode.Created, await bankPayer.Content.ReadAsStringAsync(Ct));
        var contract = await p.ProvinceOfficer.PostAsJsonAsync("/api/v1/provinces/25/contracts", new
        {
            payerId = (await bankPayer.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetInt64(), reference = "HĐ-NH-25", paysCash = false,
            paysAccount = true, feePercent = 0.2m, transferDay = 25, payFromDay = 7, payToDay = 15, resultsDay = 20, settlementDay = 25, validFrom = "2026-01-01", communes = new[] { p.Commune },
        }, Ct);
        contract.StatusCode.ShouldBe(HttpStatusCode.Created, await contract.Content.ReadAsStringAsync(Ct));
        var people = new List<long>();
        foreach (var (name, bank) in new[] { ("Vũ Văn Có", true), ("Vũ Thị Trả", true), ("Vũ Văn Mặt", false) })
        {
            var id = await p.PersonAsync(name, "1950-03-03");
            if (bank)
            {
                var r = await p.Officer.PostAsJsonAsync($"/api/v1/registry/people/{id}/payment-instructions",
                    new { method = "bank", startMonth = "2026-11", reason = "Mở tài khoản", bankBin = "970405", accountNumber = $"19031234{id:D4}", accountHolder = name }, Ct);
                r.StatusCode.ShouldBe(HttpStatusCode.Created, await r.Content.ReadAsStringAsync(Ct));
            }

            await p.EnrolAsync(id, "5a", "2026-11");
            people.Add(id);
        }

        var run = (await p.PayAsync("2026-11", "2026-11-21")).GetProperty("id").GetInt64();
        var rows = new List<object>();
        foreach (var (person, outcome) in new[] { (people[0], "paid"), (people[1], "returned"), (people[2], "paid") })
        {
            rows.Add(new { lineNo = await p.LineNoAsync(run, person), outcome, date = outcome == "paid" ? "2026-11-10" : null, receiver = outcome == "paid" ? "self" : null });
        }

        var results = await p.ProvinceOfficer.PostAsJsonAsync($"{p.Runs}/{run}/outcomes", new { dryRun = false, rows }, Ct);
        results.StatusCode.ShouldBe(HttpStatusCode.OK, await results.Content.ReadAsStringAsync(Ct));

        await using var scope = f.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnSinh.Web.Database.AppDbContext>();
        var view = await AnSinh.Web.Features.Oversight.Dashboard.ForAsync(db, "25", null, new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 21), Ct);
        var c = view.Channels.ShouldHaveSingleItem();
        // Two of three lines go to an account: 200 / 3 = 66.666… → 66.7 %; one was paid into it (the other came back): 33.3 %.
        (c.Lines, c.Bank, c.Cash, c.BankPaid, c.CashlessShare, c.PaidShare).ShouldBe((3, 2, 1, 1, 66.7m, 33.3m));
        (await p.ProvinceOfficer.GetStringAsync("/Dashboard/25?Month=2026-11", Ct)).ShouldContain("33,3 % (1)");
    }
}

/// <summary>Each risk flag fires on a case made for it, and none on a clean beneficiary.</summary>
public sealed class RiskFlagTests(PayrollFixture f) : IClassFixture<PayrollFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task OutcomesAsync(PayrollFixture.Place p, long run, params (int Line, string Outcome)[] rows)
    {
        var r = await p.ProvinceOfficer.PostAsJsonAsync($"{p.Runs}/{run}/outcomes", new
        {
            dryRun = false,
            rows = rows.Select(x => new { lineNo = x.Line, outcome = x.Outcome, date = x.Outcome == "paid" ? "2026-11-10" : null, receiver = x.Outcome == "paid" ? "self" : null }),
        }, Ct);
        r.StatusCode.ShouldBe(HttpStatusCode.OK, await r.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task RiskFlags_EachFiresOnItsCase_NoneOnACleanOne()
    {
        var p = await f.PlaceAsync("25");
        var clean = await p.PersonAsync("Hà Văn Sạch", "1950-02-01");
        var dead = await p.PersonAsync("Hà Văn Mất", "1950-02-02");
        var old = await p.PersonAsync("Hà Thị Thọ", "1920-02-03");
        var young = await p.PersonAsync("Hà Văn Trẻ", "1950-02-04");
        var absent = await p.PersonAsync("Hà Thị Vắng", "1950-02-05");
        var twin = await p.PersonAsync("Hà Văn Trùng", "1950-02-06");
        foreach (var x in new[] { clean, dead, young, absent, twin })
        {
            await p.EnrolAsync(x, "5a", "2026-10");
        }

        await p.EnrolAsync(old, "5c", "2026-10");
        var october = (await p.PayAsync("2026-10", "2026-09-20")).GetProperty("id").GetInt64();
        var november = (await p.PayAsync("2026-11", "2026-11-21")).GetProperty("id").GetInt64();
        foreach (var run in new[] { october, november })
        {
            var rows = new List<(int, string)>();
            foreach (var x in new[] { clean, dead, old, young, absent, twin })
            {
                rows.Add((await p.LineNoAsync(run, x), x == absent ? "unpaid" : "paid"));
            }

            await OutcomesAsync(p, run, [.. rows]);
        }

        // The crafted facts: a death before the payment day, an age that no longer fits 5a, a namesake in Thái Nguyên,
        // three people sharing an account and three sharing a proxy.
        await f.App.ExecAsync($"UPDATE person SET death_date = '2026-11-01' WHERE id = {dead}");
        await f.App.ExecAsync($"UPDATE person SET birth_date = '1980-02-04' WHERE id = {young}");
        await f.App.ExecAsync("INSERT INTO person (citizen_id, full_name, birth_date, sex, province_code, commune_code) VALUES ('019150777777', 'Hà Văn Trùng', '1950-02-06', 0, '19', '01840')");
        var sharers = new List<long>();
        for (var i = 0; i < 3; i++)
        {
            var s = await p.PersonAsync($"Hà Văn Chung {i}", "1950-03-01");
            var made = await p.Officer.PostAsJsonAsync($"/api/v1/registry/people/{s}/payment-instructions",
                new { method = "bank", startMonth = "2026-11", reason = "Tài khoản", bankBin = "970436", accountNumber = "0099887766", accountHolder = $"HA VAN CHUNG {i}" }, Ct);
            made.StatusCode.ShouldBe(HttpStatusCode.Created, await made.Content.ReadAsStringAsync(Ct));
            (await p.Officer.PostAsJsonAsync($"/api/v1/registry/people/{s}/proxies",
                new { fullName = "Hà Văn Đại", citizenId = "025080001111", relationship = "hàng xóm", validFrom = "2026-11-01", validTo = "2027-10-31" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
            sharers.Add(s);
        }

        // Someone edits an approved line in the database: the twin's November amount raised by 100,000, line and item together.
        await f.App.ExecAsync($"""
            ALTER TABLE payroll_item DISABLE TRIGGER USER; ALTER TABLE payroll_line DISABLE TRIGGER USER;
            UPDATE payroll_item SET amount = amount + 100000, owed = owed + 100000 WHERE run_id = {november} AND person_id = {twin} AND kind = 'regular' AND month = '2026-11-01';
            UPDATE payroll_line SET regular = regular + 100000, total = total + 100000 WHERE run_id = {november} AND person_id = {twin};
            ALTER TABLE payroll_item ENABLE TRIGGER USER; ALTER TABLE payroll_line ENABLE TRIGGER USER;
            """);

        await using var scope = f.App.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AnSinh.Web.Database.AppDbContext>();
        // November pays October again at 540,000: 40,000 × 1.5 = 60,000 of back pay for each 5a (the absent one's too, on
        // top of the 750,000 carried), flagged under a 50,000 threshold; the 5c at 1.0 has 40,000, not flagged.
        var flags = await AnSinh.Web.Features.Oversight.RiskFlags.ForAsync(db, "25", new DateOnly(2026, 11, 21), Ct, backPayThreshold: 50_000);
        string[] Who(string flag) => [.. flags.Where(x => x.Flag == flag).Select(x => x.FullName).Order()];
        Who("paid_after_death").ShouldBe(["Hà Văn Mất"]);
        Who("over_100").ShouldBe(["Hà Thị Thọ"]);
        Who("category_age").ShouldBe(["Hà Văn Trẻ"]);
        Who("duplicate_identity").ShouldBe(["Hà Văn Trùng"]);
        Who("unclaimed_streak").ShouldBe(["Hà Thị Vắng"]);
        Who("shared_account").ShouldBe(["Hà Văn Chung 0", "Hà Văn Chung 1", "Hà Văn Chung 2"]);
        Who("shared_proxy").ShouldBe(["Hà Văn Chung 0", "Hà Văn Chung 1", "Hà Văn Chung 2"]);
        Who("large_back_pay").ShouldBe(["Hà Thị Vắng", "Hà Văn Mất", "Hà Văn Sạch", "Hà Văn Trẻ", "Hà Văn Trùng"]);
        Who("amount_rules").ShouldBe(["Hà Văn Trùng"]);
        // Under the default threshold (10,000,000) nobody's 60,000 is large; the clean beneficiary has no other flag.
        var defaults = await AnSinh.Web.Features.Oversight.RiskFlags.ForAsync(db, "25", new DateOnly(2026, 11, 21), Ct);
        defaults.ShouldNotContain(x => x.Flag == "large_back_pay");
        defaults.ShouldNotContain(x => x.PersonId == clean);

        // The page, for the province's inspector; another province's is refused.
        await f.App.CreateUserAsync("tt25", AnSinh.Web.Security.Roles.Inspector, "25");
        var inspector = await f.App.SignedInAsync("tt25");
        (await inspector.GetStringAsync("/Inspections/25/Flags?flag=over_100", Ct)).ShouldContain("Hà Thị Thọ");
        await f.App.CreateUserAsync("tt31", AnSinh.Web.Security.Roles.Inspector, "31");
        (await (await f.App.SignedInAsync("tt31")).GetAsync("/Inspections/25/Flags", Ct)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
    }
}
