using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payroll;

/// <summary>A province's monthly runs, newest first, and (for its officers) the form that starts the next one.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class RunsModel(AppDbContext db, PayrollRuns runs, IAuthorizationService auth, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty] public string? Month { get; set; }
    [BindProperty] public string? CutOff { get; set; }

    public string ProvinceName { get; private set; } = "";
    public IReadOnlyList<PayrollRun> List { get; private set; } = [];
    public bool CanPrepare { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        Month ??= YearMonth.From(time.VietnamToday()).AddMonths(1).ToString();
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.PayrollPrepare)).Succeeded)
        {
            return Forbid();
        }

        var (run, error) = await runs.StartAsync(ProvinceCode, new StartRunRequest(Month, CutOff), User.Identity!.Name!, ct);
        if (error is null)
        {
            return Redirect($"/Payroll/{ProvinceCode}/Runs/{run!.Id}");
        }

        db.ChangeTracker.Clear();
        error.AddTo(ModelState);
        await LoadAsync(ct);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var province = await db.Provinces.AsNoTracking().FirstOrDefaultAsync(p => p.Code == ProvinceCode, ct);
        if (province is null)
        {
            return false;
        }

        ProvinceName = province.Name;
        List = await RunQueries.ListAsync(db, ProvinceCode, ct);
        CanPrepare = (await auth.AuthorizeAsync(User, HttpContext, Policies.PayrollPrepare)).Succeeded;
        return true;
    }
}
