using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnSinh.Web.Security;
using AnSinh.Web.Tests.Support;
using Shouldly;

namespace AnSinh.Web.Tests.Rules;

public sealed class RatesTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("2024-07", "500000", "500.000 đ")]
    [InlineData("2024-06", "360000", "360.000 đ")]
    [InlineData("2021-06", "270000", "270.000 đ")]
    [InlineData("2026-07", "540000", "540.000 đ")]
    public async Task RatesPage_ShowsTheBaseLevelOfTheMonth(string month, string value, string shown)
    {
        var html = await app.Client().GetStringAsync($"/Rules?month={month}&province=19", TestContext.Current.CancellationToken);

        html.ShouldContain($"data-testid=\"base-level\" data-value=\"{value}\">{shown}<");
        html.ShouldContain("Thái Nguyên");
    }

    [Fact]
    public async Task RatesPage_SignedOut_ShowsHanoiWithoutAWarning()
    {
        var html = await app.Client().GetStringAsync("/Rules", TestContext.Current.CancellationToken);

        html.ShouldContain("Thành phố Hà Nội");
        html.ShouldNotContain("Không có tỉnh");
        html.ShouldNotContain("alert-warning");
    }

    [Fact]
    public async Task RatesPage_ListsEveryCategoryWithItsAmount()
    {
        var html = await app.Client().GetStringAsync("/Rules?month=2024-07&province=19", TestContext.Current.CancellationToken);

        foreach (var code in new[] { "1", "2", "3", "4", "5a", "5b", "5c", "5d", "6", "7", "8" })
        {
            html.ShouldContain($"<strong>{code}</strong>");
        }

        html.ShouldContain("1.250.000 đ"); // 2.5 × 500,000
        html.ShouldContain("1.500.000 đ"); // 5d: 3.0 × 500,000
        html.ShouldContain("data-testid=\"funeral\">10.000.000 đ<");
        html.ShouldContain("Nghị định 76/2024/NĐ-CP");
    }

    [Fact]
    public async Task RulesApi_ReturnsTheSameAsJson()
    {
        var json = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/rules?month=2024-07&province=19", TestContext.Current.CancellationToken);

        json.GetProperty("baseLevel").GetProperty("effective").GetInt64().ShouldBe(500_000);
        var fiveA = json.GetProperty("categories").EnumerateArray().Single(c => c.GetProperty("code").GetString() == "5a");
        fiveA.GetProperty("bands").EnumerateArray().Select(b => b.GetProperty("amount").GetInt64()).ShouldBe([750_000, 1_000_000]);
        json.GetProperty("socialPension").ValueKind.ShouldBe(JsonValueKind.Null); // from 2025-07 only
    }

    [Theory]
    [InlineData("/api/v1/rules?month=2024-13&province=19", HttpStatusCode.BadRequest, "month")]
    [InlineData("/api/v1/rules?month=2024-07", HttpStatusCode.BadRequest, "province")]
    [InlineData("/api/v1/rules?month=2024-07&province=99", HttpStatusCode.NotFound, "'99'")]
    public async Task RulesApi_BadParameters_AreProblems(string url, HttpStatusCode status, string mentions)
    {
        var response = await app.Client().GetAsync(url, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(status);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain(mentions);
    }

    [Fact]
    public async Task ProvinceOfficer_AddsAHigherBase_ItAppliesToTheirProvinceOnlyAndIsAudited()
    {
        await app.CreateUserAsync("rules-p79", Roles.ProvinceOfficer, "79");
        var client = await app.SignedInAsync("rules-p79");

        var response = await AppFixture.PostFormAsync(client, "/Rules/Overrides/79?handler=Add", new()
        {
            ["Kind"] = "base_level", ["Amount"] = "650000", ["FromMonth"] = "2025-01", ["Reference"] = "Nghị quyết 99/2024/NQ-HĐND", ["DecidedOn"] = "2024-12-10",
        }, "/Rules/Overrides/79");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var in79 = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/rules?month=2025-03&province=79", TestContext.Current.CancellationToken);
        in79.GetProperty("baseLevel").GetProperty("effective").GetInt64().ShouldBe(650_000);
        in79.GetProperty("baseLevel").GetProperty("national").GetInt64().ShouldBe(500_000);
        var in19 = await app.Client().GetFromJsonAsync<JsonElement>("/api/v1/rules?month=2025-03&province=19", TestContext.Current.CancellationToken);
        in19.GetProperty("baseLevel").GetProperty("effective").GetInt64().ShouldBe(500_000);
        (await app.ScalarAsync<string>("SELECT actor || '|' || reason FROM audit_log WHERE entity = 'province_rule_override'")).ShouldBe("rules-p79|Nghị quyết 99/2024/NQ-HĐND");

        // An overlapping period is refused with a way forward; nothing is written.
        var overlap = await AppFixture.PostFormAsync(client, "/Rules/Overrides/79?handler=Add", new()
        {
            ["Kind"] = "base_level", ["Amount"] = "700000", ["FromMonth"] = "2025-06", ["Reference"] = "NQ 2", ["DecidedOn"] = "2025-05-01",
        }, "/Rules/Overrides/79");
        (await overlap.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("trùng với một mức đã có");
        (await app.ScalarAsync<long>("SELECT count(*) FROM province_rule_override WHERE province_code = '79'")).ShouldBe(1);
    }

    [Fact]
    public async Task ProvinceOfficer_BaseNotAboveNational_IsRefused()
    {
        await app.CreateUserAsync("rules-p01", Roles.ProvinceOfficer, "01");
        var client = await app.SignedInAsync("rules-p01");

        var response = await AppFixture.PostFormAsync(client, "/Rules/Overrides/01?handler=Add", new()
        {
            ["Kind"] = "base_level", ["Amount"] = "450000", ["FromMonth"] = "2024-07", ["Reference"] = "NQ 1", ["DecidedOn"] = "2024-06-01",
        }, "/Rules/Overrides/01");

        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("phải cao hơn mức quốc gia 500.000 đ");
        (await app.ScalarAsync<long>("SELECT count(*) FROM province_rule_override WHERE province_code = '01'")).ShouldBe(0);
    }

    [Fact]
    public async Task OtherProvincesOfficer_CannotPostOverrides()
    {
        await app.CreateUserAsync("rules-p19", Roles.ProvinceOfficer, "19");
        var own = await app.SignedInAsync("rules-p19");
        // Take a valid form and token from their own province's page, then aim it at another province.
        var html = await own.GetStringAsync("/Rules/Overrides/19", TestContext.Current.CancellationToken);
        var token = System.Text.RegularExpressions.Regex.Match(html, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;

        var response = await own.PostAsync("/Rules/Overrides/01?handler=Add", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Kind"] = "base_level", ["Amount"] = "900000", ["FromMonth"] = "2025-01", ["Reference"] = "x", ["DecidedOn"] = "2024-12-01",
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.ToString().ShouldContain("/Account/AccessDenied");
        (await app.ScalarAsync<long>("SELECT count(*) FROM province_rule_override WHERE province_code = '01'")).ShouldBe(0);
    }
}
