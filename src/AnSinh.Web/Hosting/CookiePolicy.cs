using Microsoft.AspNetCore.Authentication.Cookies;

namespace AnSinh.Web.Hosting;

/// <summary>The sign-in cookie: pages redirect to sign-in; APIs answer 401/403 with ProblemDetails instead.</summary>
public static class CookiePolicy
{
    public static void Configure(CookieAuthenticationOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        o.LoginPath = "/Account/Login";
        o.LogoutPath = "/Account/Logout";
        o.AccessDeniedPath = "/Account/AccessDenied";
        o.Cookie.Name = "ansinh.auth";
        o.Cookie.HttpOnly = true;
        o.Cookie.SameSite = SameSiteMode.Lax;
        o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        o.ExpireTimeSpan = TimeSpan.FromHours(8);
        o.SlidingExpiration = true;
        o.Events.OnRedirectToLogin = c => ApiOr(c, StatusCodes.Status401Unauthorized);
        o.Events.OnRedirectToAccessDenied = c => ApiOr(c, StatusCodes.Status403Forbidden);
    }

    private static Task ApiOr(Microsoft.AspNetCore.Authentication.RedirectContext<CookieAuthenticationOptions> c, int status)
    {
        if (AppHost.IsApi(c.HttpContext))
        {
            c.Response.StatusCode = status;
            return Results.Problem(statusCode: status).ExecuteAsync(c.HttpContext);
        }

        c.Response.Redirect(c.RedirectUri);
        return Task.CompletedTask;
    }
}
