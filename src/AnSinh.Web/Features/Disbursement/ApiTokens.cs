using System.Globalization;
using System.Security.Cryptography;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Disbursement;

/// <summary>An API token as listed: never its secret, only the first characters that let a person recognise it.</summary>
public sealed record ApiTokenView(long Id, long PayerId, string PayerName, string ProvinceCode, string Name, string Prefix, DateTimeOffset ExpiresAt,
    string CreatedBy, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt, DateTimeOffset? LastUsedAt);

public sealed record CreateTokenRequest(long PayerId, string Name, int Days);

/// <summary>The one time a token's secret is shown.</summary>
public sealed record CreatedToken(ApiTokenView Token, string Secret);

/// <summary>Admins create, list and revoke payer systems' tokens: shown once, stored as their SHA-256, scoped to one payer, expiring.</summary>
public static class ApiTokens
{
    public const int MaxDays = 366;

    public static Task<List<ApiTokenView>> ListAsync(AppDbContext db, CancellationToken ct) =>
        db.Database.SqlQuery<ApiTokenView>($"""
            SELECT t.id AS "Id", t.payer_id AS "PayerId", p.name AS "PayerName", t.province_code AS "ProvinceCode", t.name AS "Name", t.prefix AS "Prefix",
                   t.expires_at AS "ExpiresAt", t.created_by AS "CreatedBy", t.created_at AS "CreatedAt", t.revoked_at AS "RevokedAt", t.last_used_at AS "LastUsedAt"
            FROM api_token t JOIN payer p ON p.id = t.payer_id ORDER BY t.revoked_at IS NOT NULL, t.id DESC
            """).ToListAsync(ct);

    public static async Task<(CreatedToken? Token, RegistryError? Error)> CreateAsync(AppDbContext db, TimeProvider time, CreateTokenRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(r);
        var payer = await db.Payers.FirstOrDefaultAsync(p => p.Id == r.PayerId, ct);
        if (payer is null)
        {
            return (null, RegistryError.Invalid("payerId", Texts.Get("Token.PayerUnknown")));
        }

        var name = r.Name?.Trim() ?? "";
        if (name.Length is < 1 or > 100)
        {
            return (null, RegistryError.Invalid("name", Texts.Get("Token.NameLength")));
        }

        if (r.Days is < 1 or > MaxDays)
        {
            return (null, RegistryError.Invalid("days", Texts.Get("Token.DaysRange", MaxDays)));
        }

        var secret = ApiTokenAuthentication.Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var prefix = secret[ApiTokenAuthentication.Prefix.Length..][..8];
        var now = time.GetUtcNow();
        await using var tx = await db.TransactionAsync(ct);
        var id = await db.Database.SqlQuery<long>($"""
            INSERT INTO api_token (payer_id, province_code, name, prefix, secret_sha256, expires_at, created_by, created_at)
            VALUES ({payer.Id}, {payer.ProvinceCode}, {name}, {prefix}, {ApiTokenAuthentication.Hash(secret)}, {now.AddDays(r.Days)}, {actor}, {now})
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        await db.AppendAuditAsync("create", "api_token", id[0].ToString(CultureInfo.InvariantCulture), payer.ProvinceCode,
            new { payer = payer.Id, name, prefix, days = r.Days }, actor, null, now, ct);
        await tx.CommitAsync(ct);
        var view = (await ListAsync(db, ct)).First(t => t.Id == id[0]);
        return (new CreatedToken(view, secret), null);
    }

    public static async Task<RegistryError?> RevokeAsync(AppDbContext db, TimeProvider time, long id, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var tx = await db.TransactionAsync(ct);
        var now = time.GetUtcNow();
        var province = await db.Database.SqlQuery<string>($"""
            UPDATE api_token SET revoked_at = {now}, revoked_by = {actor} WHERE id = {id} AND revoked_at IS NULL RETURNING province_code AS "Value"
            """).ToListAsync(ct);
        if (province.Count == 0)
        {
            return RegistryError.NotFound("api_token");
        }

        await db.AppendAuditAsync("revoke", "api_token", id.ToString(CultureInfo.InvariantCulture), province[0], new { id }, actor, null, now, ct);
        await tx.CommitAsync(ct);
        return null;
    }
}
