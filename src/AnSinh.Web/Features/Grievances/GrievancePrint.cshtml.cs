using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Grievances;

/// <summary>The written answer to a grievance, on paper: the office, the filer, what they raised, the answer and what was done.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class GrievancePrintModel(AppDbContext db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public long GrievanceId { get; set; }

    public Grievance G { get; private set; } = null!;
    public string Office { get; private set; } = "";
    public string Place { get; private set; } = "";
    public string? AnsweredByName { get; private set; }
    public GrievanceActionLink? Linked { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var g = await db.Grievances.AsNoTracking().WhereInScope(UserScope.From(User)).FirstOrDefaultAsync(x => x.Id == GrievanceId && x.ProvinceCode == ProvinceCode && x.Status == "answered", ct);
        if (g is null)
        {
            return NotFound();
        }

        G = g;
        Linked = await GrievanceActions.ReadAsync(db, g, ct);
        var province = (await db.ProvinceNameAsync(g.ProvinceCode, ct))!;
        var commune = g.CommuneCode is { } cc ? await db.Communes.AsNoTracking().Where(c => c.Code == cc).Select(c => c.Name).FirstOrDefaultAsync(ct) : null;
        var answerer = await db.Users.AsNoTracking().Where(u => u.UserName == g.AnsweredBy).Select(u => new { u.FullName, u.CommuneCode }).FirstOrDefaultAsync(ct);
        AnsweredByName = answerer?.FullName;
        var byCommune = answerer?.CommuneCode is not null && commune is not null;
        (Office, Place) = (Display.Office(byCommune ? commune : null, province), byCommune ? commune! : province);
        await db.AppendAuditAsync("print", "grievance", g.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), g.ProvinceCode, new { g.Code }, User.Identity!.Name!, null, time.GetUtcNow(), ct);
        return Page();
    }
}
