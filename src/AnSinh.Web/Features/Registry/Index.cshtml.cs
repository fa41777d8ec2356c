using AnSinh.Core.Rules;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Places;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

/// <summary>Find people in the user's province or commune: by name without diacritics, citizen ID, commune, category, status.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class IndexModel(AppDbContext db, IAuthorizationService auth) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Q { get; set; }
    [BindProperty(SupportsGet = true)] public string? CitizenId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Commune { get; set; }
    [BindProperty(SupportsGet = true)] public string? Category { get; set; }
    [BindProperty(SupportsGet = true)] public string? Status { get; set; }
    [BindProperty(SupportsGet = true)] public int PageNumber { get; set; } = 1;
    [BindProperty(SupportsGet = true)] public string Sort { get; set; } = "name";

    public PeoplePage Results { get; private set; } = new([], 1, 20, false);
    public IReadOnlyList<Commune> Communes { get; private set; } = [];
    public IReadOnlyList<string> Categories => CategoryCodes.SocialAssistance;
    public bool CanWrite { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var scope = UserScope.From(User);
        CanWrite = (await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded;
        Communes = await db.Communes.AsNoTracking().InScope(scope).OrderBy(c => c.Code).ToListAsync(ct);
        Results = await RegistryQueries.SearchAsync(db, scope, new SearchRequest(Q, CitizenId, Commune, Category, Status, PageNumber, 20, Sort), ct);
    }

    public string PageUrl(int page) =>
        Url.Page("/Registry/Index", new { Q, CitizenId, Commune, Category, Status, Sort, PageNumber = page })!;
}
