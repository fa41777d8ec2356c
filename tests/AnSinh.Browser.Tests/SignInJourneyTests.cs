using Microsoft.Playwright;
using Shouldly;

namespace AnSinh.Browser.Tests;

/// <summary>Real Chromium against the real app: what a commune office's browser would do.</summary>
public sealed class SignInJourneyTests(AppProcess app) : BrowserTest, IClassFixture<AppProcess>
{
    [Fact]
    public async Task Admin_SignsIn_AndReachesTheHomePageWithRealCounts()
    {
        var page = await Browser.NewPageAsync(new() { Locale = "vi-VN", ViewportSize = new() { Width = 1280, Height = 900 } });
        var consoleErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") { consoleErrors.Add(m.Text); } };

        await page.GotoAsync(app.BaseUrl + "/");
        page.Url.ShouldContain("/Account/Login");
        await SignInAsAdminAsync(page);

        (await page.TextContentAsync("h1"))!.ShouldContain("Tổng quan");
        (await page.TextContentAsync("[data-testid=people-count]"))!.Trim().ShouldBe("300");
        (await page.TextContentAsync("[data-testid=user-name]"))!.ShouldContain("Quản trị hệ thống");
        // The chart is drawn by script under the CSP: a blocked script would leave the canvas blank and log an error.
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppProcess.ArtifactsDir, "home-admin.png"), FullPage = true });
        var drawn = await page.EvaluateAsync<bool>("() => { const c = document.querySelector('canvas[data-chart]'); return !!(c && window.Chart && Chart.getChart(c)); }");
        drawn.ShouldBeTrue("chart not drawn; console errors: " + string.Join(" | ", consoleErrors));
        consoleErrors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Officer_SwitchesToEnglishAndBack_ThenSignsOut()
    {
        var page = await Browser.NewPageAsync(new() { Locale = "vi-VN" });
        await page.GotoAsync(app.BaseUrl + "/Account/Login");
        await SignInAsAdminAsync(page);

        await page.ClickAsync("button[name=culture]");
        await page.WaitForSelectorAsync("html[lang=en]");
        (await page.TextContentAsync("nav"))!.ShouldContain("Sign out");
        await page.ClickAsync("button[name=culture]");
        await page.WaitForSelectorAsync("html[lang=vi]");
        await page.ClickAsync("form[action='/Account/Logout'] button");

        await page.WaitForURLAsync("**/Account/Login");
        await page.GotoAsync(app.BaseUrl + "/Registry");
        page.Url.ShouldContain("/Account/Login");
    }

    [Fact]
    public async Task WrongPassword_ShowsTheVietnameseMessage()
    {
        var page = await Browser.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/Account/Login");
        await page.FillAsync("#UserName", "admin");
        await page.FillAsync("#Password", "not-the-password-1A");
        await page.ClickAsync("#login-submit");

        (await page.TextContentAsync("[role=alert]"))!.ShouldContain("Tên đăng nhập hoặc mật khẩu không đúng.");
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppProcess.ArtifactsDir, "login-failed.png") });
    }

    [Theory]
    [InlineData("/Account/Login")]
    [InlineData("/Places?code=19")]
    [InlineData("/Rules?month=2024-07&province=19")]
    public async Task PublicPages_HaveNoSeriousAccessibilityViolations(string path)
    {
        var page = await Browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        await page.GotoAsync(app.BaseUrl + path);
        await page.ScreenshotAsync(new() { Path = Path.Combine(AppProcess.ArtifactsDir, "public" + path.Split('?')[0].Replace('/', '-') + ".png"), FullPage = true });

        var violations = await Chromium.AxeAsync(page);

        violations.ShouldBeEmpty();
    }

    [Fact]
    public async Task HomePage_SignedIn_HasNoSeriousAccessibilityViolations()
    {
        var page = await Browser.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/Account/Login");
        await SignInAsAdminAsync(page);

        (await Chromium.AxeAsync(page)).ShouldBeEmpty();
    }

    /// <summary>Fills and submits the sign-in form shown on the page, then waits for the home page.</summary>
    private async Task SignInAsAdminAsync(IPage page)
    {
        await page.FillAsync("#UserName", "admin");
        await page.FillAsync("#Password", AppProcess.AdminPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(app.BaseUrl + "/");
    }
}
