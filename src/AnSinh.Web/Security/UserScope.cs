using System.Security.Claims;

namespace AnSinh.Web.Security;

/// <summary>A record that belongs to a place; scoped queries filter on these two codes.</summary>
public interface IPlaced
{
    string ProvinceCode { get; }
    string CommuneCode { get; }
}

/// <summary>Which places a signed-in user may see: all, one province, or one commune.</summary>
public sealed record UserScope(ScopeLevel Level, string? ProvinceCode, string? CommuneCode)
{
    public const string ProvinceClaim = "ansinh:province";
    public const string CommuneClaim = "ansinh:commune";

    public static readonly UserScope Nothing = new(ScopeLevel.Province, "--", null);

    public static UserScope From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (user.Identity?.IsAuthenticated != true)
        {
            return Nothing;
        }

        if (user.IsInRole(Roles.Admin))
        {
            return new UserScope(ScopeLevel.All, null, null);
        }

        var province = user.FindFirstValue(ProvinceClaim);
        var commune = user.FindFirstValue(CommuneClaim);
        if (province is null)
        {
            return Nothing;
        }

        return commune is null ? new UserScope(ScopeLevel.Province, province, null) : new UserScope(ScopeLevel.Commune, province, commune);
    }

    public bool CoversProvince(string provinceCode) => Level == ScopeLevel.All || ProvinceCode == provinceCode;

    public bool Covers(string provinceCode, string communeCode) =>
        Level switch
        {
            ScopeLevel.All => true,
            ScopeLevel.Province => ProvinceCode == provinceCode,
            _ => ProvinceCode == provinceCode && CommuneCode == communeCode,
        };
}

public static class ScopeQueries
{
    /// <summary>The communes a user may work in, for pickers.</summary>
    public static IQueryable<Features.Places.Commune> InScope(this IQueryable<Features.Places.Commune> communes, UserScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Level switch
        {
            ScopeLevel.All => communes,
            ScopeLevel.Province => communes.Where(c => c.ProvinceCode == scope.ProvinceCode),
            _ => communes.Where(c => c.Code == scope.CommuneCode),
        };
    }

    /// <summary>Keeps only the rows the user's scope covers. Every query of placed data goes through this.</summary>
    public static IQueryable<T> WhereInScope<T>(this IQueryable<T> query, UserScope scope)
        where T : class, IPlaced
    {
        ArgumentNullException.ThrowIfNull(scope);
        return scope.Level switch
        {
            ScopeLevel.All => query,
            ScopeLevel.Province => query.Where(x => x.ProvinceCode == scope.ProvinceCode),
            _ => query.Where(x => x.ProvinceCode == scope.ProvinceCode && x.CommuneCode == scope.CommuneCode),
        };
    }
}
