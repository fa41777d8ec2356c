using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AnSinh.Web.Features.Account;

/// <summary>
/// Sign-out is a POST (with the antiforgery token), so a link elsewhere cannot sign a user out. It ends the session on
/// the server too: the security stamp changes, so a copy of the cookie is refused on its next request (the stamp is
/// checked on every request; this also ends the user's other sessions).
/// </summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class LogoutModel(SignInManager<AppUser> signIn) : PageModel
{
    public IActionResult OnGet() => LocalRedirect("/");

    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.UserManager.GetUserAsync(User) is { } user)
        {
            await signIn.UserManager.UpdateSecurityStampAsync(user);
        }

        await signIn.SignOutAsync();
        return LocalRedirect("/Account/Login");
    }
}
