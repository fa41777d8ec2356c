using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using AnSinh.Web.Database;

namespace AnSinh.Web.Features.Places;

public sealed record PlaceDto(string Code, string Name);

/// <summary>Public, read-only: the 34 provinces and 3,321 communes in force since 1/7/2025.</summary>
public static class PlacesApi
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        var places = v1.MapGroup("/places").WithTags("Places").AllowAnonymous();
        places.MapGet("/provinces", Provinces).WithName("ListProvinces");
        places.MapGet("/provinces/{code}/communes", Communes).WithName("ListCommunes");
    }

    public static async Task<Ok<List<PlaceDto>>> Provinces(AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await db.Provinces.AsNoTracking().OrderBy(p => p.Code).Select(p => new PlaceDto(p.Code, p.Name)).ToListAsync(ct));

    public static async Task<Results<Ok<List<PlaceDto>>, ProblemHttpResult>> Communes(string code, AppDbContext db, CancellationToken ct)
    {
        if (!await db.Provinces.AnyAsync(p => p.Code == code, ct))
        {
            return Problems.NotFound("Không tìm thấy tỉnh", $"Không có tỉnh/thành phố mã '{code}' (mã 2 chữ số, theo danh mục từ 1/7/2025).");
        }

        return TypedResults.Ok(await db.Communes.AsNoTracking().Where(c => c.ProvinceCode == code)
            .OrderBy(c => c.Code).Select(c => new PlaceDto(c.Code, c.Name)).ToListAsync(ct));
    }
}
