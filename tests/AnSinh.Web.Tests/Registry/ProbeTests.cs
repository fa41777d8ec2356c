using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using AnSinh.Core.People;
using AnSinh.Web.Tests.Support;
using Shouldly;
using static AnSinh.Web.Tests.Registry.RegistryFixture;

namespace AnSinh.Web.Tests.Registry;

/// <summary>The registry probed as an attacker or a careless client would: each of these once gave a 500, ran, or kept too much.</summary>
public sealed class ProbeTests(RegistryFixture f) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> ReceivedAsync(long person)
    {
        var received = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5a" } }, channel = "in_person" }, Ct);
        received.StatusCode.ShouldBe(HttpStatusCode.Created);
        return (await received.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Origin", "https://evil.example")]
    public async Task ApiPostWithNoBody_SentCrossSite_IsRefusedAndChangesNothing(string header, string value)
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Phùng Thị Xuân", "1952-02-02");
        var id = await ReceivedAsync(person);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/registry/applications/{id}/check");
        request.Headers.Add(header, value);

        var response = await f.OfficerA.SendAsync(request, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await f.App.ScalarAsync<string>($"SELECT status FROM application WHERE id = {id}")).ShouldBe("received");
        // The same call from the app's own pages goes through.
        using var own = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/registry/applications/{id}/check");
        own.Headers.Add("Sec-Fetch-Site", "same-origin");
        own.Headers.Add("Origin", "http://localhost");
        (await f.OfficerA.SendAsync(own, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task HugePageNumbers_AnswerAnEmptyPageNot500()
    {
        var api = await f.OfficerA.GetAsync($"/api/v1/registry/people?page={int.MaxValue}&pageSize=100", Ct);
        api.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await api.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("items").GetArrayLength().ShouldBe(0);
        (await f.OfficerA.GetAsync($"/Registry?PageNumber={int.MaxValue}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await f.OfficerA.GetAsync("/api/v1/registry/people?page=99999999999", Ct)).StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Names_LoseControlAndBidiCharacters_AndAreFoundByTheirVisibleLetters()
    {
        // A NUL, a right-to-left override that would reverse the name on screen, a zero-width space and a BOM.
        var response = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/people", new
        {
            citizenId = f.NewCitizenId(1953, Sex.Female), fullName = "Tạ\u0000 Thị\u202E  Nhàn\u200B\uFEFF", birthDate = "1953-03-03", sex = "female", communeCode = CommuneA, hamlet = "Tổ\u2066 9",
        }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(Ct));
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        (await f.App.ScalarAsync<string>($"SELECT full_name || '|' || hamlet FROM person WHERE id = {id}")).ShouldBe("Tạ Thị Nhàn|Tổ 9");
        var found = await f.OfficerA.GetFromJsonAsync<JsonElement>("/api/v1/registry/people?q=ta thi nhan", Ct);
        found.GetProperty("items").EnumerateArray().ShouldContain(p => p.GetProperty("id").GetInt64() == id);
    }

    [Fact]
    public async Task FreeText_OverItsLimit_IsRefusedNamingTheField()
    {
        var response = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/people", new
        {
            citizenId = f.NewCitizenId(1954, Sex.Male), fullName = "Đỗ Văn Dài", birthDate = "1954-04-04", sex = "male", communeCode = CommuneA, hamlet = new string('x', 2 * 1024 * 1024),
        }, Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
        problem.GetProperty("errors").GetProperty("Hamlet")[0].GetString()!.ShouldContain("Tối đa 100 ký tự");
        (await f.App.ScalarAsync<long>("SELECT count(*) FROM person WHERE full_name = 'Đỗ Văn Dài'")).ShouldBe(0);
    }

    private async Task<HttpResponseMessage> UploadAsync(long application, string fileName, byte[] content)
    {
        var url = $"/Registry/Applications/{application}";
        var token = await AppFixture.TokenAsync(f.OfficerA, url);
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__RequestVerificationToken" },
            { new StringContent("don_de_nghi"), "DocType" },
            { new ByteArrayContent(content), "Document", fileName },
        };
        return await f.OfficerA.PostAsync(url + "?handler=Document", form, Ct);
    }

    [Fact]
    public async Task Document_IsNamedByWhatItsBytesAre_AndADecidedFileIsClosed()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Kha Thị Lan", "1955-05-05");
        var id = await ReceivedAsync(person);
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

        (await UploadAsync(id, "don.exe", pdf)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await f.App.ScalarAsync<string>($"SELECT file_name || '|' || content_type FROM application_document WHERE application_id = {id}")).ShouldBe("don.pdf|application/pdf");

        (await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = true, decisionNumber = "QĐ-DOC" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var late = await UploadAsync(id, "them.pdf", pdf);

        (await late.Content.ReadAsStringAsync(Ct)).ShouldContain("không bổ sung giấy tờ nữa");
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM application_document WHERE application_id = {id}")).ShouldBe(1);
    }
}
