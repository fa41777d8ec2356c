using AnSinh.Core.Time;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AnSinh.Web.Features.Oversight;

/// <summary>One inspection plan: its sample per commune with the flags that weighed each person, the visits recorded, and (for inspectors) the visit form with its finding.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class InspectionPlanPageModel(Inspections inspections, TimeProvider time, IAuthorizationService auth) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public long PlanId { get; set; }
    [BindProperty] public long PersonId { get; set; }
    [BindProperty] public DateOnly? VisitedOn { get; set; }
    [BindProperty] public string Result { get; set; } = "confirmed";
    [BindProperty] public string? Note { get; set; }
    [BindProperty] public string? Action { get; set; }
    [BindProperty] public string? EffectiveMonth { get; set; }
    [BindProperty] public string? Description { get; set; }

    public PlanView Plan { get; private set; } = null!;
    public IReadOnlyList<SampleRow> Sample { get; private set; } = [];
    public IReadOnlyList<VisitView> Visits { get; private set; } = [];
    public IReadOnlyList<FindingView> Findings { get; private set; } = [];
    public bool CanInspect { get; private set; }
    public DateOnly Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostVisitAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.InspectionWrite)).Succeeded)
        {
            return Forbid();
        }

        var (_, error) = await inspections.RecordVisitAsync(ProvinceCode, PlanId,
            new VisitRequest(PersonId, VisitedOn, Result, Note ?? "", Action, EffectiveMonth, Description), User.Identity!.Name!, ct);
        if (error is null)
        {
            return Redirect($"/Inspections/{ProvinceCode}/{PlanId}");
        }

        error.AddTo(ModelState);
        Response.StatusCode = error.Status;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var plan = (await inspections.PlansAsync(ProvinceCode, ct, PlanId)).SingleOrDefault();
        if (plan is null)
        {
            return false;
        }

        Plan = plan;
        Today = time.VietnamToday();
        var scope = UserScope.From(User);
        CanInspect = (await auth.AuthorizeAsync(User, HttpContext, Policies.InspectionWrite)).Succeeded;
        Sample = await inspections.SampleAsync(PlanId, scope, ct);
        Visits = await inspections.VisitsAsync(PlanId, scope, ct);
        Findings = await inspections.FindingsAsync(ProvinceCode, scope, PlanId, ct);
        return true;
    }
}
