using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using AnSinh.Web.Database;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace AnSinh.Web.Security;

/// <summary>
/// A payer system's bearer token ("Authorization: Bearer ansinh_…"): looked up by its SHA-256, refused when revoked or
/// expired, and turned into a payer clerk of that payer. Only <see cref="Policies.PayerExchange"/> accepts this
/// scheme, so a token opens the payer's file and result endpoints and nothing else.
/// </summary>
public sealed class ApiTokenAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder,
    DatabaseConnection database, TimeProvider time) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";
    public const string CookieOrToken = "CookieOrToken";
    public const string Prefix = "ansinh_";
    public const string TokenClaim = "ansinh:token";

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return AuthenticateResult.NoResult();
        }

        var token = header["Bearer ".Length..].Trim();
        if (!token.StartsWith(Prefix, StringComparison.Ordinal) || token.Length > 100)
        {
            return AuthenticateResult.Fail("Not an AnSinh token.");
        }

        await using var cmd = database.DataSource.CreateCommand("""
            UPDATE api_token SET last_used_at = $2 WHERE secret_sha256 = $1 AND revoked_at IS NULL AND expires_at > $2
            RETURNING id, payer_id, province_code, name
            """);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter<string> { TypedValue = Hash(token) });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter<DateTimeOffset> { TypedValue = time.GetUtcNow() });
        await using var r = await cmd.ExecuteReaderAsync(Context.RequestAborted);
        if (!await r.ReadAsync(Context.RequestAborted))
        {
            return AuthenticateResult.Fail("Unknown, revoked or expired token.");
        }

        var id = r.GetInt64(0).ToString(CultureInfo.InvariantCulture);
        var identity = new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Name, $"token:{id}"),
            new Claim(ClaimTypes.Role, Roles.PayerClerk),
            new Claim(UserScope.ProvinceClaim, r.GetString(2)),
            new Claim(PayerAccess.PayerClaim, r.GetInt64(1).ToString(CultureInfo.InvariantCulture)),
            new Claim(TokenClaim, id),
            new Claim(AppClaimsFactory.FullNameClaim, r.GetString(3)),
        ], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

/// <summary>Which payers a user may act for: a payer clerk (or token) only their own; officers and approvers any payer of their province.</summary>
public static class PayerAccess
{
    public const string PayerClaim = "ansinh:payer";

    /// <summary>The payer a clerk or token is bound to, or null for staff who are not.</summary>
    public static long? PayerOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return long.TryParse(user.FindFirstValue(PayerClaim), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
    }

    public static bool Allows(ClaimsPrincipal user, long payerId, string payerProvince)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.IsInRole(Roles.PayerClerk))
        {
            return PayerOf(user) == payerId && UserScope.From(user).CoversProvince(payerProvince);
        }

        return (user.IsInRole(Roles.Admin) || user.IsInRole(Roles.ProvinceOfficer) || user.IsInRole(Roles.ProvinceApprover))
            && UserScope.From(user).CoversProvince(payerProvince);
    }
}
