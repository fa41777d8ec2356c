using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnSinh.Web.Tests.Support;
using DocumentFormat.OpenXml.Packaging;
using Shouldly;
using static AnSinh.Web.Tests.Registry.RegistryFixture;

namespace AnSinh.Web.Tests.Registry;

/// <summary>The officer's day made plain: each role's home page lists its own work, and nobody silently goes unpaid.</summary>
public sealed class WorkListTests(RegistryFixture f) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Section(string html, string testId)
    {
        var at = html.IndexOf($"data-testid=\"{testId}\"", StringComparison.Ordinal);
        return at < 0 ? "" : html[at..html.IndexOf("</div>", at, StringComparison.Ordinal)];
    }

    [Fact]
    public async Task HomePage_ListsWhatEachRoleMustDoNext()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Chu Thị Việc", "1951-07-07");
        var received = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5a" } }, channel = "in_person" }, Ct);
        var id = (await received.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();

        Section(await f.OfficerA.GetStringAsync("/", Ct), "work-check").ShouldContain($"/Registry/Applications/{id}");
        Section(await f.ChairmanA.GetStringAsync("/", Ct), "work-decide").ShouldNotContain($"/Registry/Applications/{id}");

        await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct);
        Section(await f.OfficerA.GetStringAsync("/", Ct), "work-check").ShouldNotContain($"/Registry/Applications/{id}");
        Section(await f.ChairmanA.GetStringAsync("/", Ct), "work-decide").ShouldContain($"/Registry/Applications/{id}");
        Section(await f.ChairmanB.GetStringAsync("/", Ct), "work-decide").ShouldNotContain($"/Registry/Applications/{id}");
        await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = true, decisionNumber = "QĐ-W1" }, Ct);

        await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/people/{person}/enrolments/social_assistance/changes", new { kind = "suspend", effectiveMonth = M(1), reason = "Tạm giam 2 tháng" }, Ct);
        Section(await f.ChairmanA.GetStringAsync("/", Ct), "work-proposals").ShouldContain("Tạm giam 2 tháng");
        Section(await f.OfficerA.GetStringAsync("/", Ct), "work-proposals").ShouldContain("Tạm giam 2 tháng");
        Section(await f.OfficerA.GetStringAsync("/", Ct), "work-unrouted").ShouldContain("/Payment/Routing");
    }

    [Fact]
    public async Task Routing_ListsWhoCannotBePaid_AndTheOutreachListDownloads()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Giàng Thị Chưa", "1950-08-08");
        await f.EnrolAsync(person, "5a", M(0));

        var page = await f.OfficerA.GetStringAsync($"/Payment/Routing?Month={M(1)}", Ct);
        Section(page, "unrouted").ShouldContain("Giàng Thị Chưa");
        page.ShouldContain("Chưa có hình thức nhận tiền");
        page.ShouldContain($"tháng {Now.AddMonths(1).FirstDay:MM/yyyy}");
        (await f.OfficerB.GetStringAsync($"/Payment/Routing?Month={M(1)}", Ct)).ShouldNotContain("Giàng Thị Chưa");

        var xlsx = await f.OfficerA.GetAsync($"/Payment/Routing?handler=Outreach&Month={M(1)}", Ct);
        xlsx.StatusCode.ShouldBe(HttpStatusCode.OK);
        using var doc = SpreadsheetDocument.Open(new MemoryStream(await xlsx.Content.ReadAsByteArrayAsync(Ct)), false);
        var text = doc.WorkbookPart!.WorksheetParts.Single().Worksheet.InnerText;
        text.ShouldContain("Giàng Thị Chưa");
        text.ShouldContain("Chưa có");

        var admin = await f.App.SignedInAsync("admin");
        (await admin.GetAsync("/Payment/Routing", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await admin.GetAsync("/Payment/Routing?Province=19", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }
}
