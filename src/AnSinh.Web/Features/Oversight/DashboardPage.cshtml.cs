using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Oversight;

/// <summary>
/// The dashboard of a province, or of one commune (a commune's staff see only theirs), for a chosen month: charts
/// drawn from their data attributes, each with its table, the lists behind the figures one click away, and the whole
/// as a workbook.
/// </summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class DashboardPageModel(AppDbContext db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Commune { get; set; }
    [BindProperty(SupportsGet = true)] public string? Month { get; set; }

    public DashboardView View { get; private set; } = null!;
    public string ProvinceName { get; private set; } = "";
    public IReadOnlyList<Places.Commune> Communes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var ms = new MemoryStream();
        await Dashboard.WriteXlsxAsync(ms, View, k => Texts.Get(k), ct);
        ms.Position = 0;
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"bang-dieu-khien-{ProvinceCode}{(Commune is null ? "" : "-" + Commune)}-{View.Month:yyyy-MM}.xlsx");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var name = await db.ProvinceNameAsync(ProvinceCode, ct);
        if (name is null)
        {
            return false;
        }

        ProvinceName = name;
        var scope = UserScope.From(User);
        if (scope.Level == ScopeLevel.Commune)
        {
            Commune = scope.CommuneCode;
        }

        if (Commune is not null && !await db.Communes.AnyAsync(c => c.Code == Commune && c.ProvinceCode == ProvinceCode, ct))
        {
            return false;
        }

        var month = (OversightMonths.Parse(Month, time) ?? time.VietnamMonth()).FirstDay;
        View = await Dashboard.ForAsync(db, ProvinceCode, Commune, month, time.VietnamToday(), ct);
        Communes = scope.Level == ScopeLevel.Commune ? [] : await db.Communes.AsNoTracking().Where(c => c.ProvinceCode == ProvinceCode).OrderBy(c => c.Name).ToListAsync(ct);
        return true;
    }
}
