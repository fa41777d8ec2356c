using AnSinh.Web.Database;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Places;

/// <summary>Public: browse provinces and the communes of one.</summary>
[AllowAnonymous]
public sealed class IndexModel(AppDbContext db) : PageModel
{
    public IReadOnlyList<(Province Province, int Communes)> Provinces { get; private set; } = [];
    public Province? Selected { get; private set; }
    public IReadOnlyList<Commune> Communes { get; private set; } = [];

    public async Task OnGetAsync(string? code, CancellationToken ct)
    {
        var counts = await db.Communes.AsNoTracking().GroupBy(c => c.ProvinceCode).Select(g => new { g.Key, N = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.N, ct);
        Provinces = [.. (await db.Provinces.AsNoTracking().OrderBy(p => p.Code).ToListAsync(ct)).Select(p => (p, counts.GetValueOrDefault(p.Code)))];
        if (code is not null)
        {
            Selected = Provinces.Select(p => p.Province).FirstOrDefault(p => p.Code == code);
            if (Selected is not null)
            {
                Communes = await db.Communes.AsNoTracking().Where(c => c.ProvinceCode == code).OrderBy(c => c.Code).ToListAsync(ct);
            }
        }
    }
}
