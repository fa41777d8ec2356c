using AnSinh.Web.Database;
using AnSinh.Web.Features.Places;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

/// <summary>
/// Request a move outside the officer's area: the province first (a reload, no script), then the commune by name,
/// the first month the new place pays and the reason. The receiving place decides on the transfers page.
/// </summary>
[Authorize(Policy = Policies.RegistryWrite)]
public sealed class TransferRequestModel(AppDbContext db, Transfers transfers) : PageModel
{
    [BindProperty(SupportsGet = true)] public long PersonId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Province { get; set; }
    [BindProperty] public string? CommuneCode { get; set; }
    [BindProperty] public string? EffectiveMonth { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public string FullName { get; private set; } = "";
    public IReadOnlyList<Province> Provinces { get; private set; } = [];
    public IReadOnlyList<Commune> Communes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (_, error) = await transfers.RequestAsync(UserScope.From(User), PersonId, new TransferRequest(CommuneCode, EffectiveMonth, Reason), User.Identity!.Name!, ct);
        if (error is null)
        {
            return Redirect("/Registry/Transfers?done=requested");
        }

        error.AddTo(ModelState);

        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var person = await db.People.AsNoTracking().WhereInScope(UserScope.From(User)).FirstOrDefaultAsync(p => p.Id == PersonId, ct);
        if (person is null)
        {
            return false;
        }

        FullName = person.FullName;
        Provinces = await db.Provinces.AsNoTracking().OrderBy(p => p.Name).ToListAsync(ct);
        Province ??= person.ProvinceCode;
        var scope = UserScope.From(User);
        Communes = [.. (await db.Communes.AsNoTracking().Where(c => c.ProvinceCode == Province).OrderBy(c => c.Name).ToListAsync(ct))
            .Where(c => !scope.Covers(c.ProvinceCode, c.Code))];
        return true;
    }
}
