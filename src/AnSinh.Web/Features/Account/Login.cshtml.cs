using System.ComponentModel.DataAnnotations;
using AnSinh.Web.Audit;
using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace AnSinh.Web.Features.Account;

[AllowAnonymous]
public sealed class LoginModel(SignInManager<AppUser> signIn, SignInThrottle throttle, DatabaseConnection db, TimeProvider time, IStringLocalizer<SharedResource> l) : PageModel
{
    [BindProperty]
    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(256, ErrorMessage = "Validation.TooLong")]
    [Display(Name = "Login.UserName")]
    public string UserName { get; set; } = "";

    [BindProperty]
    [Required(ErrorMessage = "Validation.Required")]
    [StringLength(256, ErrorMessage = "Validation.TooLong")]
    [DataType(DataType.Password)]
    [Display(Name = "Login.Password")]
    public string Password { get; set; } = "";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>An account that exists nowhere, with a hash of a random password: what an unknown user name is checked against.</summary>
    private static readonly AppUser Decoy = MakeDecoy();

    public void OnGet()
    {
    }

    private static AppUser MakeDecoy()
    {
        var decoy = new AppUser { FullName = "", Role = Roles.CommuneOfficer, UserName = "decoy" };
        decoy.PasswordHash = new PasswordHasher<AppUser>().HashPassword(decoy, Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));
        return decoy;
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        var client = SignInThrottle.ClientOf(HttpContext);
        if (throttle.IsBlocked(client))
        {
            ModelState.AddModelError(string.Empty, l["Login.Throttled", (int)SignInThrottle.Window.TotalMinutes]);
            Response.StatusCode = StatusCodes.Status429TooManyRequests;
            return Page();
        }

        var user = await signIn.UserManager.FindByNameAsync(UserName);
        if (user is null || user.IsDisabled)
        {
            // The same work as for a real account (one password hash), so the answer's time does not say who exists.
            signIn.UserManager.PasswordHasher.VerifyHashedPassword(Decoy, Decoy.PasswordHash!, Password);
            throttle.Failed(client);
            ModelState.AddModelError(string.Empty, l["Login.Failed"]);
            return Page();
        }

        // Admins are never locked out by failed attempts, which anyone could make in their name; the per-client
        // throttle slows guessing instead. Other accounts lock for a while after repeated failures.
        var result = await signIn.PasswordSignInAsync(user, Password, isPersistent: false, lockoutOnFailure: user.Role != Roles.Admin);
        if (!result.Succeeded)
        {
            throttle.Failed(client);
        }

        if (result.IsLockedOut)
        {
            ModelState.AddModelError(string.Empty, l["Login.LockedOut"]);
            return Page();
        }

        if (!result.Succeeded)
        {
            ModelState.AddModelError(string.Empty, l["Login.Failed"]);
            return Page();
        }

        await AuditLog.AppendAsync(db.DataSource, [new AuditEntryDraft("sign_in", "app_user", user.Id, user.ProvinceCode, null, null)],
            user.UserName!, null, time.GetUtcNow(), ct);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
