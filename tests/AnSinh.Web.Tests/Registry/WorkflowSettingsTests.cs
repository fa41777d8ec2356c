using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnSinh.Core.Registry;
using AnSinh.Web.Tests.Support;
using Shouldly;

namespace AnSinh.Web.Tests.Registry;

/// <summary>A province that keeps public posting: its own fixture, since the setting changes the workflow for the province.</summary>
public sealed class WorkflowSettingsTests(RegistryFixture f) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task PublicPosting_IsRequiredBeforeTheDecision_AndLastsTheSetWorkingDays()
    {
        var saved = await AppFixture.PostFormAsync(f.ProvinceOfficer, "/Registry/Settings/19", new() { ["PostingDays"] = "2", ["DecisionDays"] = "12", ["Reason"] = "Quyết định của Sở" });
        saved.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await f.App.ScalarAsync<string>("SELECT reason FROM audit_log WHERE entity = 'province_setting'")).ShouldBe("Quyết định của Sở");
        // Another province's officer cannot change it.
        (await f.HanoiOfficer.GetAsync("/Registry/Settings/19", Ct)).StatusCode.ShouldBe(HttpStatusCode.Redirect);

        var person = await f.CreatePersonAsync(f.OfficerA, "Hầu Thị Mỷ", "1949-02-02");
        var received = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5a" } }, channel = "post" }, Ct);
        var app = await received.Content.ReadFromJsonAsync<JsonElement>(Ct);
        var id = app.GetProperty("id").GetInt64();
        var receivedOn = DateOnly.Parse(app.GetProperty("receivedOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        DateOnly.Parse(app.GetProperty("dueOn").GetString()!, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(WorkingDays.Vietnam().Add(receivedOn, 12));
        (await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var tooEarly = await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = true, decisionNumber = "QĐ-9" }, Ct);
        tooEarly.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await tooEarly.Content.ReadAsStringAsync(Ct)).ShouldContain("phải được niêm yết công khai");

        var posted = await (await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/post", null, Ct)).Content.ReadFromJsonAsync<JsonElement>(Ct);
        var until = DateOnly.Parse(posted.GetProperty("postingUntil").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        // Posted on Saturday 21/11/2026: two working days are Monday 23 and Tuesday 24.
        until.ShouldBe(new DateOnly(2026, 11, 24));
        var during = await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = true, decisionNumber = "QĐ-9" }, Ct);
        during.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await during.Content.ReadAsStringAsync(Ct)).ShouldContain("Đang trong thời gian niêm yết");
    }
}
