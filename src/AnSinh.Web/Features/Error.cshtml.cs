using System.Diagnostics;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AnSinh.Web.Features;

[AllowAnonymous]
[IgnoreAntiforgeryToken]
[ResponseCache(Duration = 0, Location = ResponseCacheLocation.None, NoStore = true)]
public sealed class ErrorModel : PageModel
{
    public string RequestId { get; private set; } = "";

    /// <summary>The database went away mid-request (a failover): 503, and the user is told to look, then try again.</summary>
    public bool DatabaseLost { get; private set; }

    public void OnGet()
    {
        RequestId = Activity.Current?.Id ?? HttpContext.TraceIdentifier;
        DatabaseLost = Database.LostConnection.Is(HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error);
        if (DatabaseLost)
        {
            Response.Headers.RetryAfter = Database.LostConnection.RetryAfterSeconds;
        }
    }

    public void OnPost() => OnGet();
}
