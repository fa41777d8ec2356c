using AnSinh.Web.Database;
using AnSinh.Web.Features.People;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Home;

public sealed record CategoryCount(string Programme, string Category, int Count);

public sealed record Summary(string? ProvinceCode, string ScopeName, int Communes, int People, int ActiveEnrolments, IReadOnlyList<CategoryCount> ByCategory);

/// <summary>Counts of what a user's scope holds: the home page and GET /api/v1/provinces/{provinceCode}/summary.</summary>
public static class SummaryApi
{
    public static void Map(IEndpointRouteBuilder v1) =>
        v1.MapGet("/provinces/{provinceCode}/summary", Get).WithTags("Home").RequireAuthorization(Policies.PlaceData);

    public static async Task<Results<Ok<Summary>, ProblemHttpResult>> Get(string provinceCode, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var province = await db.Provinces.AsNoTracking().FirstOrDefaultAsync(p => p.Code == provinceCode, ct);
        if (province is null)
        {
            return Problems.NotFound("Không tìm thấy tỉnh", $"Không có tỉnh mã '{provinceCode}'.");
        }

        // The route already checked the province; a commune officer still sees only their commune.
        var scope = UserScope.From(http.User);
        return TypedResults.Ok(await ComputeAsync(db, scope, provinceCode, province.Name, ct));
    }

    public static async Task<Summary> ComputeAsync(AppDbContext db, UserScope scope, string? provinceCode, string scopeName, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        var people = db.People.AsNoTracking().WhereInScope(scope);
        var enrolments = db.Enrolments.AsNoTracking().WhereInScope(scope).Where(e => e.Status == EnrolmentStatus.Active && e.EndMonth == null && e.SupersededAt == null);
        var communes = db.Communes.AsNoTracking().AsQueryable();
        if (provinceCode is not null)
        {
            people = people.Where(p => p.ProvinceCode == provinceCode);
            enrolments = enrolments.Where(e => e.ProvinceCode == provinceCode);
            communes = communes.Where(c => c.ProvinceCode == provinceCode);
        }

        if (scope.Level == ScopeLevel.Commune)
        {
            communes = communes.Where(c => c.Code == scope.CommuneCode);
        }
        else if (scope.Level == ScopeLevel.Province)
        {
            communes = communes.Where(c => c.ProvinceCode == scope.ProvinceCode);
        }

        // Open, paid periods only; each counted once, under its first category in the rules' order, so the rows add
        // up to the total (a person in several categories is counted under the first).
        var province = provinceCode ?? scope.ProvinceCode;
        var commune = scope.CommuneCode;
        var byCategory = await db.Database.SqlQuery<CategoryCount>($"""
            SELECT e.programme AS "Programme", e.categories->0->>'code' AS "Category", count(*)::int AS "Count"
            FROM enrolment e
            WHERE e.status = 'active' AND e.end_month IS NULL AND e.superseded_at IS NULL
              AND ({province}::text IS NULL OR e.province_code = {province}) AND ({commune}::text IS NULL OR e.commune_code = {commune})
            GROUP BY 1, 2
            """).ToListAsync(ct);
        return new Summary(
            provinceCode,
            scopeName,
            await communes.CountAsync(ct),
            await people.CountAsync(ct),
            byCategory.Sum(c => c.Count),
            [.. byCategory.OrderBy(c => c.Programme, StringComparer.Ordinal).ThenBy(c => c.Category, StringComparer.Ordinal)]);
    }
}
