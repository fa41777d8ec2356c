using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnSinh.Core.People;
using AnSinh.Web.Security;
using AnSinh.Web.Tests.Support;
using Shouldly;
using static AnSinh.Web.Tests.Registry.RegistryFixture;

namespace AnSinh.Web.Tests.Registry;

/// <summary>
/// Who decides (Decree 147/2025): the commune chairman by default, a province approver where the province keeps it;
/// never whoever prepared the case; suspensions and stops through the same decider; decisions printed as recorded.
/// </summary>
public sealed class DecidersTests(RegistryFixture f) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> ReceiveAndCheckAsync(long person, string category = "5a", HttpClient? officer = null)
    {
        officer ??= f.OfficerA;
        var received = await officer.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = category } }, channel = "in_person" }, Ct);
        received.StatusCode.ShouldBe(HttpStatusCode.Created, await received.Content.ReadAsStringAsync(Ct));
        var id = (await received.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        (await officer.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        return id;
    }

    private static Task<HttpResponseMessage> ApproveAsync(HttpClient decider, long application, string number) =>
        decider.PostAsJsonAsync($"/api/v1/registry/applications/{application}/decision", new { approve = true, decisionNumber = number, startMonth = M(0) }, Ct);

    private async Task<long> DecisionIdAsync(long application) =>
        await f.App.ScalarAsync<long>($"SELECT id FROM decision WHERE application_id = {application}");

    [Fact]
    public async Task CommuneChairman_DecidesByDefault_AndTheDecisionPrintsTheOfficeTitleAndName()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Đinh Thị Lụa", "1950-03-03");
        var id = await ReceiveAndCheckAsync(person);

        // The province approver is not the decider here; a commune officer is no decider at all; B's chairman cannot see it.
        var byProvince = await ApproveAsync(f.Approver, id, "QĐ-X");
        byProvince.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await byProvince.Content.ReadAsStringAsync(Ct)).ShouldContain("Chủ tịch UBND xã quyết định");
        (await ApproveAsync(f.OfficerA, id, "QĐ-X")).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await ApproveAsync(f.ChairmanB, id, "QĐ-X")).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        (await ApproveAsync(f.ChairmanA, id, "15/QĐ-UBND")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var print = await f.OfficerA.GetStringAsync($"/Registry/Decisions/{await DecisionIdAsync(id)}", Ct);
        print.ShouldContain("Ủy ban nhân dân<br />Phường Đức Xuân");
        print.ShouldContain("CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG ĐỨC XUÂN");
        print.ShouldContain("Người dùng reg-cta"); // the signer's name as recorded
        // 5a from 11/2026: 1.5 × 540,000 = 810,000.
        print.ShouldContain("810.000 đ");
        print.ShouldContain("Tám trăm mười nghìn đồng");
    }

    [Fact]
    public async Task WhoeverCheckedTheApplication_CannotDecideIt_EvenAfterBecomingChairman()
    {
        var officer = await f.App.CreateUserAsync("dec-checker", Roles.CommuneOfficer, null, CommuneA);
        var client = await f.App.SignedInAsync("dec-checker");
        var person = await f.CreatePersonAsync(client, "Mạc Văn Tùng", "1943-01-01", Sex.Male);
        var id = await ReceiveAndCheckAsync(person, officer: client);
        await f.App.ExecAsync($"UPDATE app_user SET role = 'commune_approver', job_title = 'Phó Chủ tịch' WHERE id = '{officer.Id}'");
        var promoted = await f.App.SignedInAsync("dec-checker");

        var refused = await ApproveAsync(promoted, id, "QĐ-Y");

        refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("không được tự quyết định");
        (await f.App.ScalarAsync<string>($"SELECT status FROM application WHERE id = {id}")).ShouldBe("checked");
    }

    [Fact]
    public async Task ViceChairman_SignsOnBehalfOfTheChairman()
    {
        await f.App.CreateUserAsync("dec-vice", Roles.CommuneApprover, null, CommuneA);
        await f.App.ExecAsync("UPDATE app_user SET job_title = 'Phó Chủ tịch', full_name = 'Hà Văn Phó' WHERE user_name = 'dec-vice'");
        var vice = await f.App.SignedInAsync("dec-vice");
        var person = await f.CreatePersonAsync(f.OfficerA, "Vi Thị Mây", "1942-02-02");
        var id = await ReceiveAndCheckAsync(person);

        (await ApproveAsync(vice, id, "16/QĐ-UBND")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var print = await f.OfficerA.GetStringAsync($"/Registry/Decisions/{await DecisionIdAsync(id)}", Ct);
        var signature = print[print.IndexOf("decision-signer", StringComparison.Ordinal)..];
        signature.IndexOf("KT. CHỦ TỊCH", StringComparison.Ordinal).ShouldBeLessThan(signature.IndexOf("PHÓ CHỦ TỊCH", StringComparison.Ordinal));
        print.ShouldContain("Hà Văn Phó");
    }

    [Fact]
    public async Task Suspension_IsProposedByTheOfficer_AndTakesEffectOnlyWhenTheChairmanDecides()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Nông Thị Sen", "1941-04-04");
        await f.EnrolAsync(person, "5a", M(-3));

        var proposed = await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/people/{person}/enrolments/social_assistance/changes",
            new { kind = "suspend", effectiveMonth = M(0), reason = "Không nhận tiền 3 tháng liên tiếp" }, Ct);
        proposed.StatusCode.ShouldBe(HttpStatusCode.Accepted, await proposed.Content.ReadAsStringAsync(Ct));
        var proposal = (await proposed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        (await f.MonthsAsync(f.OfficerA, person, M(0), M(0)))[M(0)].ShouldStartWith("active"); // nothing changes yet
        var second = await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/people/{person}/enrolments/social_assistance/changes",
            new { kind = "stop", effectiveMonth = M(0), reason = "x" }, Ct);
        second.StatusCode.ShouldBe(HttpStatusCode.Conflict);

        var decide = $"/api/v1/registry/change-proposals/{proposal}/decision";
        (await f.OfficerA.PostAsJsonAsync(decide, new { approve = true, decisionNumber = "QĐ-TD-1" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await f.Approver.PostAsJsonAsync(decide, new { approve = true, decisionNumber = "QĐ-TD-1" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await f.ChairmanB.PostAsJsonAsync(decide, new { approve = true, decisionNumber = "QĐ-TD-1" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var pending = await f.ChairmanA.GetFromJsonAsync<JsonElement[]>("/api/v1/registry/change-proposals", Ct);
        pending!.ShouldContain(p => p.GetProperty("id").GetInt64() == proposal);

        var decided = await f.ChairmanA.PostAsJsonAsync(decide, new { approve = true, decisionNumber = "QĐ-TD-1" }, Ct);

        decided.StatusCode.ShouldBe(HttpStatusCode.OK, await decided.Content.ReadAsStringAsync(Ct));
        (await f.MonthsAsync(f.OfficerA, person, M(-1), M(0))).Values.Select(v => v.Split('@')[0]).ShouldBe(["active", "suspended"]);
        (await f.ChairmanA.PostAsJsonAsync(decide, new { approve = true, decisionNumber = "QĐ-TD-1" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var decision = (await decided.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        var print = await f.OfficerA.GetStringAsync($"/Registry/Decisions/{decision}", Ct);
        print.ShouldContain("Về việc tạm dừng trợ cấp xã hội hằng tháng");
        print.ShouldContain($"Tạm dừng: kể từ tháng {RegistryFixture.Now.FirstDay:MM/yyyy}");
        print.ShouldContain("Không nhận tiền 3 tháng liên tiếp");
    }

    [Fact]
    public async Task ProposalRefused_ChangesNothing_AndNeedsAReason()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Sầm Văn Đá", "1940-05-05", Sex.Male);
        await f.EnrolAsync(person, "5a", M(-1));
        var proposed = await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/people/{person}/enrolments/social_assistance/changes",
            new { kind = "stop", effectiveMonth = M(0), reason = "Đề nghị thôi hưởng" }, Ct);
        var decide = $"/api/v1/registry/change-proposals/{(await proposed.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64()}/decision";

        (await f.ChairmanA.PostAsJsonAsync(decide, new { approve = false }, Ct)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await f.ChairmanA.PostAsJsonAsync(decide, new { approve = false, refusalReason = "Chưa đủ căn cứ" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        (await f.MonthsAsync(f.OfficerA, person, M(0), M(0)))[M(0)].ShouldStartWith("active");
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM decision WHERE person_id = {person} AND kind = 'stop'")).ShouldBe(0);
    }

    [Fact]
    public async Task Decision_IsARecord_AReprintAfterTheBaseIsRaisedShowsTheAmountAsDecided()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Lục Thị Ngân", "1951-06-06");
        var id = await ReceiveAndCheckAsync(person);
        (await ApproveAsync(f.ChairmanA, id, "17/QĐ-UBND")).StatusCode.ShouldBe(HttpStatusCode.OK);
        var url = $"/Registry/Decisions/{await DecisionIdAsync(id)}";
        var before = await f.OfficerA.GetStringAsync(url, Ct);

        // The province raises its base to 650,000 from this month, after the decision was signed.
        var raised = await AppFixture.PostFormAsync(f.ProvinceOfficer, "/Rules/Overrides/19?handler=Add", new()
        {
            ["Kind"] = "base_level", ["Amount"] = "650000", ["FromMonth"] = M(0), ["Reference"] = "Nghị quyết 7/2026/NQ-HĐND", ["DecidedOn"] = FakeClock.VietnamToday.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        }, "/Rules/Overrides/19");
        raised.StatusCode.ShouldBe(HttpStatusCode.Redirect, await raised.Content.ReadAsStringAsync(Ct));

        var after = await f.OfficerA.GetStringAsync(url, Ct);
        after.ShouldBe(before);
        after.ShouldContain("810.000 đ"); // 1.5 × 540,000, as decided
        // What she is owed now is shown on the person page, separately: 1.5 × 650,000 = 975,000.
        var now = await f.OfficerA.GetFromJsonAsync<JsonElement>($"/api/v1/registry/people/{person}", Ct);
        now.GetProperty("entitlement").GetProperty("amount").GetInt64().ShouldBe(975_000);
        await f.App.ExecAsync("DELETE FROM province_rule_override WHERE province_code = '19'");
    }

    [Fact]
    public async Task CareSupportDecision_PrintsItsAmount()
    {
        var cared = await f.CreatePersonAsync(f.OfficerA, "Hoàng Văn Bình", "1995-10-10", Sex.Male);
        await f.EnrolAsync(cared, "6", M(-1), severity: "especially_severe");
        var carer = await f.CreatePersonAsync(f.OfficerA, "Hoàng Thị Thu", "1968-10-10");
        var received = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications",
            new { personId = carer, programme = "care_support", categories = new[] { new { code = "household_especially_severe" } }, caredPersonId = cared, channel = "in_person" }, Ct);
        var id = (await received.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        (await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await ApproveAsync(f.ChairmanA, id, "18/QĐ-UBND")).StatusCode.ShouldBe(HttpStatusCode.OK);

        var print = await f.OfficerA.GetStringAsync($"/Registry/Decisions/{await DecisionIdAsync(id)}", Ct);

        print.ShouldContain("Về việc hỗ trợ kinh phí chăm sóc hằng tháng");
        print.ShouldContain("540.000 đ"); // 1.0 × 540,000
        print.ShouldContain("Năm trăm bốn mươi nghìn đồng");
    }

    [Fact]
    public async Task ProvinceKeepsDecisions_ThenItsApproverDecides_AndTheChairmanIsRefused()
    {
        var fixture = new RegistryFixture();
        await fixture.InitializeAsync();
        try
        {
            var saved = await AppFixture.PostFormAsync(fixture.ProvinceOfficer, "/Registry/Settings/19", new() { ["PostingDays"] = "0", ["DecisionDays"] = "10", ["Decider"] = "province", ["Reason"] = "Quyết định của UBND tỉnh" });
            saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
            var person = await fixture.CreatePersonAsync(fixture.OfficerA, "Đàm Thị Quyên", "1938-07-07");
            var received = await fixture.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5a" } }, channel = "in_person" }, Ct);
            var id = (await received.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
            await fixture.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct);

            var byChairman = await ApproveAsync(fixture.ChairmanA, id, "QĐ-Z");
            byChairman.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            (await byChairman.Content.ReadAsStringAsync(Ct)).ShouldContain("cấp tỉnh");
            (await ApproveAsync(fixture.Approver, id, "99/QĐ-UBND")).StatusCode.ShouldBe(HttpStatusCode.OK);

            var decision = await fixture.App.ScalarAsync<long>($"SELECT id FROM decision WHERE application_id = {id}");
            var print = await fixture.OfficerA.GetStringAsync($"/Registry/Decisions/{decision}", Ct);
            print.ShouldContain("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH THÁI NGUYÊN");
        }
        finally
        {
            await fixture.DisposeAsync();
        }
    }
}
