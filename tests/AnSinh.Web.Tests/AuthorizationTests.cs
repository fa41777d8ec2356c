using System.Net;
using System.Text.RegularExpressions;
using AnSinh.Web.Security;
using AnSinh.Web.Tests.Support;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AnSinh.Web.Tests;

/// <summary>
/// Walks the app's own route table, so a new page or endpoint is covered the day it is added:
/// each must declare its access, anonymous visitors are refused wherever it is not public, and a
/// user of another province is refused wherever the route names a province or the policy excludes them.
/// </summary>
public sealed partial class AuthorizationTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private sealed record Route(string Url, string Pattern, bool IsPublic, string? Policy, bool HasProvince, bool HasRecord, bool IsApi, string Method);

    // A person and an application in Thái Nguyên (19), for routes that name a record.
    private long _personId;
    private long _applicationId;

    public async ValueTask InitializeAsync()
    {
        _personId = (await app.ScalarAsync<long?>("SELECT id FROM person WHERE citizen_id = '019150123456'"))
            ?? await app.ScalarAsync<long>("""
                INSERT INTO person (citizen_id, full_name, birth_date, sex, province_code, commune_code)
                VALUES ('019150123456', 'Người Thử', '1950-01-01', 1, '19', '01840') RETURNING id
                """);
        _applicationId = (await app.ScalarAsync<long?>($"SELECT id FROM application WHERE person_id = {_personId}"))
            ?? await app.ScalarAsync<long>($"""
                INSERT INTO application (person_id, province_code, commune_code, programme, categories, channel, received_on, due_on, status, created_by)
                VALUES ({_personId}, '19', '01840', 'social_assistance', jsonb_build_array(jsonb_build_object('code', '5a')), 'post', '2026-11-02', '2026-11-16', 'received', 'test') RETURNING id
                """);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private List<Route> Routes(string province, string userId)
    {
        var source = app.Services.GetRequiredService<EndpointDataSource>();
        var routes = new List<Route>();
        foreach (var e in source.Endpoints.OfType<RouteEndpoint>())
        {
            var raw = "/" + (e.RoutePattern.RawText ?? "").TrimStart('/');
            var url = Parameter().Replace(raw, m => m.Groups[1].Value switch
            {
                "provinceCode" or "code" => province,
                "id" => userId,
                "personId" => _personId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "applicationId" => _applicationId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "programme" => "social_assistance",
                "importId" or "planId" or "grievanceId" or "documentId" or "decisionId" or "proposalId" or "transferId" or "proxyId" or "runId" or "payerId" or "fileId" or "exceptionId" or "tokenId" => "1",
                "communeCode" => "01840",
                "documentName" => "v1",
                "report" => "summary",
                var other => throw new InvalidOperationException($"No sample value for route parameter {{{other}}} in {raw}: add one here."),
            });
            var method = e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? "GET";
            var isPublic = e.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policy = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null);
            var hasRecord = new[] { "{personId", "{applicationId", "{importId", "{planId", "{grievanceId", "{decisionId", "{proposalId", "{runId", "{payerId", "{exceptionId", "{tokenId" }.Any(p => raw.Contains(p, StringComparison.Ordinal));
            routes.Add(new Route(url, raw, isPublic, policy, raw.Contains("{provinceCode}", StringComparison.Ordinal), hasRecord, raw.StartsWith("/api/", StringComparison.Ordinal), method));
        }

        return routes;
    }

    [Fact]
    public void EveryEndpoint_DeclaresPublicOrAPolicy()
    {
        var routes = Routes("19", "x");
        routes.Count.ShouldBeGreaterThan(10);
        var undeclared = routes.Where(r => !r.IsPublic && r.Policy is null).Select(r => r.Pattern).ToList();
        undeclared.ShouldBeEmpty("every page and endpoint must carry [AllowAnonymous] or [Authorize(Policy = ...)]");
    }

    [Fact]
    public async Task NonPublicEndpoints_Anonymous_AreRefused()
    {
        var client = app.Client();
        var checkedCount = 0;
        foreach (var r in Routes("19", "x").Where(r => !r.IsPublic))
        {
            var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(r.Method), r.Url), TestContext.Current.CancellationToken);
            if (r.IsApi)
            {
                response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized, r.Pattern);
            }
            else
            {
                response.StatusCode.ShouldBe(HttpStatusCode.Redirect, r.Pattern);
                response.Headers.Location!.ToString().ShouldContain("/Account/Login", Case.Sensitive, r.Pattern);
            }

            checkedCount++;
        }

        checkedCount.ShouldBeGreaterThan(5);
    }

    [Fact]
    public async Task PublicEndpoints_Anonymous_AreServed()
    {
        var client = app.Client();
        foreach (var r in Routes("19", "x").Where(r => r.IsPublic && r.Method == "GET"))
        {
            var response = await client.GetAsync(r.Url, TestContext.Current.CancellationToken);
            // Served: never an authentication challenge (the access-denied page itself answers 403 by design).
            response.StatusCode.ShouldNotBe(HttpStatusCode.Unauthorized, r.Pattern);
            ((int)response.StatusCode).ShouldBeLessThan(500, r.Pattern);
            response.Headers.Location?.ToString().ShouldNotContain("/Account/Login", Case.Sensitive, r.Pattern);
        }
    }

    [Fact]
    public async Task UserOfAnotherProvince_IsRefusedWhereverTheRouteOrPolicyExcludesThem()
    {
        var officer = await app.CreateUserAsync("officer01", Roles.ProvinceOfficer, "01");
        var client = await app.SignedInAsync("officer01");
        var refusedCount = 0;
        foreach (var r in Routes("19", officer.Id).Where(r => !r.IsPublic && r.Method == "GET"))
        {
            var shouldRefuse = r.HasProvince || r.HasRecord || r.Policy is Policies.Admin or Policies.AuditRead or Policies.Decide;
            var response = await client.GetAsync(r.Url, TestContext.Current.CancellationToken);
            if (shouldRefuse)
            {
                refusedCount++;
                if (r.HasRecord && response.StatusCode == HttpStatusCode.NotFound)
                {
                    continue; // a record outside the user's scope is not found, as if it did not exist
                }

                if (r.IsApi)
                {
                    response.StatusCode.ShouldBe(HttpStatusCode.Forbidden, r.Pattern);
                }
                else
                {
                    response.StatusCode.ShouldBe(HttpStatusCode.Redirect, r.Pattern);
                    response.Headers.Location!.ToString().ShouldContain("/Account/AccessDenied", Case.Sensitive, r.Pattern);
                }
            }
            else
            {
                ((int)response.StatusCode).ShouldBeLessThan(400, r.Pattern);
            }
        }

        refusedCount.ShouldBeGreaterThan(3);
    }

    [Fact]
    public async Task ProvinceRoutes_OwnProvince_AreServed()
    {
        await app.CreateUserAsync("officer01b", Roles.ProvinceOfficer, "01");
        var client = await app.SignedInAsync("officer01b");
        // A province's own lists; a record under it (a run) that does not exist answers 404, proved elsewhere.
        var provinceRoutes = Routes("01", "x").Where(r => r.HasProvince && !r.HasRecord && r.Method == "GET").ToList();
        provinceRoutes.ShouldNotBeEmpty();
        foreach (var r in provinceRoutes)
        {
            var response = await client.GetAsync(r.Url, TestContext.Current.CancellationToken);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, r.Pattern);
        }
    }

    [GeneratedRegex(@"\{\*?([A-Za-z]+)(?::[^}=?]+)?(?:=[^}]*)?\??\}")]
    private static partial Regex Parameter();
}
