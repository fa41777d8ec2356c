using System.Net.Http.Json;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Home;
using AnSinh.Web.Seeding;
using AnSinh.Web.Security;
using AnSinh.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AnSinh.Web.Tests;

/// <summary>Data queries follow the user's scope: a province sees its own people, a commune its own.</summary>
public sealed class ScopeTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    public async ValueTask InitializeAsync()
    {
        if (await app.ScalarAsync<long>("SELECT count(*) FROM person") > 0)
        {
            return;
        }

        var db = app.Services.GetRequiredService<DatabaseConnection>();
        var now = new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.FromHours(7));
        await DemoSeeder.SeedAsync(db.DataSource, "19", 200, now, false, 1, "test", null, CancellationToken.None);
        await DemoSeeder.SeedAsync(db.DataSource, "01", 50, now, false, 2, "test", null, CancellationToken.None);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task Summary_ProvinceOfficer_CountsOnlyTheirProvince()
    {
        await app.CreateUserAsync("scope-p01", Roles.ProvinceOfficer, "01");
        var client = await app.SignedInAsync("scope-p01");

        var summary = await client.GetFromJsonAsync<Summary>("/api/v1/provinces/01/summary", TestContext.Current.CancellationToken);

        summary!.People.ShouldBe(50);
        summary.ActiveEnrolments.ShouldBe(50);
        summary.Communes.ShouldBe(await app.ScalarAsync<int>("SELECT count(*) FROM commune WHERE province_code = '01'"));
        var home = await client.GetStringAsync("/", TestContext.Current.CancellationToken);
        home.ShouldContain("data-testid=\"people-count\">50<");
        home.ShouldContain("Thành phố Hà Nội");
    }

    [Fact]
    public async Task Summary_CommuneOfficer_CountsOnlyTheirCommune()
    {
        var commune = (await app.ScalarAsync<string>("SELECT commune_code FROM person WHERE province_code = '19' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"))!;
        var inCommune = await app.ScalarAsync<int>($"SELECT count(*) FROM person WHERE commune_code = '{commune}'");
        inCommune.ShouldBeLessThan(200);
        await app.CreateUserAsync("scope-c19", Roles.CommuneOfficer, null, commune);
        var client = await app.SignedInAsync("scope-c19");

        var summary = await client.GetFromJsonAsync<Summary>("/api/v1/provinces/19/summary", TestContext.Current.CancellationToken);

        summary!.People.ShouldBe(inCommune);
        summary.Communes.ShouldBe(1);
    }

    [Fact]
    public async Task Home_Admin_CountsEveryProvince()
    {
        var client = await app.SignedInAsync("admin");

        var home = await client.GetStringAsync("/", TestContext.Current.CancellationToken);

        home.ShouldContain("data-testid=\"people-count\">250<");
        home.ShouldContain("Toàn quốc");
    }

    [Fact]
    public async Task AuditPage_Inspector_SeesOnlyTheirProvincesRows()
    {
        await app.CreateUserAsync("scope-i01", Roles.Inspector, "01");
        var client = await app.SignedInAsync("scope-i01");

        var html = await client.GetStringAsync("/Audit", TestContext.Current.CancellationToken);

        html.ShouldContain("seed_demo");
        html.ShouldContain("<td>01</td>");
        html.ShouldNotContain("<td>19</td>");
    }
}
