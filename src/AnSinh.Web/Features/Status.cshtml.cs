using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace AnSinh.Web.Features;

/// <summary>Friendly pages for 404, 403 and other status codes (re-executed by the status-code middleware).</summary>
[AllowAnonymous]
[IgnoreAntiforgeryToken]
public sealed class StatusModel(IStringLocalizer<SharedResource> l) : PageModel
{
    public string Title { get; private set; } = "";
    public string Body { get; private set; } = "";

    public void OnGet(int code)
    {
        var key = code is 404 or 403 ? code.ToString(System.Globalization.CultureInfo.InvariantCulture) : "Other";
        Title = l[$"Status.{key}.Title"];
        Body = l[$"Status.{key}.Body"];
    }

    public void OnPost(int code) => OnGet(code);
}
