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
/// A move no single officer covers (domain.md, "Moving"): the old commune requests it, the receiving place's
/// decider completes it (old stops, new decides) or refuses it; nothing changes before, so no month is lost, and
/// the completion closes and opens the periods together, so none is paid twice.
/// </summary>
public sealed class TransferTests(RegistryFixture f) : IClassFixture<RegistryFixture>, IAsyncLifetime
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private HttpClient _hanoiChairman = null!;

    public async ValueTask InitializeAsync()
    {
        var name = "tr-hn-ct-" + Guid.NewGuid().ToString("N")[..6];
        await f.App.CreateUserAsync(name, Roles.CommuneApprover, null, CommuneHanoi);
        _hanoiChairman = await f.App.SignedInAsync(name);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private Task<HttpResponseMessage> RequestAsync(HttpClient officer, long person, string commune, string month) =>
        officer.PostAsJsonAsync($"/api/v1/registry/people/{person}/transfers", new { communeCode = commune, effectiveMonth = month, reason = "Chuyển ra Hà Nội ở với con" }, Ct);

    private static async Task<long> IdOf(HttpResponseMessage r) => (await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();

    [Fact]
    public async Task ToAnotherProvince_RequestedByTheOldCommune_CompletedByTheNewChairman_NoMonthTwiceOrLost()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Hà Thị Chuyển", "1950-05-05");
        await f.EnrolAsync(person, "5a", M(-2));

        // The commune officer cannot place the person outside their area alone: a move there is refused, a transfer is requested.
        (await f.ChangeAsync(f.OfficerA, person, new { kind = "move", effectiveMonth = M(1), reason = "x", communeCode = CommuneHanoi })).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var requested = await RequestAsync(f.OfficerA, person, CommuneHanoi, M(1));
        requested.StatusCode.ShouldBe(HttpStatusCode.Created, await requested.Content.ReadAsStringAsync(Ct));
        var transfer = await IdOf(requested);
        (await RequestAsync(f.OfficerA, person, CommuneHanoi, M(1))).StatusCode.ShouldBe(HttpStatusCode.Conflict); // one open request per person

        // Until completed nothing changes: the old commune still holds and pays the person.
        (await f.MonthsAsync(f.OfficerA, person, M(-2), M(1))).Values.ShouldAllBe(v => v == $"active@{CommuneA}");
        (await f.HanoiOfficer.GetAsync($"/api/v1/registry/people/{person}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // The receiving province sees what it needs to decide.
        var incoming = (await f.HanoiOfficer.GetFromJsonAsync<JsonElement[]>("/api/v1/registry/transfers", Ct))!.Single(t => t.GetProperty("id").GetInt64() == transfer);
        incoming.GetProperty("incoming").GetBoolean().ShouldBeTrue();
        incoming.GetProperty("fullName").GetString().ShouldBe("Hà Thị Chuyển");
        incoming.GetProperty("fromCommune").GetString().ShouldBe("Phường Đức Xuân");
        incoming.GetProperty("programmes").EnumerateArray().Select(p => p.GetString()).ShouldBe(["social_assistance"]);
        // Nobody else decides it: the requesting officer is no decider, the old chairman is not the receiving place, a province officer is no decider.
        var decide = new { approve = true, decisionNumber = "88/QĐ-UBND" };
        (await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/transfers/{transfer}/decision", decide, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/transfers/{transfer}/decision", decide, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await f.HanoiOfficer.PostAsJsonAsync($"/api/v1/registry/transfers/{transfer}/decision", decide, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await f.HanoiOfficer.PostAsync($"/api/v1/registry/transfers/{transfer}/withdraw", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var done = await _hanoiChairman.PostAsJsonAsync($"/api/v1/registry/transfers/{transfer}/decision", decide, Ct);

        done.StatusCode.ShouldBe(HttpStatusCode.OK, await done.Content.ReadAsStringAsync(Ct));
        var decision = await done.Content.ReadFromJsonAsync<JsonElement>(Ct);
        decision.GetProperty("office").GetString().ShouldBe("Ủy ban nhân dân Phường Ba Đình");
        decision.GetProperty("kind").GetString().ShouldBe("move");
        // 5a, 75 years old in 12/2026: 1.5 × 540,000 = 810,000 from the new place.
        decision.GetProperty("amount").GetInt64().ShouldBe(810_000);
        // The old commune paid 09–11/2026, the new one pays from 12/2026: every month once.
        (await f.MonthsAsync(f.HanoiOfficer, person, M(-2), M(1))).Values.ShouldBe([
            $"active@{CommuneA}", $"active@{CommuneA}", $"active@{CommuneA}", $"active@{CommuneHanoi}"]);
        (await f.OfficerA.GetAsync($"/api/v1/registry/people/{person}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await f.App.ScalarAsync<string>($"SELECT province_code FROM person WHERE id = {person}")).ShouldBe("01");
        // Settled: neither side can act on it again.
        (await _hanoiChairman.PostAsJsonAsync($"/api/v1/registry/transfers/{transfer}/decision", decide, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await f.OfficerA.PostAsync($"/api/v1/registry/transfers/{transfer}/withdraw", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Refused_ChangesNothing_AndWithdrawn_CannotBeCompleted()
    {
        var refusedPerson = await f.CreatePersonAsync(f.OfficerA, "Lê Văn Ở Lại", "1948-02-02", Sex.Male);
        await f.EnrolAsync(refusedPerson, "5a", M(-1));
        var t1 = await IdOf(await RequestAsync(f.OfficerA, refusedPerson, CommuneHanoi, M(0)));

        (await _hanoiChairman.PostAsJsonAsync($"/api/v1/registry/transfers/{t1}/decision", new { approve = false }, Ct)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity); // a refusal needs its reason
        (await _hanoiChairman.PostAsJsonAsync($"/api/v1/registry/transfers/{t1}/decision", new { approve = false, refusalReason = "Không cư trú tại phường" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);

        (await f.MonthsAsync(f.OfficerA, refusedPerson, M(-1), M(0))).Values.ShouldAllBe(v => v == $"active@{CommuneA}");
        var all = await f.OfficerA.GetFromJsonAsync<JsonElement[]>("/api/v1/registry/transfers?all=true", Ct);
        var refused = all!.Single(t => t.GetProperty("id").GetInt64() == t1);
        (refused.GetProperty("status").GetString(), refused.GetProperty("refusalReason").GetString(), refused.GetProperty("incoming").GetBoolean()).ShouldBe(("refused", "Không cư trú tại phường", false));

        // A new request may follow; the sending side withdraws it and then it cannot be completed.
        var t2 = await IdOf(await RequestAsync(f.OfficerA, refusedPerson, CommuneHanoi, M(1)));
        (await f.OfficerA.PostAsync($"/api/v1/registry/transfers/{t2}/withdraw", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var late = await _hanoiChairman.PostAsJsonAsync($"/api/v1/registry/transfers/{t2}/decision", new { approve = true, decisionNumber = "1/QĐ" }, Ct);
        late.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await late.Content.ReadAsStringAsync(Ct)).ShouldContain("rút đề nghị");
    }

    [Fact]
    public async Task Request_Bounded_ByPlaceMonthAndScope()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Vũ Thị Biên", "1951-01-01");
        await f.EnrolAsync(person, "5a", M(-1));

        // Inside the officer's own area it is a move, not a transfer; the month is bounded; another province cannot request for this person.
        (await RequestAsync(f.ProvinceOfficer, person, CommuneB, M(0))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await RequestAsync(f.OfficerA, person, CommuneHanoi, M(3))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await RequestAsync(f.OfficerA, person, "99999", M(0))).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await RequestAsync(f.HanoiOfficer, person, CommuneHanoi, M(0))).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        // A commune officer's move to another commune of the province is a transfer decided by that commune's chairman.
        var t = await IdOf(await RequestAsync(f.OfficerA, person, CommuneB, M(1)));
        (await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/transfers/{t}/decision", new { approve = true, decisionNumber = "2/QĐ" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await f.ChairmanB.PostAsJsonAsync($"/api/v1/registry/transfers/{t}/decision", new { approve = true, decisionNumber = "2/QĐ" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await f.MonthsAsync(f.ProvinceOfficer, person, M(0), M(1))).Values.ShouldBe([$"active@{CommuneA}", $"active@{CommuneB}"]);
    }

    [Fact]
    public async Task Pages_RequestByCommuneName_AndCompleteFromTheTransfersPage()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Trịnh Thị Trang", "1949-09-09");
        await f.EnrolAsync(person, "5a", M(-1));

        // The province is chosen first; its communes are then listed by name (never the officer's own).
        var form = await f.OfficerA.GetStringAsync($"/Registry/People/{person}/Transfer?Province=01", Ct);
        form.ShouldContain(">Phường Ba Đình</option>");
        (await f.OfficerA.GetStringAsync($"/Registry/People/{person}/Transfer", Ct)).ShouldNotContain(">Phường Đức Xuân</option>");
        var sent = await AppFixture.PostFormAsync(f.OfficerA, $"/Registry/People/{person}/Transfer",
            new() { ["CommuneCode"] = CommuneHanoi, ["EffectiveMonth"] = M(1), ["Reason"] = "Về ở với con gái" });
        sent.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        sent.Headers.Location!.ToString().ShouldBe("/Registry/Transfers?done=requested");
        var id = await f.App.ScalarAsync<long>($"SELECT id FROM transfer WHERE person_id = {person}");

        var page = await _hanoiChairman.GetStringAsync("/Registry/Transfers", Ct);
        page.ShouldContain($"data-testid=\"transfer-{id}\"");
        page.ShouldContain("Trịnh Thị Trang");
        page.ShouldContain($"nơi mới chi trả từ tháng {Display(Now.AddMonths(1))}");
        var missing = await AppFixture.PostFormAsync(_hanoiChairman, "/Registry/Transfers?handler=Complete", new() { ["TransferId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        (await missing.Content.ReadAsStringAsync(Ct)).ShouldContain("Số quyết định: không được để trống");
        var done = await AppFixture.PostFormAsync(_hanoiChairman, "/Registry/Transfers?handler=Complete",
            new() { ["TransferId"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["DecisionNumber"] = "90/QĐ-UBND" });
        done.Headers.Location!.ToString().ShouldBe($"/Registry/People/{person}?done=transferred");
        (await _hanoiChairman.GetStringAsync($"/Registry/People/{person}?done=transferred", Ct)).ShouldContain("90/QĐ-UBND");
    }

    private static string Display(AnSinh.Core.Time.YearMonth m) => $"{m.Month:00}/{m.Year}";
}
