using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Net.Http.Headers;

namespace AnSinh.Web.Hosting;

/// <summary>
/// How long browsers keep static files. Pages link them with a content hash (<c>asp-append-version</c>, "?v=…"),
/// so a versioned URL never changes content and is kept for a year; anything else is kept for a day. An old PC on a
/// slow line then downloads Bootstrap once, not on every page.
/// </summary>
public static class StaticCaching
{
    public static readonly string[] CompressedTypes = ["text/css", "text/javascript", "application/javascript", "image/svg+xml"];

    public static void Apply(StaticFileResponseContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var versioned = context.Context.Request.Query.ContainsKey("v");
        context.Context.Response.Headers[HeaderNames.CacheControl] = versioned ? "public, max-age=31536000, immutable" : "public, max-age=86400";
    }
}
