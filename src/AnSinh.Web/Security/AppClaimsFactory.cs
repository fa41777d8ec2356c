using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace AnSinh.Web.Security;

/// <summary>Puts the user's role, scope and display name into the sign-in cookie.</summary>
public sealed class AppClaimsFactory(UserManager<AppUser> users, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<AppUser>(users, options)
{
    public const string FullNameClaim = "ansinh:name";

    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(AppUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var identity = await base.GenerateClaimsAsync(user).ConfigureAwait(false);
        identity.AddClaim(new Claim(ClaimTypes.Role, user.Role));
        identity.AddClaim(new Claim(FullNameClaim, user.FullName));
        if (user.ProvinceCode is not null)
        {
            identity.AddClaim(new Claim(UserScope.ProvinceClaim, user.ProvinceCode));
        }

        if (user.PayerId is { } payer)
        {
            identity.AddClaim(new Claim(PayerAccess.PayerClaim, payer.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (user.CommuneCode is not null)
        {
            identity.AddClaim(new Claim(UserScope.CommuneClaim, user.CommuneCode));
        }

        return identity;
    }
}
