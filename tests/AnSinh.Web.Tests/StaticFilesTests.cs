using System.Net;
using System.Text.RegularExpressions;
using AnSinh.Web.Tests.Support;
using Shouldly;

namespace AnSinh.Web.Tests;

/// <summary>An old PC on a poor line: the sign-in page and everything it loads under 150 KB on the wire, static files compressed and cached, pages never compressed (BREACH).</summary>
public sealed partial class StaticFilesTests(AppFixture app) : IClassFixture<AppFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("(?:href|src)=\"(/(?:lib|css|js)/[^\"]+)\"")]
    private static partial Regex AssetUrl();

    [Fact]
    public async Task SignInPage_WithItsAssets_IsUnder150KilobytesOnTheWire_AndAssetsAreCachedForAYear()
    {
        var client = app.RawClient();
        using var page = new HttpRequestMessage(HttpMethod.Get, "/Account/Login");
        page.Headers.AcceptEncoding.ParseAdd("br, gzip");
        var pageResponse = await client.SendAsync(page, Ct);
        var html = await pageResponse.Content.ReadAsStringAsync(Ct);
        pageResponse.Content.Headers.ContentEncoding.ShouldBeEmpty(); // a page with an antiforgery token is never compressed
        long total = (await pageResponse.Content.ReadAsByteArrayAsync(Ct)).Length;

        var assets = AssetUrl().Matches(html).Select(m => WebUtility.HtmlDecode(m.Groups[1].Value)).Distinct().ToList();
        assets.ShouldContain(a => a.StartsWith("/lib/bootstrap/bootstrap.min.css?v=", StringComparison.Ordinal));
        foreach (var asset in assets)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, asset);
            request.Headers.AcceptEncoding.ParseAdd("br, gzip");
            var response = await client.SendAsync(request, Ct);
            response.StatusCode.ShouldBe(HttpStatusCode.OK, asset);
            response.Content.Headers.ContentEncoding.ShouldContain("br", asset);
            response.Headers.CacheControl!.MaxAge.ShouldBe(TimeSpan.FromDays(365), asset);
            total += (await response.Content.ReadAsByteArrayAsync(Ct)).Length;
        }

        // Uncompressed, Bootstrap's CSS and script and htmx alone are about 360 KB.
        total.ShouldBeLessThan(150 * 1024);
    }

    /// <summary>
    /// The Content-Security-Policy (style-src 'self') makes browsers ignore style attributes: a page that sets one (a
    /// progress bar's width, a text's line breaks) shows nothing of it. Classes in site.css do it instead.
    /// </summary>
    [Fact]
    public void NoPage_SetsAStyleAttribute_WhichTheContentSecurityPolicyIgnores()
    {
        var features = Path.Combine(AppFixture.RepositoryRoot ?? throw new InvalidOperationException("not run from the repository"), "src", "AnSinh.Web", "Features");
        var offenders = Directory.EnumerateFiles(features, "*.cshtml", SearchOption.AllDirectories)
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: Path.GetRelativePath(features, f), Line: i + 1, Text: line)))
            .Where(x => StyleAttribute().IsMatch(x.Text)).Select(x => $"{x.File}:{x.Line}").ToList();
        offenders.ShouldBeEmpty();
    }

    [GeneratedRegex(@"\sstyle\s*=\s*[""']")]
    private static partial Regex StyleAttribute();
}
