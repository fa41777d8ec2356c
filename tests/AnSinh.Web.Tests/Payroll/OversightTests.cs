using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Grievances;
using AnSinh.Web.Features.Oversight;
using AnSinh.Web.Security;
using AnSinh.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AnSinh.Web.Tests.Payroll;

/// <summary>
/// Grievances from a citizen's phone to the officer's answer, with deadlines in working days over the New Year
/// holiday; inspections from a reproducible sample to a finding whose suspension the next run pays nothing for.
/// Today is Saturday 21/11/2026.
/// </summary>
public sealed partial class OversightTests(PayrollFixture f) : IClassFixture<PayrollFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> OnlineForm(string province, string citizenId, string birthDate) => new()
    {
        ["ProvinceCode"] = province, ["Kind"] = "complaint", ["Topic"] = "not_paid", ["FilerName"] = "Lương Thị Gửi", ["FilerPhone"] = "0912 345 678",
        ["Summary"] = "Tháng 11 tôi chưa nhận được tiền.\nĐề nghị kiểm tra.", ["CitizenId"] = citizenId, ["BirthDate"] = birthDate,
    };

    [Fact]
    public async Task AGrievanceFiledOnline_IsFollowedByCode_AcceptedAndAnsweredByTheCommune_AndPrinted()
    {
        f.App.Clock.Advance(TimeSpan.FromHours(2)); // a fresh throttle window
        var p = await f.PlaceAsync("24");
        var a = await p.PersonAsync("Lương Văn Hưởng", "1950-03-01");
        await p.EnrolAsync(a, "5a", "2026-11");
        var citizenId = await f.App.ScalarAsync<string>($"SELECT citizen_id FROM person WHERE id = {a}");
        var citizen = f.App.Client();

        var filed = await AppFixture.PostFormAsync(citizen, "/KhieuNai", OnlineForm("24", citizenId!, "1950-03-01"));
        filed.StatusCode.ShouldBe(HttpStatusCode.OK);
        var code = CodeOf(await filed.Content.ReadAsStringAsync(Ct));

        // Complaint: 30 working days from Saturday 21/11: 23/11–31/12 gives 29, 1/1/2027 is a holiday, so Monday 4/1/2027
        // (it would be 1/1 without the holiday). Accept within 10: 23/11–4/12.
        (await f.App.ScalarAsync<string>($"SELECT due_on::text || ' ' || accept_due_on::text || ' ' || person_id || ' ' || commune_code || ' ' || channel FROM grievance WHERE code = '{code}'"))
            .ShouldBe($"2027-01-04 2026-12-04 {a} {p.Commune} online");

        // A wrong birth date files just the same (same answer, a code), linked to nobody: the form tells no one who is registered.
        var wrong = await AppFixture.PostFormAsync(citizen, "/KhieuNai", OnlineForm("24", citizenId!, "1950-03-02"));
        var wrongCode = CodeOf(await wrong.Content.ReadAsStringAsync(Ct));
        (await f.App.ScalarAsync<long?>($"SELECT person_id FROM grievance WHERE code = '{wrongCode}'")).ShouldBeNull();

        // Bad input is named by field and nothing is written.
        var bad = await AppFixture.PostFormAsync(citizen, "/KhieuNai", new() { ["ProvinceCode"] = "24", ["Kind"] = "complaint", ["Topic"] = "amount", ["FilerName"] = " ", ["Summary"] = "x" });
        bad.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await bad.Content.ReadAsStringAsync(Ct)).ShouldContain("Họ tên người gửi: không được để trống");

        var follow = await citizen.GetStringAsync($"/KhieuNai/TheoDoi?code={code}", Ct);
        follow.ShouldContain("Mới nhận");
        follow.ShouldContain("04/01/2027");
        follow.ShouldNotContain("Lương Thị Gửi");
        (await citizen.GetStringAsync("/KhieuNai/TheoDoi?code=ZZZZ-ZZZZ-ZZZZ", Ct)).ShouldContain("Không tìm thấy đơn");

        // The commune officer accepts it for themselves, sees it on the home page, answers it.
        var id = await f.App.ScalarAsync<long>($"SELECT id FROM grievance WHERE code = '{code}'");
        var url = $"/Grievances/24/{id}";
        (await AppFixture.PostFormAsync(p.Officer, url + "?handler=Accept", new() { ["Assignee"] = "p24-xa" }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var home = await p.Officer.GetStringAsync("/", Ct);
        home.ShouldContain("work-grievances");
        home.ShouldContain("Giao cho bạn: 1 đơn");

        // Answering before the answer's text is there is refused by field; then it is answered with its action.
        (await AppFixture.PostFormAsync(p.Officer, url + "?handler=Answer", new() { ["Answer"] = "", ["ActionKind"] = "none" }, url)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var answered = await AppFixture.PostFormAsync(p.Officer, url + "?handler=Answer",
            new() { ["Answer"] = "Tiền tháng 11 đã chuyển về điểm chi trả.\nMời bà nhận từ ngày 7 đến ngày 15.", ["ActionKind"] = "back_pay", ["ActionRef"] = "Bảng chi tháng 12/2026" }, url);
        answered.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await citizen.GetStringAsync($"/KhieuNai/TheoDoi?code={code}", Ct)).ShouldContain("Mời bà nhận từ ngày 7 đến ngày 15.");
        var print = await p.Officer.GetStringAsync(url + "/Print", Ct);
        print.ShouldContain("VĂN BẢN TRẢ LỜI");
        print.ShouldContain("Kính gửi: Lương Thị Gửi");
        print.ShouldContain("chi trả truy lĩnh");

        // Final: a second answer is a conflict; every step is in the audit log.
        (await AppFixture.PostFormAsync(p.Officer, url + "?handler=Withdraw", new() { ["Reason"] = "Rút" }, url)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM audit_log WHERE entity = 'grievance' AND entity_key = '{id}'")).ShouldBe(4); // filed, accepted, answered, printed

        // Nothing of the person or the filer reached the logs: no citizen ID, no name, no phone.
        var logs = f.App.Logs.Text;
        logs.ShouldContain("First admin account created"); // the capture works: the app's own information lines are in it
        foreach (var secret in new[] { citizenId!, "Lương Văn Hưởng", "Lương Thị Gửi", "0912 345 678" })
        {
            logs.ShouldNotContain(secret);
        }
    }

    [Fact]
    public async Task OverdueGrievances_AreEscalatedOnce_AndOnlyTheirPlacesStaffSeeOrWriteThem()
    {
        var p = await f.PlaceAsync("25");
        await f.App.CreateUserAsync("p25-tt", Roles.Inspector, "25");
        await f.App.CreateUserAsync("p31-tt", Roles.Inspector, "31");
        var inspector = await f.App.SignedInAsync("p25-tt");
        var elsewhere = await f.App.SignedInAsync("p31-tt");
        var form = new Dictionary<string, string>
        {
            ["Kind"] = "petition", ["Channel"] = "phone", ["Topic"] = "payment_point", ["CommuneCode"] = p.Commune, ["FilerName"] = "Trần Văn Gọi",
            ["Summary"] = "Điểm chi trả xa.", ["ReceivedOn"] = "2026-11-20",
        };
        (await AppFixture.PostFormAsync(p.ProvinceOfficer, "/Grievances/25", new(form))).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        // A petition received Friday 20/11: 15 working days → 23/11–11/12 → Friday 11/12.
        (await f.App.ScalarAsync<string>("SELECT due_on::text FROM grievance WHERE province_code = '25'")).ShouldBe("2026-12-11");

        // Inspectors read, never receive; another province's inspector sees nothing.
        (await inspector.GetAsync("/Grievances/25", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        Refused(await AppFixture.PostFormAsync(inspector, "/Grievances/25", new(form)));
        Refused(await elsewhere.GetAsync("/Grievances/25", Ct));

        // On 14/12 it is overdue: escalated once (a second look changes nothing), shown to the province's officers.
        var data = f.App.Services.GetRequiredService<DatabaseConnection>().DataSource;
        var later = new FakeClock(new DateTimeOffset(2026, 12, 14, 3, 0, 0, TimeSpan.Zero));
        (await GrievanceCommands.EscalateDueAsync(data, new FakeClock(new DateTimeOffset(2026, 12, 11, 3, 0, 0, TimeSpan.Zero)), Ct)).ShouldBe(0);
        (await GrievanceCommands.EscalateDueAsync(data, later, Ct)).ShouldBe(1);
        (await GrievanceCommands.EscalateDueAsync(data, later, Ct)).ShouldBe(0);
        (await f.App.ScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'escalate' AND entity = 'grievance' AND province_code = '25'")).ShouldBe(1);
        (await p.ProvinceOfficer.GetStringAsync("/", Ct)).ShouldContain("1 đơn quá hạn đã chuyển lên tỉnh");

        // The register marks it late when read on 14/12, not on 11/12 (its last day).
        async Task<string> LateMarkAsync(DateOnly today) => (await Reports.ReadAsync(f.App.Services.GetRequiredService<DatabaseConnection>(), Reports.Find("grievances")!,
            new ReportQuery("25", null, new(2026, 11), new(2026, 11), today), Ct)).Rows.Single().Cells[9]!.ToString()!;
        (await LateMarkAsync(new DateOnly(2026, 12, 11))).ShouldBe("");
        (await LateMarkAsync(new DateOnly(2026, 12, 14))).ShouldBe("✓");
    }

    [Fact]
    public async Task AGrievanceNamesThePersonByCard_AndItsAnswerLinksTheResumptionWhoseBackPayTheNextRunPays()
    {
        var p = await f.PlaceAsync("38");
        var a = await p.PersonAsync("Đỗ Văn Khiếu", "1950-05-05");
        var b = await p.PersonAsync("Đỗ Thị Bên", "1951-06-06");
        await p.EnrolAsync(a, "5a", "2026-11");
        await p.EnrolAsync(b, "5a", "2026-11");
        var cardA = await f.App.ScalarAsync<string>($"SELECT citizen_id FROM person WHERE id = {a}");
        var cardB = await f.App.ScalarAsync<string>($"SELECT citizen_id FROM person WHERE id = {b}");

        // a is suspended from November (a wrong report that they moved away); November's run pays them nothing.
        await p.ChangeAsync(a, new { kind = "suspend", effectiveMonth = "2026-11", reason = "Báo đã chuyển đi" });
        var november = await p.PayAsync("2026-11", "2026-11-21");
        (await p.LineAsync(november.GetProperty("id").GetInt64(), a)).ShouldBe("");
        var suspension = await f.App.ScalarAsync<long>($"SELECT id FROM decision WHERE person_id = {a} AND kind = 'suspend'");

        // The commune officer receives a's complaint by phone, naming a by the card; bad and unknown cards are named by field.
        Dictionary<string, string> Phone(string card) => new()
        {
            ["Kind"] = "complaint", ["Channel"] = "phone", ["Topic"] = "decision", ["FilerName"] = "Đỗ Văn Khiếu", ["CitizenId"] = card,
            ["Summary"] = "Tôi vẫn ở xã, sao bị dừng trợ cấp?", ["ReceivedOn"] = "2026-11-20",
        };
        var shortCard = await AppFixture.PostFormAsync(p.Officer, "/Grievances/38", Phone("01912345"));
        shortCard.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await shortCard.Content.ReadAsStringAsync(Ct)).ShouldContain("đúng 12 chữ số");
        var elsewhere = await f.App.ScalarAsync<string>("SELECT citizen_id FROM person WHERE province_code <> '38' LIMIT 1");
        (await AppFixture.PostFormAsync(p.Officer, "/Grievances/38", Phone(elsewhere ?? "019150600999"))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await f.App.ScalarAsync<long>("SELECT count(*) FROM grievance WHERE province_code = '38'")).ShouldBe(0);
        var received = await AppFixture.PostFormAsync(p.Officer, "/Grievances/38", Phone(cardA!));
        received.StatusCode.ShouldBe(HttpStatusCode.Redirect, await received.Content.ReadAsStringAsync(Ct));
        var url = received.Headers.Location!.OriginalString;
        var id = long.Parse(url.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        (await f.App.ScalarAsync<string>($"SELECT person_id || ' ' || commune_code FROM grievance WHERE id = {id}")).ShouldBe($"{a} {p.Commune}");
        (await p.Officer.GetStringAsync($"/Registry/People/{a}", Ct)).ShouldContain(url); // the person's page lists it

        // A petition about nobody yet is linked to b by b's card while open.
        var petition = await AppFixture.PostFormAsync(p.Officer, "/Grievances/38", new(Phone("")) { ["Kind"] = "petition", ["Topic"] = "other" });
        var petitionUrl = petition.Headers.Location!.OriginalString;
        (await AppFixture.PostFormAsync(p.Officer, petitionUrl + "?handler=LinkPerson", new() { ["CitizenId"] = "abc" }, petitionUrl)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await AppFixture.PostFormAsync(p.Officer, petitionUrl + "?handler=LinkPerson", new() { ["CitizenId"] = cardB! }, petitionUrl)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await f.App.ScalarAsync<long>($"SELECT person_id FROM grievance WHERE id = {petitionUrl.Split('/')[^1]}")).ShouldBe(b);
        (await AppFixture.PostFormAsync(p.Officer, petitionUrl + "?handler=Withdraw", new() { ["Reason"] = "Người gửi rút đơn" }, petitionUrl)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await AppFixture.PostFormAsync(p.Officer, petitionUrl + "?handler=LinkPerson", new() { ["CitizenId"] = cardA! }, petitionUrl)).StatusCode.ShouldBe(HttpStatusCode.Conflict); // final

        // Accepted; the officer proposes the resumption from November with back pay, and answers linking the proposal.
        (await AppFixture.PostFormAsync(p.Officer, url + "?handler=Accept", new() { ["Assignee"] = "p38-xa" }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var resume = await p.Officer.PostAsJsonAsync($"/api/v1/registry/people/{a}/enrolments/social_assistance/changes",
            new { kind = "resume", effectiveMonth = "2026-11", reason = "Đã xác minh vẫn cư trú tại xã", backPay = true }, Ct);
        resume.StatusCode.ShouldBe(HttpStatusCode.Accepted, await resume.Content.ReadAsStringAsync(Ct));
        var proposal = (await resume.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetInt64();
        var form = (await p.Officer.GetStringAsync(url, Ct));
        form.ShouldContain($"value=\"p{proposal}\"");
        form.ShouldContain($"value=\"d{suspension}\"");
        Dictionary<string, string> Answer(string link, string kind = "suspension_lifted") => new()
        {
            ["Answer"] = "Đã xác minh ông vẫn cư trú tại xã; đề nghị cho hưởng lại từ tháng 11 và truy lĩnh.", ["ActionKind"] = kind, ["ActionLink"] = link,
        };
        var bDecision = await f.App.ScalarAsync<long>($"SELECT id FROM decision WHERE person_id = {b}");
        (await AppFixture.PostFormAsync(p.Officer, url + "?handler=Answer", Answer($"d{bDecision}"), url)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity); // another person's
        (await AppFixture.PostFormAsync(p.Officer, url + "?handler=Answer", Answer($"p{proposal}", "none"), url)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity); // no action, a link
        (await AppFixture.PostFormAsync(p.Officer, url + "?handler=Answer", Answer("x1"), url)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await AppFixture.PostFormAsync(p.Officer, url + "?handler=Answer", Answer(""), url)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity); // an action needs a link or a reference
        (await f.App.ScalarAsync<string>($"SELECT status FROM grievance WHERE id = {id}")).ShouldBe("accepted");
        (await AppFixture.PostFormAsync(p.Officer, url + "?handler=Answer", Answer($"p{proposal}"), url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await p.Officer.GetStringAsync(url, Ct)).ShouldContain($"Đề xuất số {proposal}");

        // The chairman signs it: the grievance, its letter and the citizen's follow page name the decision.
        (await p.Chairman.PostAsJsonAsync($"/api/v1/registry/change-proposals/{proposal}/decision", new { approve = true, decisionNumber = "15/QĐ-UBND" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var page = await p.Officer.GetStringAsync(url, Ct);
        page.ShouldContain("Quyết định số 15/QĐ-UBND ngày 21/11/2026");
        (await p.Officer.GetStringAsync(url + "/Print", Ct)).ShouldContain("cho hưởng lại sau tạm dừng, theo Quyết định số 15/QĐ-UBND ngày 21/11/2026.");
        var code = await f.App.ScalarAsync<string>($"SELECT code FROM grievance WHERE id = {id}");
        (await f.App.Client().GetStringAsync($"/KhieuNai/TheoDoi?code={code}", Ct)).ShouldContain("Quyết định số 15/QĐ-UBND ngày 21/11/2026");

        // The register of the month's grievances: both, with where each stands; the list finds one by code or name, in a commune.
        var register = await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/provinces/38/reports/grievances?from=2026-11&to=2026-11", Ct);
        var rows = register.GetProperty("rows").EnumerateArray().Select(r => (Person: r.GetProperty("personId").GetInt64(),
            Cells: string.Join("|", r.GetProperty("cells").EnumerateArray().Select(c => c.ToString())))).ToList();
        var communeName = await f.App.ScalarAsync<string>($"SELECT name FROM commune WHERE code = '{p.Commune}'");
        rows.ShouldBe([
            (a, $"{code}|20/11/2026|complaint|phone|decision|Đỗ Văn Khiếu|{communeName}|04/01/2027|answered||21/11/2026|suspension_lifted"),
            (b, $"{await f.App.ScalarAsync<string>($"SELECT code FROM grievance WHERE id = {petitionUrl.Split('/')[^1]}")}|20/11/2026|petition|phone|other|Đỗ Văn Khiếu|{communeName}|11/12/2026|withdrawn|||"),
        ]);
        var registerPage = await p.ProvinceOfficer.GetStringAsync("/Reports/38?Report=grievances&From=2026-11&To=2026-11", Ct);
        registerPage.ShouldContain("Cho hưởng lại sau tạm dừng");
        registerPage.ShouldContain("Đã rút đơn");
        var found = await p.ProvinceOfficer.GetStringAsync($"/Grievances/38?show=all&Search={code!.ToLowerInvariant()}&InCommune={p.Commune}", Ct);
        found.ShouldContain(url);
        found.ShouldNotContain(petitionUrl + "\"");
        (await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/provinces/38/grievances?show=all&search=v%C4%83n%20kh", Ct)).GetArrayLength().ShouldBe(2);
        (await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/provinces/38/grievances?show=all&search=DO%20VAN%20KHIEU", Ct)).GetArrayLength().ShouldBe(2); // no accents
        (await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/provinces/38/grievances?show=all&search=%25", Ct)).GetArrayLength().ShouldBe(0); // % is a character, not a wildcard

        // December pays a: December's 5a aged 76 (1.5 × 540,000 = 810,000) and November's as back pay (810,000).
        var december = await p.ComputeAsync("2026-12", "2026-11-21");
        (await p.LineAsync(december.GetProperty("id").GetInt64(), a)).ShouldBe("2026-11:back_pay:810000 2026-12:regular:810000");
    }

    [Fact]
    public async Task TheGrievanceApi_ReceivesByCard_StepsThroughTheSameCommands_AndRefusesOthers()
    {
        var p = await f.PlaceAsync("42");
        var a = await p.PersonAsync("Hà Văn Gọi", "1950-07-07");
        await p.EnrolAsync(a, "5a", "2026-11");
        var card = await f.App.ScalarAsync<string>($"SELECT citizen_id FROM person WHERE id = {a}");
        var approval = await f.App.ScalarAsync<long>($"SELECT id FROM decision WHERE person_id = {a}");
        await f.App.CreateUserAsync("p42-tt", Roles.Inspector, "42");
        var inspector = await f.App.SignedInAsync("p42-tt");
        var other = await f.PlaceAsync("44");

        var intake = new { kind = "petition", channel = "phone", topic = "amount", filerName = "Hà Văn Gọi", summary = "Hỏi mức trợ cấp.", citizenId = card, receivedOn = "2026-11-20" };
        (await inspector.PostAsJsonAsync("/api/v1/provinces/42/grievances", intake, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden); // inspectors read only
        (await other.ProvinceOfficer.PostAsJsonAsync("/api/v1/provinces/42/grievances", intake, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden); // not their province
        var badCard = await p.ProvinceOfficer.PostAsJsonAsync("/api/v1/provinces/42/grievances", new { intake.kind, intake.channel, intake.topic, intake.filerName, intake.summary, citizenId = "12" }, Ct);
        badCard.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await badCard.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("errors").GetProperty("CitizenId")[0].GetString()!.ShouldContain("12 chữ số");
        var received = await p.ProvinceOfficer.PostAsJsonAsync("/api/v1/provinces/42/grievances", intake, Ct);
        received.StatusCode.ShouldBe(HttpStatusCode.Created, await received.Content.ReadAsStringAsync(Ct));
        var created = await received.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        var id = created.GetProperty("grievance").GetProperty("id").GetInt64();
        created.GetProperty("grievance").GetProperty("personId").GetInt64().ShouldBe(a);
        created.GetProperty("grievance").GetProperty("dueOn").GetString().ShouldBe("2026-12-11"); // a petition: 15 working days from Friday 20/11
        received.Headers.Location!.OriginalString.ShouldBe($"/api/v1/grievances/{id}");

        // Listed for the province and the inspector; another province's officer sees none of it.
        (await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/provinces/42/grievances", Ct)).GetArrayLength().ShouldBe(1);
        (await inspector.GetFromJsonAsync<System.Text.Json.JsonElement>($"/api/v1/grievances/{id}", Ct)).GetProperty("grievance").GetProperty("status").GetString().ShouldBe("received");
        (await other.ProvinceOfficer.GetAsync($"/api/v1/grievances/{id}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await other.ProvinceOfficer.GetAsync("/api/v1/provinces/42/grievances", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await other.ProvinceOfficer.PostAsJsonAsync($"/api/v1/grievances/{id}/accept", new { assignee = "p44-tinh" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The caller's letter follows by post: scanned and kept (the type read from the bytes, not the name); a file that
        // is no scan, or the signed answer before there is an answer, is refused by field; the audit keeps no bytes.
        static MultipartFormDataContent Paper(string kind, byte[] bytes, string name) =>
            new() { { new StringContent(kind), "kind" }, { new ByteArrayContent(bytes), "file", name } };
        var pdf = System.Text.Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
        var kept = await p.Officer.PostAsync($"/api/v1/grievances/{id}/documents", Paper("letter", pdf, "don thu.exe"), Ct);
        kept.StatusCode.ShouldBe(HttpStatusCode.OK, await kept.Content.ReadAsStringAsync(Ct));
        var letter = (await kept.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("documents").EnumerateArray().Single();
        letter.GetProperty("fileName").GetString().ShouldBe("don thu.pdf");
        letter.GetProperty("sha256").GetString().ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(pdf)));
        var notScan = await p.Officer.PostAsync($"/api/v1/grievances/{id}/documents", Paper("letter", "MZ not a scan"u8.ToArray(), "don.pdf"), Ct);
        notScan.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await notScan.Content.ReadAsStringAsync(Ct)).ShouldContain("\"Document\"");
        (await p.Officer.PostAsync($"/api/v1/grievances/{id}/documents", Paper("signed_answer", pdf, "tl.pdf"), Ct)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await inspector.PostAsync($"/api/v1/grievances/{id}/documents", Paper("evidence", pdf, "x.pdf"), Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var docUrl = $"/api/v1/grievances/{id}/documents/{letter.GetProperty("id").GetInt64()}";
        (await inspector.GetByteArrayAsync(docUrl, Ct)).ShouldBe(pdf);
        (await other.ProvinceOfficer.GetAsync(docUrl, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await p.Officer.GetByteArrayAsync($"/Grievances/42/{id}?handler=Document&documentId={letter.GetProperty("id").GetInt64()}", Ct)).ShouldBe(pdf);
        // Another province's officer, through their own province's page address: the paper's grievance is not theirs.
        (await other.ProvinceOfficer.GetAsync($"/Grievances/44/{id}?handler=Document&documentId={letter.GetProperty("id").GetInt64()}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await f.App.ScalarAsync<string>($"SELECT new_values FROM audit_log WHERE entity = 'grievance_document' AND entity_key = '{letter.GetProperty("id").GetInt64()}'"))!
            .ShouldNotContain("\"content\":");

        // Accepted for the commune officer, answered linking the approval decision, then final.
        (await p.ProvinceOfficer.PostAsJsonAsync($"/api/v1/grievances/{id}/accept", new { assignee = "p44-xa" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity); // not of this place
        (await p.ProvinceOfficer.PostAsJsonAsync($"/api/v1/grievances/{id}/accept", new { assignee = "p42-xa" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await p.Officer.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/provinces/42/grievances?mine=true", Ct)).GetArrayLength().ShouldBe(1);
        var answered = await p.Officer.PostAsJsonAsync($"/api/v1/grievances/{id}/answer",
            new { answer = "Mức của ông là 1,5 × 540.000 = 810.000 đồng theo quyết định.", actionKind = "correction", decisionId = approval }, Ct);
        answered.StatusCode.ShouldBe(HttpStatusCode.OK, await answered.Content.ReadAsStringAsync(Ct));
        var view = await answered.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct);
        view.GetProperty("action").GetProperty("decisionId").GetInt64().ShouldBe(approval);
        view.GetProperty("action").GetProperty("decisionNumber").GetString().ShouldStartWith("QĐ-");
        (await p.Officer.PostAsync($"/api/v1/grievances/{id}/documents", Paper("signed_answer", pdf, "tra loi.pdf"), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK); // kept after the answer
        (await p.Officer.PostAsJsonAsync($"/api/v1/grievances/{id}/withdraw", new { reason = "Rút" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await p.Officer.PostAsJsonAsync($"/api/v1/grievances/{id}/person", new { citizenId = card }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>("/api/v1/provinces/42/grievances?show=answered", Ct)).GetArrayLength().ShouldBe(1);

        // OpenAPI documents the steps with their refusals.
        var doc = await f.App.Client().GetStringAsync("/openapi/v1.json", Ct);
        doc.ShouldContain("\"/api/v1/grievances/{grievanceId}/answer\"");
        doc.ShouldContain("\"/api/v1/provinces/{provinceCode}/grievances\"");
    }

    [Fact]
    public async Task AnInspectorsSample_IsReproducible_AndAFindingsSuspensionShowsInTheNextRun()
    {
        var p = await f.PlaceAsync("33");
        var people = new List<long>();
        for (var i = 0; i < 6; i++)
        {
            var id = await p.PersonAsync($"Phạm Văn Mẫu {i}", $"195{i}-01-01");
            await p.EnrolAsync(id, "5a", "2026-11");
            people.Add(id);
        }

        // One person is 101 (a flag): they weigh 1 + 4 = 5 in the draw.
        var old = await p.PersonAsync("Phạm Thị Trăm", "1925-01-01");
        await p.EnrolAsync(old, "5a", "2026-11");
        var november = await p.PayAsync("2026-11", "2026-11-21");
        await f.App.CreateUserAsync("p33-tt", Roles.Inspector, "33");
        var inspector = await f.App.SignedInAsync("p33-tt");

        async Task<long> DrawAsync(string seed)
        {
            var r = await AppFixture.PostFormAsync(inspector, "/Inspections/33?handler=Draw", new() { ["Title"] = "Kiểm tra quý IV", ["PerCommune"] = "3", ["Seed"] = seed }, "/Inspections/33");
            r.StatusCode.ShouldBe(HttpStatusCode.Redirect, await r.Content.ReadAsStringAsync(Ct));
            return long.Parse(r.Headers.Location!.OriginalString.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        }

        async Task<string> SampleAsync(long plan) =>
            await f.App.ScalarAsync<string>($"SELECT string_agg(person_id::text, ',' ORDER BY rank) FROM inspection_sample WHERE plan_id = {plan}") ?? "";

        var first = await DrawAsync("4242");
        var again = await DrawAsync("4242");
        var samples = new HashSet<string>();
        for (var seed = 1; seed <= 8; seed++)
        {
            samples.Add(await SampleAsync(await DrawAsync(seed.ToString(System.Globalization.CultureInfo.InvariantCulture))));
        }

        (await SampleAsync(first)).Split(',').Length.ShouldBe(3);
        (await SampleAsync(again)).ShouldBe(await SampleAsync(first));
        samples.Count.ShouldBeGreaterThan(1); // other seeds draw other people
        (await f.App.ScalarAsync<string>($"SELECT string_agg(DISTINCT weight || ':' || array_to_string(flags, ','), ' ') FROM inspection_sample WHERE person_id = {old}")).ShouldBe("5:over_100");

        // Commune officers do not draw; inspectors do not act on findings.
        Refused(await AppFixture.PostFormAsync(p.Officer, "/Inspections/33?handler=Draw", new() { ["Title"] = "x", ["PerCommune"] = "1" }, "/Inspections/33"));

        // The inspector visits a sampled person and finds they have moved away: suspension from December.
        // (Not the 101-year-old, who is likely drawn and whose December is asserted below; ids differ run to run.)
        var visited = (await SampleAsync(first)).Split(',').Select(x => long.Parse(x, System.Globalization.CultureInfo.InvariantCulture)).First(x => x != old);
        var planUrl = $"/Inspections/33/{first}";
        var noAction = await AppFixture.PostFormAsync(inspector, planUrl + "?handler=Visit", new() { ["PersonId"] = $"{visited}", ["Result"] = "finding", ["Note"] = "Đã đến nhà." }, planUrl);
        noAction.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await noAction.Content.ReadAsStringAsync(Ct)).ShouldContain("Chọn biện pháp");
        var visit = await AppFixture.PostFormAsync(inspector, planUrl + "?handler=Visit", new()
        {
            ["PersonId"] = $"{visited}", ["VisitedOn"] = "2026-11-20", ["Result"] = "finding", ["Note"] = "Đã đến nhà, hàng xóm cho biết đã chuyển đi.",
            ["Action"] = "suspension", ["EffectiveMonth"] = "2026-12", ["Description"] = "Không còn cư trú tại địa phương.",
        }, planUrl);
        visit.StatusCode.ShouldBe(HttpStatusCode.Redirect, await visit.Content.ReadAsStringAsync(Ct));
        var finding = await f.App.ScalarAsync<long>("SELECT id FROM inspection_finding WHERE province_code = '33'");
        Refused(await AppFixture.PostFormAsync(inspector, "/Inspections/33?handler=Act", new() { ["FindingId"] = $"{finding}" }, "/Inspections/33"));

        // The commune officer proposes the suspension from the finding; the chairman approves it as any proposal.
        (await AppFixture.PostFormAsync(p.Officer, "/Inspections/33?handler=Act", new() { ["FindingId"] = $"{finding}" }, "/Inspections/33")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var proposal = await f.App.ScalarAsync<long>($"SELECT proposal_id FROM inspection_finding WHERE id = {finding}");
        (await f.App.ScalarAsync<string>($"SELECT kind || ' ' || (request->>'effectiveMonth') || ' ' || status FROM change_proposal WHERE id = {proposal}")).ShouldBe("suspend 2026-12 proposed");
        (await AppFixture.PostFormAsync(p.Officer, "/Inspections/33?handler=Act", new() { ["FindingId"] = $"{finding}" }, "/Inspections/33")).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var decided = await p.Chairman.PostAsync($"/api/v1/registry/change-proposals/{proposal}/decision",
            new StringContent("""{"approve":true,"decisionNumber":"QĐ-TD-33"}""", System.Text.Encoding.UTF8, "application/json"), Ct);
        decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync(Ct));

        // The other three actions, on three other people: a recovery (paid from November but not due: a stop from
        // November, approved), a correction (linked to the proposal the officer made for that person, not another's),
        // a referral (named, or refused).
        var others = people.Where(x => x != visited).Take(3).ToList();
        async Task<long> FindingAsync(long person, string action, string month)
        {
            var r = await AppFixture.PostFormAsync(inspector, planUrl + "?handler=Visit", new()
            {
                ["PersonId"] = $"{person}", ["Result"] = "finding", ["Note"] = "Biên bản kiểm tra.", ["Action"] = action, ["EffectiveMonth"] = month, ["Description"] = "Phát hiện " + action,
            }, planUrl);
            r.StatusCode.ShouldBe(HttpStatusCode.Redirect, await r.Content.ReadAsStringAsync(Ct));
            return await f.App.ScalarAsync<long>($"SELECT max(id) FROM inspection_finding WHERE person_id = {person}");
        }

        Task<HttpResponseMessage> ActAsync(long id, string field = "", string value = "") =>
            AppFixture.PostFormAsync(p.Officer, "/Inspections/33?handler=Act", field == "" ? new() { ["FindingId"] = $"{id}" } : new() { ["FindingId"] = $"{id}", [field] = value }, "/Inspections/33");

        var recovery = await FindingAsync(others[0], "recovery", "2026-11");
        (await ActAsync(recovery)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var stop = await f.App.ScalarAsync<long>($"SELECT proposal_id FROM inspection_finding WHERE id = {recovery}");
        (await f.App.ScalarAsync<string>($"SELECT kind || ' ' || (request->>'effectiveMonth') FROM change_proposal WHERE id = {stop}")).ShouldBe("stop 2026-11");
        (await p.Chairman.PostAsync($"/api/v1/registry/change-proposals/{stop}/decision",
            new StringContent("""{"approve":true,"decisionNumber":"QĐ-TH-33"}""", System.Text.Encoding.UTF8, "application/json"), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var correction = await FindingAsync(others[1], "correction", "");
        (await ActAsync(correction, "ProposalId", $"{proposal}")).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity); // another person's proposal
        var own = await p.Officer.PostAsJsonAsync($"/api/v1/registry/people/{others[1]}/enrolments/social_assistance/changes",
            new { kind = "suspend", effectiveMonth = "2026-12", reason = "Điều chỉnh theo kết quả kiểm tra" }, Ct);
        own.StatusCode.ShouldBe(HttpStatusCode.Accepted, await own.Content.ReadAsStringAsync(Ct));
        var ownId = (await own.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(Ct)).GetProperty("id").GetInt64();
        (await ActAsync(correction, "ProposalId", $"{ownId}")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await f.App.ScalarAsync<long>($"SELECT proposal_id FROM inspection_finding WHERE id = {correction}")).ShouldBe(ownId);

        var referral = await FindingAsync(others[2], "referral", "");
        (await ActAsync(referral)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await ActAsync(referral, "ReferredTo", "Công an xã")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await f.App.ScalarAsync<string>($"SELECT status || ' ' || referred_to FROM inspection_finding WHERE id = {referral}")).ShouldBe("actioned Công an xã");

        // December: the suspended and the stopped have no line; the stopped one's November (5a aged 70–76: 1.5 × 540,000
        // = 810,000) is a debt to recover; the 101-year-old is paid 2.0 × 540,000 = 1,080,000; the others 810,000.
        var december = await p.ComputeAsync("2026-12", "2026-11-21");
        var dec = december.GetProperty("id").GetInt64();
        (await p.LineAsync(dec, visited)).ShouldBe("");
        (await p.LineAsync(dec, others[0])).ShouldBe("");
        (await f.App.ScalarAsync<string>($"SELECT to_char(month, 'YYYY-MM') || ':' || amount FROM payroll_debt WHERE run_id = {dec} AND person_id = {others[0]}")).ShouldBe("2026-11:810000");
        (await p.LineAsync(dec, old)).ShouldBe("2026-12:regular:1080000");
        (await p.LineAsync(dec, others[1])).ShouldBe("2026-12:regular:810000");
        december.GetProperty("lines").GetInt32().ShouldBe(november.GetProperty("lines").GetInt32() - 2);
        (await p.Officer.GetStringAsync("/Inspections/33", Ct)).ShouldContain("Đã xử lý");
    }

    [Fact]
    public async Task ReportTotals_EqualTheLedger_AndTheHandWorkedFigures()
    {
        // a: 5a aged 76 from October, decided in November: 810,000 + back pay 810,000. b: 5a from November, suspended from
        // December. So November = 2,430,000 on 2 lines, December = 810,000 on 1 line.
        var p = await f.PlaceAsync("37");
        await f.App.ExecAsync("INSERT INTO province_setting (province_code, payroll_from) VALUES ('37', '2026-10-01')"); // October is the ledger's
        var a = await p.PersonAsync("Hồ Văn Truy", "1950-04-01");
        var b = await p.PersonAsync("Hồ Thị Dừng", "1950-05-01");
        await p.EnrolAsync(a, "5a", "2026-10");
        await p.EnrolAsync(b, "5a", "2026-11");
        await p.PayAsync("2026-11", "2026-11-21");
        await p.ChangeAsync(b, new { kind = "suspend", effectiveMonth = "2026-12", reason = "Không nhận 3 tháng" });
        await p.PayAsync("2026-12", "2026-11-21");
        var api = "/api/v1/provinces/37/reports";

        var summary = await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>($"{api}/summary?from=2026-11&to=2026-12", Ct);
        var total = summary.GetProperty("total").GetProperty("cells");
        // people, lines, regular, back pay, carry-over, funeral, recovery, total
        string.Join(" ", Enumerable.Range(2, 8).Select(i => total[i].GetInt64())).ShouldBe("2 3 2430000 810000 0 0 0 3240000");
        var ledger = await f.App.ScalarAsync<string>("""
            SELECT sum(l.regular) || ' ' || sum(l.back_pay) || ' ' || sum(l.total) FROM payroll_line l JOIN payroll_run r ON r.id = l.run_id
            WHERE r.province_code = '37' AND r.status IN ('approved', 'sent', 'closed')
            """);
        ledger.ShouldBe($"{total[4].GetInt64()} {total[5].GetInt64()} {total[9].GetInt64()}");
        summary.GetProperty("form").GetString().ShouldBe("10a–10d");

        var changes = await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>($"{api}/changes?to=2026-12", Ct);
        var row = changes.GetProperty("rows").EnumerateArray().Single();
        (row.GetProperty("personId").GetInt64(), row.GetProperty("cells")[0].GetString(), row.GetProperty("cells")[5].GetString()).ShouldBe((b, "decrease", "suspended: Không nhận 3 tháng"));

        var backPay = await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>($"{api}/back_pay?from=2026-11&to=2026-12", Ct);
        backPay.GetProperty("rows").GetArrayLength().ShouldBe(1);
        backPay.GetProperty("rows")[0].GetProperty("cells")[3].GetString().ShouldBe("10/2026–10/2026");
        backPay.GetProperty("total").GetProperty("cells")[4].GetInt64().ShouldBe(810_000);

        var cards = await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>($"{api}/health_insurance?to=2026-11", Ct);
        cards.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("cells")[6].GetString()).ShouldBe(["✓", "✓"]);
        var cash = await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>($"{api}/no_bank?to=2026-12", Ct);
        cash.GetProperty("total").GetProperty("cells")[5].GetInt64().ShouldBe(810_000);

        // The commune's staff get their commune whatever they ask; another province's staff nothing; the page prints and downloads.
        var communeSummary = await p.Officer.GetFromJsonAsync<System.Text.Json.JsonElement>($"{api}/summary?commune=&from=2026-11&to=2026-12", Ct);
        communeSummary.GetProperty("commune").GetString().ShouldBe(p.Commune);
        communeSummary.GetProperty("total").GetProperty("cells")[9].GetInt64().ShouldBe(3_240_000); // both live in the commune
        var other = await f.App.ScalarAsync<string>($"SELECT min(code) FROM commune WHERE province_code = '37' AND code <> '{p.Commune}'");
        (await p.ProvinceOfficer.GetFromJsonAsync<System.Text.Json.JsonElement>($"{api}/summary?commune={other}&from=2026-11&to=2026-12", Ct))
            .GetProperty("rows").GetArrayLength().ShouldBe(0);
        await f.App.CreateUserAsync("o38", Roles.ProvinceOfficer, "38");
        (await (await f.App.SignedInAsync("o38")).GetAsync($"{api}/summary", Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await p.ProvinceOfficer.GetAsync($"{api}/nonsense", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var print = await p.ProvinceOfficer.GetStringAsync("/Reports/37?report=summary&from=2026-11&to=2026-12&print=true", Ct);
        print.ShouldContain("3.240.000");
        print.ShouldContain("mẫu số 10a–10d");
        print.ShouldContain("Người cao tuổi nghèo không có người phụng dưỡng"); // the category in words, not "5a"
        var xlsx = await p.ProvinceOfficer.GetAsync("/Reports/37?handler=Xlsx&report=no_bank&to=2026-12", Ct);
        xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await xlsx.Content.ReadAsByteArrayAsync(Ct))[..2].ShouldBe("PK"u8.ToArray());

        // The nation's dashboard (admins only) shows the province's December: 1 beneficiary (b is suspended), 1 line, 810,000.
        var admin = await f.App.SignedInAsync("admin");
        var national = await admin.GetStringAsync("/Dashboard?Month=2026-12", Ct);
        Regex.Match(national, @"/Dashboard/37\?Month=2026-12"">[^<]+</a></td><td[^>]*>1</td><td[^>]*>1</td>\s*<td[^>]*>810\.000 đ</td>").Success.ShouldBeTrue();
        Refused(await p.ProvinceOfficer.GetAsync("/Dashboard", Ct));
    }

    /// <summary>A page refuses by sending the browser to the access-denied page.</summary>
    private static void Refused(HttpResponseMessage r)
    {
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        r.Headers.Location!.ToString().ShouldContain("/Account/AccessDenied");
    }

    private static string CodeOf(string body) => CodeRegex().Match(body) is { Success: true } m ? m.Groups[1].Value : throw new ShouldAssertException("no tracking code in the page");

    [GeneratedRegex("data-testid=\"grievance-code\">([A-Z0-9-]{14})<")]
    private static partial Regex CodeRegex();
}
