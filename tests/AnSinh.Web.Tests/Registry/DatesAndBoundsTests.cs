using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnSinh.Core.People;
using AnSinh.Web.Tests.Support;
using Shouldly;

namespace AnSinh.Web.Tests.Registry;

/// <summary>Dates in Vietnam's day (the clock says 18:30 UTC on 20/11/2026, already the 21st in Vietnam), and how far back they may go.</summary>
public sealed class DatesAndBoundsTests(RegistryFixture f) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Receive_WithoutADate_IsReceivedOnVietnamsDayNotTheServers()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Lý Văn Sáng", "1950-02-02", Sex.Male);

        var r = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5a" } }, channel = "in_person" }, Ct);

        r.StatusCode.ShouldBe(HttpStatusCode.Created, await r.Content.ReadAsStringAsync(Ct));
        var app = await r.Content.ReadFromJsonAsync<JsonElement>(Ct);
        app.GetProperty("receivedOn").GetString().ShouldBe("2026-11-21");
    }

    [Fact]
    public async Task Receive_DatedTodayInVietnam_IsAcceptedThoughTheServersDayIsEarlier()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Lý Thị Chiều", "1950-03-03");

        // On the server's own (UTC) day, 20/11, the 21st would be "the future" and refused.
        var today = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5a" } }, channel = "in_person", receivedOn = "2026-11-21" }, Ct);
        var tomorrow = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5a" } }, channel = "in_person", receivedOn = "2026-11-22" }, Ct);

        today.StatusCode.ShouldBe(HttpStatusCode.Created, await today.Content.ReadAsStringAsync(Ct));
        tomorrow.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Dates_FarInThePast_AreRefusedByField()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Lý Văn Xưa", "1940-01-01", Sex.Male);

        var received1990 = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5c" } }, channel = "post", receivedOn = "1990-05-05" }, Ct);
        var app = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5c" } }, channel = "post" }, Ct);
        var id = (await app.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        (await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var start1990 = await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = true, decisionNumber = "QĐ-1990", startMonth = "1990-01" }, Ct);

        received1990.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await received1990.Content.ReadAsStringAsync(Ct)).ShouldContain("ReceivedOn");
        start1990.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await start1990.Content.ReadAsStringAsync(Ct)).ShouldContain("StartMonth");
        await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = true, decisionNumber = "QĐ-2026", startMonth = RegistryFixture.M(0) }, Ct);
        var change1990 = await f.ChangeAsync(f.OfficerA, person, new { kind = "suspend", effectiveMonth = "1990-01", reason = "x" });
        change1990.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await change1990.Content.ReadAsStringAsync(Ct)).ShouldContain("EffectiveMonth");
    }

    [Fact]
    public async Task ChangeReason_OfTwoMegabytes_IsRefusedNotStored()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Lý Thị Dài", "1941-01-01");
        await f.EnrolAsync(person, "5c", RegistryFixture.M(-1));

        var r = await f.ChangeAsync(f.OfficerA, person, new { kind = "suspend", effectiveMonth = RegistryFixture.M(0), reason = new string('x', 2 * 1024 * 1024) });

        r.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await r.Content.ReadAsStringAsync(Ct)).ShouldContain("Reason");
    }
}
