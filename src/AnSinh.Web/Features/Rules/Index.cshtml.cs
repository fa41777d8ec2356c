using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Places;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Rules;

/// <summary>Public: "Mức trợ cấp", the rules and amounts in force for a chosen month and province.</summary>
[AllowAnonymous]
public sealed class IndexModel(RulesCatalog catalog, AppDbContext db, TimeProvider time) : PageModel
{
    public RatesView Rates { get; private set; } = null!;
    public IReadOnlyList<Province> Provinces { get; private set; } = [];
    public string ProvinceName { get; private set; } = "";
    public string? Problem { get; private set; }
    public bool CanEditOverrides { get; private set; }

    public async Task OnGetAsync(string? month, string? province, CancellationToken ct)
    {
        Provinces = await db.Provinces.AsNoTracking().OrderBy(p => p.Code).ToListAsync(ct);
        var today = time.VietnamToday();
        var ym = YearMonth.From(today);
        if (month is not null && !YearMonth.TryParse(month, out ym))
        {
            Problem = Hosting.Texts.Get("Rates.BadMonth", month);
            ym = YearMonth.From(today);
        }

        var scope = UserScope.From(User);
        // Signed out (the public rates page) or national: Hà Nội unless a province is asked for.
        province ??= User.Identity?.IsAuthenticated == true ? scope.ProvinceCode ?? "01" : "01";
        if (!catalog.ProvinceCodes.Contains(province))
        {
            Problem = Hosting.Texts.Get("Rates.BadProvince", province);
            province = "01";
        }

        ProvinceName = Provinces.First(p => p.Code == province).Name;
        CanEditOverrides = (User.IsInRole(Roles.Admin) || User.IsInRole(Roles.ProvinceOfficer)) && scope.CoversProvince(province);
        Rates = RatesView.Build(catalog.Rules, ym, province, today, await RulesCatalog.LoadOverridesAsync(db, ct));
    }
}
