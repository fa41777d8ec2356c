using AnSinh.Web.Database;
using AnSinh.Web.Features.Payroll;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Disbursement;

/// <summary>
/// A payer clerk's own page: the runs that carry lines for their payer; for one run, its files to download, its
/// signature lists to print, its results to upload (dry run, then commit) and its reconciliation. Nothing of any
/// other payer, and nothing of the registry.
/// </summary>
[Authorize(Policy = Policies.PayerClerk)]
public sealed class PayerPortalModel(AppDbContext db, PayrollOutcomes outcomes) : PageModel
{
    [BindProperty(SupportsGet = true)] public long? RunId { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public bool Commit { get; set; }

    public Payment.Payer? Payer { get; private set; }
    public IReadOnlyList<PayerRunView> Runs { get; private set; } = [];
    public PayerRunView? Run { get; private set; }
    public IReadOnlyList<PayerFileView> Files { get; private set; } = [];
    public IReadOnlyList<ReconRow> Rows { get; private set; } = [];
    public IReadOnlyList<ExceptionView> Exceptions { get; private set; } = [];
    public OutcomeReport? Report { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostResultsAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct) || Run is null)
        {
            return NotFound();
        }

        (Report, var error) = await PayerResults.UploadAsync(db, outcomes, Payer!.ProvinceCode, Run.RunId, Payer.Id, Upload, !Commit, User.Identity!.Name!, ct);
        error?.AddTo(ModelState);
        db.ChangeTracker.Clear();
        await LoadAsync(ct);
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (PayerAccess.PayerOf(User) is not { } payerId)
        {
            return true;
        }

        Payer = await db.Payers.AsNoTracking().FirstOrDefaultAsync(p => p.Id == payerId, ct);
        if (Payer is null)
        {
            return true;
        }

        Runs = await DisbursementApi.RunsOfAsync(db, Payer.Id, ct);
        if (RunId is { } id)
        {
            Run = Runs.FirstOrDefault(r => r.RunId == id);
            if (Run is null)
            {
                return false;
            }

            Files = await PayerFiles.ListAsync(db, id, Payer.Id, ct);
            Rows = await Reconciliation.RowsAsync(db, id, Payer.Id, ct);
            Exceptions = await Reconciliation.ExceptionsAsync(db, Payer.ProvinceCode, id, Payer.Id, false, ct);
        }

        return true;
    }
}
