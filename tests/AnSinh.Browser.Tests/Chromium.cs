using System.Text.Json;
using Microsoft.Playwright;

namespace AnSinh.Browser.Tests;

/// <summary>Debian's Chromium as the tests start it (no browser download), and the accessibility check.</summary>
public static class Chromium
{
    public static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>Runs axe-core in the page; returns "rule: target" for each serious or critical violation.</summary>
    public static async Task<List<string>> AxeAsync(IPage page)
    {
        ArgumentNullException.ThrowIfNull(page);
        // Evaluated through the DevTools protocol, so the page's CSP (no inline script) still holds for the app itself.
        await page.EvaluateAsync(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "axe", "axe.min.js")));
        var json = await page.EvaluateAsync<JsonElement>("""
            async () => (await axe.run(document, { resultTypes: ['violations'] })).violations
              .filter(v => v.impact === 'serious' || v.impact === 'critical')
              .flatMap(v => v.nodes.map(n => v.id + ': ' + n.target.join(' ')))
            """);
        return [.. json.EnumerateArray().Select(e => e.GetString()!)];
    }
}

/// <summary>A test class with its own Chromium, started before its tests and closed after.</summary>
public abstract class BrowserTest : IAsyncLifetime
{
    private IPlaywright _playwright = null!;

    protected IBrowser Browser { get; private set; } = null!;

    /// <summary>A fresh browser context in Vietnamese, signed in as <paramref name="user"/>, on the home page.</summary>
    protected async Task<IPage> SignInAsync(AppProcess app, string user, string password = AppProcess.UserPassword)
    {
        ArgumentNullException.ThrowIfNull(app);
        var context = await Browser.NewContextAsync(new() { Locale = "vi-VN", ViewportSize = new() { Width = 1280, Height = 900 }, AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/Account/Login");
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", password);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(app.BaseUrl + "/");
        return page;
    }

    public async ValueTask InitializeAsync()
    {
        _playwright = await Playwright.CreateAsync();
        Browser = await Chromium.LaunchAsync(_playwright);
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        GC.SuppressFinalize(this);
    }
}
