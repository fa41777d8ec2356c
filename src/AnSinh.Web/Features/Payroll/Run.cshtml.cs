using AnSinh.Core;
using AnSinh.Core.Payroll;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AnSinh.Web.Features.Payroll;

/// <summary>
/// One run: its progress while it computes, its totals five ways, each commune's part and confirmation, the lines
/// with the items that explain them, and the step each viewer may take (prepare, confirm, approve, record outcomes).
/// </summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class RunModel(AppDbContext db, PayrollRuns runs, PayrollOutcomes outcomes, IAuthorizationService auth) : PageModel
{
    public static readonly IReadOnlyList<string> Dimensions = ["kind", "commune", "category", "channel", "payer"];

    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public long RunId { get; set; }
    [BindProperty(SupportsGet = true)] public string By { get; set; } = "kind";
    [BindProperty(SupportsGet = true)] public string? Commune { get; set; }
    /// <summary>Only one payment point's lines, and only those not collected: the list behind the dashboard's unclaimed rate.</summary>
    [BindProperty(SupportsGet = true)] public long? Point { get; set; }
    [BindProperty(SupportsGet = true)] public bool Uncollected { get; set; }
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNo { get; set; }
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }
    [BindProperty] public string? Action { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? ConfirmCommune { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }
    [BindProperty] public bool Commit { get; set; }

    public RunView Run { get; private set; } = null!;
    public IReadOnlyList<RunTotal> Totals { get; private set; } = [];
    public IReadOnlyList<CommunePart> Communes { get; private set; } = [];
    public IReadOnlyList<LineView> Lines { get; private set; } = [];
    public ILookup<int, ItemView> Items { get; private set; } = Array.Empty<ItemView>().ToLookup(i => i.LineNo);
    public OutcomeReport? Report { get; private set; }
    public RunDiffView? Diff { get; private set; }
    public IReadOnlyList<ProblemView> Problems { get; private set; } = [];
    public bool CanPrepare { get; private set; }
    public bool CanApprove { get; private set; }
    public bool CanConfirm { get; private set; }
    public bool CanReconcile { get; private set; }
    public UserScope Scope => UserScope.From(User);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostStepAsync(CancellationToken ct)
    {
        var action = Action switch
        {
            "recompute" => RunAction.Recompute,
            "submit" => RunAction.Submit,
            "discard" => RunAction.Discard,
            "sent" => RunAction.MarkSent,
            "approve" => RunAction.Approve,
            "return" => RunAction.Return,
            _ => (RunAction?)null,
        };
        if (action is null)
        {
            return BadRequest();
        }

        var policy = action is RunAction.Approve or RunAction.Return ? Policies.PayrollApprove : Policies.PayrollPrepare;
        if (!(await auth.AuthorizeAsync(User, HttpContext, policy)).Succeeded)
        {
            return Forbid();
        }

        var (_, error) = await runs.StepAsync(ProvinceCode, RunId, action.Value, new RunStepRequest(Reason), User.Identity!.Name!, ct);
        return error is null ? Redirect($"/Payroll/{ProvinceCode}/Runs/{RunId}?done={Action}") : await ShowAsync(error, ct);
    }

    public async Task<IActionResult> OnPostConfirmAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded)
        {
            return Forbid();
        }

        var (_, error) = await runs.ConfirmAsync(Scope, ProvinceCode, RunId, ConfirmCommune ?? "", User.Identity!.Name!, ct);
        return error is null ? Redirect($"/Payroll/{ProvinceCode}/Runs/{RunId}?done=confirmed") : await ShowAsync(error, ct);
    }

    public async Task<IActionResult> OnPostOutcomesAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.PayrollPrepare)).Succeeded)
        {
            return Forbid();
        }

        var (bytes, error) = await PayrollApi.ReadUploadAsync(Upload, ct);
        if (error is not null)
        {
            return await ShowAsync(error, ct);
        }

        var (rows, fileError) = PayrollOutcomes.ReadFile(Upload!.FileName, bytes!);
        if (fileError is not null)
        {
            Report = new OutcomeReport(0, 0, 0, [fileError], false, false);
        }
        else
        {
            var (report, commandError) = await outcomes.RecordAsync(ProvinceCode, RunId, rows, PayrollOutcomes.SourceOf(Upload.FileName, bytes!), !Commit, User.Identity!.Name!, ct);
            if (commandError is not null)
            {
                return await ShowAsync(commandError, ct);
            }

            Report = report;
        }

        db.ChangeTracker.Clear();
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    /// <summary>An item in words: its reason for the month, and how the month's amount was worked out.</summary>
    public static string Explain(ItemView i)
    {
        ArgumentNullException.ThrowIfNull(i);
        var month = YearMonth.Parse(i.Month);
        var why = Texts.Of(new Reason(i.Reason, "", month));
        if (i.Kind == ItemKind.Funeral)
        {
            return $"{why}: {Display.Money(i.Amount)}";
        }

        var owed = i.Owed > 0
            ? Texts.Get("Payroll.Derivation", Display.Coefficient(i.CoefficientTenths / 10m), Display.Money(i.Base), Display.Money(i.Owed))
            : Texts.Get("Payroll.NothingOwed");
        return $"{why}: {owed}";
    }

    private async Task<IActionResult> ShowAsync(RegistryError error, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        error.AddTo(ModelState);
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        Response.StatusCode = error.Status == StatusCodes.Status404NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
        return Page();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var entity = await RunQueries.FindAsync(db, ProvinceCode, RunId, ct);
        if (entity is null)
        {
            return false;
        }

        var run = Run = await RunQueries.ViewAsync(db, entity, ct);
        By = Dimensions.Contains(By) ? By : "kind";
        Totals = await RunQueries.TotalsAsync(db, RunId, By, Scope, ct);
        Communes = await RunQueries.CommunesAsync(db, RunId, Scope, ct);
        Problems = await RunQueries.ProblemsAsync(db, RunId, Scope, ct);
        if (run.Status != "computing")
        {
            Diff = await RunDiff.ForAsync(db, entity, Scope, ct);
        }

        Lines = await RunQueries.LinesAsync(db, RunId, Scope, Commune, null, PageNo, ct, Point, Uncollected);
        Items = (await RunQueries.ItemsAsync(db, RunId, [.. Lines.Select(l => l.LineNo)], ct)).ToLookup(i => i.LineNo);
        CanPrepare = (await auth.AuthorizeAsync(User, HttpContext, Policies.PayrollPrepare)).Succeeded;
        CanApprove = (await auth.AuthorizeAsync(User, HttpContext, Policies.PayrollApprove)).Succeeded;
        CanConfirm = (await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded;
        CanReconcile = (await auth.AuthorizeAsync(User, HttpContext, Policies.Reconcile)).Succeeded;
        return true;
    }
}
