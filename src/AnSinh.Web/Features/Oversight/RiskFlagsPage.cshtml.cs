using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AnSinh.Web.Features.Oversight;

/// <summary>The province's risk flags for inspectors and officers; a commune's staff see their commune's only.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class RiskFlagsPageModel(AppDbContext db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Flag { get; set; }

    public IReadOnlyList<RiskFlag> Flags { get; private set; } = [];
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var scope = UserScope.From(User);
        var all = (await RiskFlags.ForAsync(db, ProvinceCode, time.VietnamToday(), ct)).Where(f => scope.Covers(ProvinceCode, f.CommuneCode)).ToList();
        Counts = RiskFlags.All.ToDictionary(k => k, k => all.Count(f => f.Flag == k));
        Flags = Flag is null ? all : all.Where(f => f.Flag == Flag).ToList();
    }
}
