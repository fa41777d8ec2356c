using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnSinh.Core.People;
using AnSinh.Web.Tests.Support;
using Shouldly;

namespace AnSinh.Web.Tests.Registry;

/// <summary>The app's clock says 18:30 UTC on 20/11/2026: in Vietnam it is already 01:30 on the 21st.</summary>
public sealed class VietnamClockTests(RegistryFixture f) : IClassFixture<RegistryFixture>
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
    public async Task Receive_DatedTomorrowInVietnam_IsRefusedAsFuture()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Lý Thị Chiều", "1950-03-03");

        var r = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5a" } }, channel = "in_person", receivedOn = "2026-11-22" }, Ct);

        r.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
    }
}
