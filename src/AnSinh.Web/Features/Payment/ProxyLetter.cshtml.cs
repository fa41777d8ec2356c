using AnSinh.Web.Database;
using AnSinh.Web.Features.People;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payment;

/// <summary>
/// The one authorisation letter (giấy ủy quyền) every commune prints, pre-filled from the registry with the fields
/// domain.md lists after the social-insurance form 13-HSB: grantor, grantee, what is authorised, the period,
/// undertakings, both signatures and the commune's certification. No national template exists (domain.md).
/// </summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class ProxyLetterModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public long PersonId { get; set; }
    [BindProperty(SupportsGet = true)] public long ProxyId { get; set; }

    public Person Person { get; private set; } = null!;
    public ProxyAuthorisation Proxy { get; private set; } = null!;
    public string CommuneName { get; private set; } = "";
    public string ProvinceName { get; private set; } = "";
    public IReadOnlyList<string> Programmes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var scope = UserScope.From(User);
        var person = await db.People.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == PersonId, ct);
        var proxy = await db.ProxyAuthorisations.AsNoTracking().Where(p => p.Id == ProxyId && p.PersonId == PersonId)
            .Select(ProxyAuthorisation.WithoutScan).FirstOrDefaultAsync(ct);
        if (person is null || proxy is null)
        {
            return NotFound();
        }

        (Person, Proxy) = (person, proxy);
        CommuneName = await db.Communes.AsNoTracking().Where(c => c.Code == person.CommuneCode).Select(c => c.Name).FirstAsync(ct);
        ProvinceName = (await db.ProvinceNameAsync(person.ProvinceCode, ct))!;
        Programmes = await db.Enrolments.AsNoTracking().Where(e => e.PersonId == PersonId && e.EndMonth == null && e.SupersededAt == null)
            .Select(e => e.Programme).Distinct().ToListAsync(ct);
        return Page();
    }
}
