using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AnSinh.Web.Features.Payroll;

/// <summary>Debts left by capped recoveries, those to collect (the person died or left) first; approvers may waive one with a reason.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class DebtsModel(AppDbContext db, IAuthorizationService auth, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }
    [BindProperty] public long PersonId { get; set; }
    [BindProperty] public string? Programme { get; set; }
    [BindProperty] public string? Month { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public IReadOnlyList<DebtRow> Rows { get; private set; } = [];
    public bool CanWaive { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostWaiveAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.PayrollApprove)).Succeeded)
        {
            return Forbid();
        }

        var (_, error) = await Debts.WaiveAsync(db, UserScope.From(User), ProvinceCode, new WaiveRequest(PersonId, Programme, Month, Reason), User.Identity!.Name!, time, ct);
        if (error is null)
        {
            return Redirect($"/Payroll/{ProvinceCode}/Debts?done=waived");
        }

        db.ChangeTracker.Clear();
        error.AddTo(ModelState);
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Rows = await Debts.ListAsync(db, UserScope.From(User), ProvinceCode, ct);
        CanWaive = (await auth.AuthorizeAsync(User, HttpContext, Policies.PayrollApprove)).Succeeded;
    }
}
