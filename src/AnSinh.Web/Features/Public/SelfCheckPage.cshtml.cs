using System.Globalization;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AnSinh.Web.Features.Public;

/// <summary>
/// Tra cứu: a citizen checks their own payment with their citizen ID and date of birth, without signing in. A wrong
/// birth date and an unknown ID get the same answer; attempts are limited per address and per ID.
/// </summary>
[AllowAnonymous]
public sealed class SelfCheckPageModel(AppDbContext db, TimeProvider time, SelfCheckThrottle throttle) : PageModel
{
    [BindProperty] public string? CitizenId { get; set; }
    [BindProperty] public DateOnly? BirthDate { get; set; }

    public SelfCheckView? View { get; private set; }
    public string? Answer { get; private set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var id = CitizenId?.Trim() ?? "";
        if (id.Length != 12 || !id.All(char.IsAsciiDigit))
        {
            ModelState.AddModelError(nameof(CitizenId), Hosting.Texts.Get("SelfCheck.Err.CitizenId"));
        }

        var today = time.VietnamToday();
        if (BirthDate is not { } born || born.Year < 1900 || born > today)
        {
            ModelState.AddModelError(nameof(BirthDate), Hosting.Texts.Get("SelfCheck.Err.BirthDate"));
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var client = SignInThrottle.ClientOf(HttpContext);
        if (!throttle.Allows(client, id))
        {
            Answer = "limited";
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        throttle.Attempted(client);
        View = await SelfCheck.FindAsync(db, time, id, BirthDate!.Value, client, ct);
        if (View is null)
        {
            throttle.Missed(id);
            Answer = "none";
        }

        return Page();
    }

    public static string MonthText(DateOnly m) => m.ToString("MM/yyyy", CultureInfo.InvariantCulture);
}
