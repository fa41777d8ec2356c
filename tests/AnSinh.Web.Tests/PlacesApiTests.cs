using System.Net;
using System.Net.Http.Json;
using AnSinh.Web.Tests.Support;
using Shouldly;

namespace AnSinh.Web.Tests;

public sealed record PlaceJson(string Code, string Name);

public sealed class PlacesApiTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task Provinces_Anonymous_Returns34InCodeOrder()
    {
        var provinces = await app.Client().GetFromJsonAsync<List<PlaceJson>>("/api/v1/places/provinces", TestContext.Current.CancellationToken);

        provinces.ShouldNotBeNull();
        provinces.Count.ShouldBe(34);
        provinces.Select(p => p.Code).ShouldBe(provinces.Select(p => p.Code).Order(StringComparer.Ordinal));
        provinces.ShouldContain(new PlaceJson("19", "Thái Nguyên"));
        provinces.ShouldContain(new PlaceJson("01", "Thành phố Hà Nội"));
    }

    [Fact]
    public async Task Communes_OfEveryProvince_AddUpTo3321()
    {
        var client = app.Client();
        var ct = TestContext.Current.CancellationToken;
        var provinces = await client.GetFromJsonAsync<List<PlaceJson>>("/api/v1/places/provinces", ct);
        var total = 0;
        var codes = new HashSet<string>();
        foreach (var p in provinces!)
        {
            var communes = await client.GetFromJsonAsync<List<PlaceJson>>($"/api/v1/places/provinces/{p.Code}/communes", ct);
            communes!.ShouldNotBeEmpty();
            communes.ShouldAllBe(c => c.Code.Length == 5);
            total += communes.Count;
            codes.UnionWith(communes.Select(c => c.Code));
        }

        total.ShouldBe(3321);
        codes.Count.ShouldBe(3321);
    }

    [Fact]
    public async Task Communes_UnknownProvince_Returns404ProblemInVietnamese()
    {
        var response = await app.Client().GetAsync("/api/v1/places/provinces/99/communes", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/problem+json");
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Không có tỉnh/thành phố mã '99'");
    }

    [Fact]
    public async Task ReferenceData_MappingOfOldCommunes_IsLoadedWithSplits()
    {
        (await app.ScalarAsync<long>("SELECT count(*) FROM commune_mapping")).ShouldBe(10599);
        // Some pre-2025 communes were split between several new ones: the import must ask, so the rows must be there.
        (await app.ScalarAsync<long>("SELECT count(*) FROM (SELECT old_commune_code FROM commune_mapping GROUP BY 1 HAVING count(*) > 1) s")).ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task PlacesPage_Anonymous_ListsProvincesAndCommunesOfOne()
    {
        var html = await app.Client().GetStringAsync("/Places?code=19", TestContext.Current.CancellationToken);

        html.ShouldContain("Thái Nguyên");
        html.ShouldContain("34 tỉnh, thành phố và 3.321 xã, phường, đặc khu");
        html.ShouldContain("Nguồn: danh mục của Tổng cục Thống kê");
    }
}
