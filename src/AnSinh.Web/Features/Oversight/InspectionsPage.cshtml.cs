using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Oversight;

/// <summary>
/// A province's inspections: its plans (inspectors draw a new sample here), and the findings waiting for an officer to
/// take their action (a proposal to the decider, a linked correction, a referral).
/// </summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class InspectionsPageModel(AppDbContext db, Inspections inspections, IAuthorizationService auth) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty] public string? Title { get; set; }
    [BindProperty] public long? Seed { get; set; }
    [BindProperty] public int PerCommune { get; set; } = 5;
    [BindProperty] public long FindingId { get; set; }
    [BindProperty] public long? ProposalId { get; set; }
    [BindProperty] public string? ReferredTo { get; set; }

    public string ProvinceName { get; private set; } = "";
    public IReadOnlyList<PlanView> Plans { get; private set; } = [];
    public IReadOnlyList<FindingView> Findings { get; private set; } = [];
    /// <summary>Each open correction's person's proposals, to link the one the officer made.</summary>
    public ILookup<long, ChangeProposal> Proposals { get; private set; } = Array.Empty<ChangeProposal>().ToLookup(p => p.PersonId);
    public bool CanInspect { get; private set; }
    public bool CanAct { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostDrawAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.InspectionWrite)).Succeeded)
        {
            return Forbid();
        }

        var (plan, error) = await inspections.DrawAsync(ProvinceCode, Title, Seed, PerCommune, User.Identity!.Name!, ct);
        return error is null ? Redirect($"/Inspections/{ProvinceCode}/{plan}") : await FailAsync(error, ct);
    }

    public async Task<IActionResult> OnPostActAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded)
        {
            return Forbid();
        }

        var error = await inspections.ActAsync(UserScope.From(User), ProvinceCode, FindingId, ProposalId, ReferredTo, User.Identity!.Name!, ct);
        return error is null ? Redirect($"/Inspections/{ProvinceCode}#findings") : await FailAsync(error, ct);
    }

    private async Task<IActionResult> FailAsync(RegistryError error, CancellationToken ct)
    {
        error.AddTo(ModelState);
        Response.StatusCode = error.Status;
        return await LoadAsync(ct) ? Page() : NotFound();
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
        CanInspect = (await auth.AuthorizeAsync(User, HttpContext, Policies.InspectionWrite)).Succeeded;
        CanAct = (await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded;
        Plans = await inspections.PlansAsync(ProvinceCode, ct);
        Findings = await inspections.FindingsAsync(ProvinceCode, scope, null, ct);
        var people = Findings.Where(f => f.Status == "open" && f.Action == "correction").Select(f => f.PersonId).ToList();
        Proposals = (await db.ChangeProposals.AsNoTracking().WhereInScope(scope).Where(p => people.Contains(p.PersonId)).OrderByDescending(p => p.Id).ToListAsync(ct))
            .ToLookup(p => p.PersonId);
        return true;
    }
}
