namespace AnSinh.Web.Security;

/// <summary>
/// Cross-site protection for the API, whose state-changing calls carry the sign-in cookie: a POST with no body
/// (check, post, withdraw, commit) is a "simple request" another site could make a signed-in officer's browser
/// send. A browser says where a request comes from (Sec-Fetch-Site; Origin on every cross-origin POST), so an
/// unsafe method from anywhere but this site is refused with 403. Clients that are not browsers send neither
/// header and are unaffected; pages keep their antiforgery tokens.
/// </summary>
public sealed class SameOriginApi(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method) || IsSameOrigin(request))
        {
            return next(context);
        }

        return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: Hosting.Texts.Get("Problem.CrossSite"),
            detail: Hosting.Texts.Get("Problem.CrossSiteDetail")).ExecuteAsync(context);
    }

    public static bool IsSameOrigin(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && site is not ("same-origin" or "none"))
        {
            return false;
        }

        var origin = request.Headers.Origin.ToString();
        return origin.Length == 0
            // The host, not the scheme: behind a proxy that ends TLS the app sees http while the browser says https.
            || (Uri.TryCreate(origin, UriKind.Absolute, out var o) && string.Equals(o.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase));
    }
}
