using AnSinh.Web.Database;
using AnSinh.Web.Features.Grievances;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Public;

/// <summary>
/// A citizen follows a grievance by its tracking code: where it stands, by when it is due, and the answer once given.
/// Nothing else (not the filer's details, not the person concerned); wrong codes count against the address's limit.
/// </summary>
[AllowAnonymous]
public sealed class FollowGrievancePageModel(AppDbContext db, SelfCheckThrottle throttle) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Code { get; set; }

    public Grievance? Found { get; private set; }
    public string? Answer { get; private set; }
    /// <summary>The decision the answer led to (its number and date only), once signed.</summary>
    public GrievanceActionLink? Linked { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var code = Code?.Trim().ToUpperInvariant();
        if (string.IsNullOrEmpty(code))
        {
            return Page();
        }

        var client = SignInThrottle.ClientOf(HttpContext);
        if (!throttle.Allows(client, ""))
        {
            Answer = "limited";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        throttle.Attempted(client);
        Found = code.Length == 14 ? await db.Grievances.AsNoTracking().FirstOrDefaultAsync(g => g.Code == code, ct) : null;
        Answer = Found is null ? "none" : null;
        Linked = Found is { Status: "answered" } ? await GrievanceActions.ReadAsync(db, Found, ct) : null;
        return Page();
    }
}
