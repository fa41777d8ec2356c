using System.Net;
using AnSinh.Web.Security;
using AnSinh.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AnSinh.Web.Tests;

public sealed class SignInTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task SignIn_FirstAdminWithConfiguredPassword_ReachesHome()
    {
        var client = await app.SignedInAsync("admin");

        var home = await client.GetAsync("/", TestContext.Current.CancellationToken);

        home.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await home.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Tổng quan");
    }

    [Fact]
    public async Task SignOut_WithTheLayoutsToken_EndsTheSessionOnTheServer()
    {
        await app.CreateUserAsync("leaver", Roles.CommuneOfficer, null, "01840");
        var browser = await app.SignedInAsync("leaver");
        var earlierCookieHolder = await app.SignedInAsync("leaver"); // a cookie issued before sign-out, as a copied one would be

        // The sign-out form of the layout, posted with the token the layout itself renders.
        var signOut = await AppFixture.PostFormAsync(browser, "/Account/Logout", new(), formPageUrl: "/");

        signOut.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        signOut.Headers.Location!.ToString().ShouldBe("/Account/Login");
        app.Clock.Advance(TimeSpan.FromSeconds(1)); // the stamp is checked when any time has passed since the cookie was issued
        var after = await earlierCookieHolder.GetAsync("/Registry", TestContext.Current.CancellationToken);
        after.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        after.Headers.Location!.ToString().ShouldContain("/Account/Login");
    }

    [Fact]
    public async Task Language_SwitchFromTheLayout_AnswersARedirectNotA400()
    {
        var client = await app.SignedInAsync("admin");

        var english = await AppFixture.PostFormAsync(client, "/Language", new() { ["culture"] = "en", ["returnUrl"] = "/" }, formPageUrl: "/");

        english.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetStringAsync("/", TestContext.Current.CancellationToken)).ShouldContain("Sign out");
        await AppFixture.PostFormAsync(client, "/Language", new() { ["culture"] = "vi-VN", ["returnUrl"] = "/" }, formPageUrl: "/");
        (await client.GetStringAsync("/", TestContext.Current.CancellationToken)).ShouldContain("Đăng xuất");
    }

    [Fact]
    public async Task SignIn_WrongPassword_IsRefusedWithAVietnameseMessage()
    {
        var response = await AppFixture.SignInAsync(app.Client(), "admin", "wrong-password-1A");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Tên đăng nhập hoặc mật khẩu không đúng.");
    }

    [Fact]
    public async Task SignIn_FiveFailures_LocksTheAccountEvenForTheRightPassword()
    {
        await app.CreateUserAsync("lockme", Roles.CommuneOfficer, null, "01840");
        var client = app.Client();
        for (var i = 0; i < 5; i++)
        {
            await AppFixture.SignInAsync(client, "lockme", "Wrong-Password-" + i);
        }

        var response = await AppFixture.SignInAsync(client, "lockme", AppFixture.UserPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Tài khoản tạm khoá");
    }

    [Fact]
    public async Task SignIn_DisabledUser_IsRefused()
    {
        var user = await app.CreateUserAsync("disabled1", Roles.Inspector, "19");
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var u = await users.FindByIdAsync(user.Id);
            u!.IsDisabled = true;
            await users.UpdateAsync(u);
        }

        var response = await AppFixture.SignInAsync(app.Client(), "disabled1", AppFixture.UserPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Tên đăng nhập hoặc mật khẩu không đúng.");
    }

    [Fact]
    public async Task Post_WithoutAntiforgeryToken_IsRejected()
    {
        var response = await app.Client().PostAsync("/Account/Login",
            new FormUrlEncodedContent(new Dictionary<string, string> { ["UserName"] = "admin", ["Password"] = AppFixture.AdminPassword }),
            TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task AnyResponse_CarriesSecurityHeaders()
    {
        var response = await app.Client().GetAsync("/Account/Login", TestContext.Current.CancellationToken);

        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        csp.ShouldContain("script-src 'self'");
        csp.ShouldNotContain("unsafe-inline");
        csp.ShouldContain("frame-ancestors 'none'");
        response.Headers.GetValues("X-Content-Type-Options").Single().ShouldBe("nosniff");
        response.Headers.GetValues("Referrer-Policy").Single().ShouldBe("same-origin");
    }

    [Fact]
    public async Task Pages_NoInlineScript_SoTheCspHolds()
    {
        var client = await app.SignedInAsync("admin");
        foreach (var url in new[] { "/", "/Places", "/Admin/Users", "/Audit", "/Account/Login" })
        {
            var html = await client.GetStringAsync(url, TestContext.Current.CancellationToken);
            System.Text.RegularExpressions.Regex.IsMatch(html, "<script(?![^>]*\\bsrc=)[^>]*>").ShouldBeFalse(url);
            html.ShouldNotContain(" onclick=", Case.Insensitive, url);
        }
    }

    [Fact]
    public async Task Language_SwitchToEnglish_ChangesTheInterface()
    {
        var client = app.Client();
        var response = await AppFixture.PostFormAsync(client, "/Language", new() { ["culture"] = "en", ["returnUrl"] = "/Account/Login" }, "/Account/Login");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var html = await client.GetStringAsync("/Account/Login", TestContext.Current.CancellationToken);
        html.ShouldContain("Sign in to AnSinh");
        html.ShouldContain("lang=\"en\"");
    }

    [Fact]
    public async Task Health_ChecksTheDatabase()
    {
        var response = await app.Client().GetAsync("/health", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldBe("Healthy");
    }

    [Fact]
    public async Task Health_LiveAndReady_AndMetricsRefusedToAnUnknownAddress()
    {
        var client = app.Client();
        (await client.GetAsync("/health/live", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await client.GetStringAsync("/health/ready", TestContext.Current.CancellationToken)).ShouldBe("Healthy");
        // The in-process test server has no remote address: not in the allowed networks, so not found.
        (await client.GetAsync("/metrics", TestContext.Current.CancellationToken)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("127.0.0.1", null, true)]
    [InlineData("::1", null, true)]
    [InlineData("::ffff:127.0.0.1", null, true)]
    [InlineData("10.1.2.3", null, false)]
    [InlineData("10.1.2.3", "10.0.0.0/8, 192.168.5.0/24", true)]
    [InlineData("192.168.6.1", "10.0.0.0/8, 192.168.5.0/24", false)]
    public void Metrics_AnswerOnlyTheAllowedNetworks(string address, string? allowed, bool answered) =>
        AnSinh.Web.Hosting.MetricsEndpoint.Allows(System.Net.IPAddress.Parse(address), AnSinh.Web.Hosting.MetricsEndpoint.Networks(allowed)).ShouldBe(answered);

    [Fact]
    public void Metrics_AreWrittenInThePrometheusTextFormat()
    {
        using var collector = new AnSinh.Web.Hosting.MetricsCollector();
        using var metrics = new AnSinh.Web.Hosting.AppMetrics();
        metrics.JobFailures.Add(2, new KeyValuePair<string, object?>("worker", "test \"quoted\""));
        metrics.JobFailures.Add(1, new KeyValuePair<string, object?>("worker", "test \"quoted\""));
        using var meter = new System.Diagnostics.Metrics.Meter("Npgsql"); // a histogram in seconds, as Npgsql's are
        var h = meter.CreateHistogram<double>("test.duration.metrics", "s");
        h.Record(0.003);
        h.Record(0.2);
        h.Record(20);

        var text = collector.Render();
        text.ShouldContain("# TYPE ansinh_jobs_failed_total counter\n");
        text.ShouldContain("ansinh_jobs_failed_total{worker=\"test \\\"quoted\\\"\"} 3\n");
        text.ShouldContain("# TYPE test_duration_metrics histogram\n");
        text.ShouldContain("test_duration_metrics_bucket{le=\"0.005\"} 1\n");
        text.ShouldContain("test_duration_metrics_bucket{le=\"0.25\"} 2\n");
        text.ShouldContain("test_duration_metrics_bucket{le=\"10\"} 2\n");
        text.ShouldContain("test_duration_metrics_bucket{le=\"+Inf\"} 3\n");
        text.ShouldContain("test_duration_metrics_sum 20.203\n");
        text.ShouldContain("test_duration_metrics_count 3\n");
    }

    [Fact]
    public async Task Metrics_RenderWhileSeriesAreAdded()
    {
        // A scrape while requests add new label sets: the snapshot must hold (LINQ over the live dictionary threw).
        using var collector = new AnSinh.Web.Hosting.MetricsCollector();
        using var meter = new System.Diagnostics.Metrics.Meter("Npgsql");
        var counter = meter.CreateCounter<long>("test.concurrent.series");
        // The scrapes start once every writer has added its first series (on a busy machine a writer could otherwise
        // start after the scrapes, or be stopped before its first series); the writers then run to their end.
        using var started = new CountdownEvent(4);
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < AnSinh.Web.Hosting.MetricsCollector.MaxSeries / 4; i++)
            {
                counter.Add(1, new KeyValuePair<string, object?>("n", $"{w}-{i}"));
                if (i == 0)
                {
                    started.Signal();
                }
            }
        }, TestContext.Current.CancellationToken)).ToArray();
        started.Wait(TestContext.Current.CancellationToken);
        for (var i = 0; i < 200; i++)
        {
            collector.Render().ShouldNotBeNull();
        }

        await Task.WhenAll(writers);
        collector.Render().ShouldContain("test_concurrent_series_total{n=\"0-0\"} 1");
    }

    [Fact]
    public async Task UnknownPage_ShowsFriendlyVietnamese404()
    {
        var client = await app.SignedInAsync("admin");

        var response = await client.GetAsync("/khong-co-trang-nay", TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Không tìm thấy trang");
    }
}
