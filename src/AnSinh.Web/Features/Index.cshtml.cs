using System.Text.Json;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Home;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;

namespace AnSinh.Web.Features;

/// <summary>The home page: real counts for what the signed-in user's scope holds.</summary>
[Authorize(Policy = Policies.SignedIn)]
public sealed class IndexModel(AppDbContext db, IStringLocalizer<SharedResource> l, TimeProvider time) : PageModel
{
    // Razor HTML-encodes the attribute that carries this, so the JSON itself need not escape Vietnamese.
    private static readonly JsonSerializerOptions ChartJsonOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.Create(System.Text.Unicode.UnicodeRanges.All) };

    public Summary Summary { get; private set; } = null!;
    public string ChartJson { get; private set; } = "{}";
    public IReadOnlyList<Registry.Application> Overdue { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct)
    {
        var scope = UserScope.From(User);
        var scopeName = scope.Level switch
        {
            ScopeLevel.All => l["Home.AllProvinces"].Value,
            ScopeLevel.Province => (await db.Provinces.AsNoTracking().FirstOrDefaultAsync(p => p.Code == scope.ProvinceCode, ct))?.Name ?? scope.ProvinceCode!,
            _ => (await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == scope.CommuneCode, ct))?.Name ?? scope.CommuneCode!,
        };
        Summary = await SummaryApi.ComputeAsync(db, scope, null, scopeName, ct);
        Overdue = await Registry.RegistryQueries.Overdue(db, scope, time.VietnamToday()).Take(20).ToListAsync(ct);
        ChartJson = JsonSerializer.Serialize(new
        {
            label = l["Home.Beneficiaries"].Value,
            labels = Summary.ByCategory.Select(c => CategoryLabel(c)).ToArray(),
            values = Summary.ByCategory.Select(c => c.Count).ToArray(),
        }, ChartJsonOptions);
    }

    public string CategoryLabel(CategoryCount c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var label = l[$"Category.{c.Programme}.{c.Category}"];
        return label.ResourceNotFound ? $"{c.Programme}/{c.Category}" : label.Value;
    }
}
