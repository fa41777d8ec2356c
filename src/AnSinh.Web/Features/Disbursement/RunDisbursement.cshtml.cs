using AnSinh.Core.Payment;
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
/// A run's disbursement, for the province: the payers' files (built in the background, with progress), the money
/// transferred, results uploaded for a payer (dry run, then commit), the reconciliation by payer and point, the
/// exceptions with their resolutions, and each payer's settlement.
/// </summary>
[Authorize(Policy = Policies.Reconcile)]
public sealed class RunDisbursementModel(AppDbContext db, PayrollOutcomes outcomes, FileQueue queue, TimeProvider time, IAuthorizationService auth) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public long RunId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }
    [BindProperty] public long PayerId { get; set; }
    [BindProperty] public long Amount { get; set; }
    [BindProperty] public DateOnly? TransferredOn { get; set; }
    [BindProperty] public string? Reference { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public bool Commit { get; set; }
    [BindProperty] public long ExceptionId { get; set; }
    [BindProperty] public string? Action { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public RunView Run { get; private set; } = null!;
    public IReadOnlyList<PayerFileView> Files { get; private set; } = [];
    public IReadOnlyList<ReconRow> Rows { get; private set; } = [];
    public IReadOnlyList<PayerMoney> Money { get; private set; } = [];
    public IReadOnlyList<ExceptionView> Exceptions { get; private set; } = [];
    public OutcomeReport? Report { get; private set; }
    public bool CanPrepare { get; private set; }
    public bool IsApprover => User.IsInRole(Roles.ProvinceApprover) || User.IsInRole(Roles.Admin);
    public bool Building => Files.Any(f => f.Status == "queued");

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostFilesAsync(CancellationToken ct)
    {
        if (!await CanPrepareAsync())
        {
            return Forbid();
        }

        var (_, error) = await PayerFiles.RequestAsync(db, time, ProvinceCode, RunId, User.Identity!.Name!, ct);
        queue.Signal();
        return await AfterAsync(error, "files", ct);
    }

    public async Task<IActionResult> OnPostTransferAsync(CancellationToken ct)
    {
        if (!await CanPrepareAsync())
        {
            return Forbid();
        }

        var error = TransferredOn is null
            ? RegistryError.Invalid("TransferredOn", Hosting.Texts.Get("Transfer.DateRange"))
            : await Reconciliation.RecordTransferAsync(db, time, ProvinceCode, RunId, new TransferRequest(PayerId, Amount, TransferredOn.Value, Reference ?? ""), User.Identity!.Name!, ct);
        return await AfterAsync(error, "transfer", ct);
    }

    public async Task<IActionResult> OnPostResultsAsync(CancellationToken ct)
    {
        if (!await CanPrepareAsync())
        {
            return Forbid();
        }

        (Report, var error) = await PayerResults.UploadAsync(db, outcomes, ProvinceCode, RunId, PayerId, Upload, !Commit, User.Identity!.Name!, ct);
        if (error is not null)
        {
            error.AddTo(ModelState);
        }

        db.ChangeTracker.Clear();
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostResolveAsync(CancellationToken ct)
    {
        var (_, error) = await Reconciliation.ResolveAsync(db, time, ProvinceCode, ExceptionId, new ResolveRequest(Action ?? "", Reason ?? "", null), User.Identity!.Name!, IsApprover, ct);
        return await AfterAsync(error, "resolved", ct);
    }

    private async Task<bool> CanPrepareAsync() => (await auth.AuthorizeAsync(User, HttpContext, Policies.PayrollPrepare)).Succeeded;

    private async Task<IActionResult> AfterAsync(RegistryError? error, string done, CancellationToken ct)
    {
        if (error is null)
        {
            return Redirect($"/Payroll/{ProvinceCode}/Runs/{RunId}/Disbursement?done={done}");
        }

        db.ChangeTracker.Clear();
        error.AddTo(ModelState);
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (await RunQueries.ViewAsync(db, ProvinceCode, RunId, ct) is not { } run)
        {
            return false;
        }

        Run = run;
        Files = await PayerFiles.ListAsync(db, RunId, null, ct);
        Rows = await Reconciliation.RowsAsync(db, RunId, null, ct);
        Money = await Reconciliation.MoneyAsync(db, RunId, null, ct);
        Exceptions = await Reconciliation.ExceptionsAsync(db, ProvinceCode, RunId, null, false, ct);
        CanPrepare = await CanPrepareAsync();
        return true;
    }

    /// <summary>The payment points of a payer in this run, for the signature lists.</summary>
    public IEnumerable<ReconRow> PointsOf(long payerId) => Rows.Where(r => r.PayerId == payerId && r.PointId is not null);

    public static IReadOnlyList<string> ActionsFor(string kind) => ExceptionAction.For(kind);
}
