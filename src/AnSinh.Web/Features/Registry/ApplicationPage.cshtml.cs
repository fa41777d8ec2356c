using AnSinh.Core.Registry;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.People;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

/// <summary>One application: its facts, checks, documents, deadline, and the next steps the user's role allows.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class ApplicationPageModel(AppDbContext db, ApplicationCommands commands, IAuthorizationService auth, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public long ApplicationId { get; set; }
    [BindProperty] public string? DecisionNumber { get; set; }
    [BindProperty] public string? StartMonth { get; set; }
    [BindProperty] public string? RefusalReason { get; set; }
    [BindProperty] public string DocType { get; set; } = "khac";
    [BindProperty] public IFormFile? Document { get; set; }

    public Application Application { get; private set; } = null!;
    public Person Person { get; private set; } = null!;
    public IReadOnlyList<(long Id, string DocType, string FileName, int SizeBytes, string Sha256)> Documents { get; private set; } = [];
    public bool CanWrite { get; private set; }
    public bool CanDecide { get; private set; }
    /// <summary>The next steps the workflow allows now; only these are offered.</summary>
    public IReadOnlyList<ApplicationAction> Allowed { get; private set; } = [];
    public long? DecisionId { get; private set; }
    public bool IsOverdue { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetDocumentAsync(long documentId, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var doc = await db.ApplicationDocuments.AsNoTracking().FirstOrDefaultAsync(d => d.Id == documentId && d.ApplicationId == ApplicationId, ct);
        return doc is null ? NotFound() : File(doc.Content, doc.ContentType, doc.FileName);
    }

    public Task<IActionResult> OnPostCheckAsync(CancellationToken ct) =>
        ActAsync(Policies.RegistryWrite, () => commands.CheckAsync(UserScope.From(User), ApplicationId, User.Identity!.Name!, ct), ct);

    public Task<IActionResult> OnPostPostAsync(CancellationToken ct) =>
        ActAsync(Policies.RegistryWrite, () => commands.PostAsync(UserScope.From(User), ApplicationId, ct), ct);

    public Task<IActionResult> OnPostWithdrawAsync(CancellationToken ct) =>
        ActAsync(Policies.RegistryWrite, () => commands.WithdrawAsync(UserScope.From(User), ApplicationId, RefusalReason, ct), ct);

    public Task<IActionResult> OnPostApproveAsync(CancellationToken ct) =>
        ActAsync(Policies.Decide, () => commands.DecideAsync(UserScope.From(User), ApplicationId, new DecideRequest(true, DecisionNumber, null, StartMonth, null), User.Identity!.Name!, ct), ct);

    public Task<IActionResult> OnPostRefuseAsync(CancellationToken ct) =>
        ActAsync(Policies.Decide, () => commands.DecideAsync(UserScope.From(User), ApplicationId, new DecideRequest(false, null, null, null, RefusalReason), User.Identity!.Name!, ct), ct);

    public async Task<IActionResult> OnPostDocumentAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded)
        {
            return Forbid();
        }

        var content = await Scans.ReadBoundedAsync(Document, ct);
        var (_, error) = await commands.AddDocumentAsync(UserScope.From(User), ApplicationId, DocType, Document?.FileName ?? "", content, User.Identity!.Name!, ct);
        return await AfterAsync(error, ct);
    }

    private async Task<IActionResult> ActAsync(string policy, Func<Task<(Application? Application, RegistryError? Error)>> act, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, policy)).Succeeded)
        {
            return Forbid();
        }

        var (_, error) = await act();
        return await AfterAsync(error, ct);
    }

    private async Task<IActionResult> AfterAsync(RegistryError? error, CancellationToken ct)
    {
        if (error?.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }

        if (error is null)
        {
            return Redirect($"/Registry/Applications/{ApplicationId}");
        }

        db.ChangeTracker.Clear();
        error.AddTo(ModelState);

        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var a = await db.Applications.AsNoTracking().WhereInScope(UserScope.From(User)).FirstOrDefaultAsync(x => x.Id == ApplicationId, ct);
        if (a is null)
        {
            return false;
        }

        Application = a;
        Person = await db.People.AsNoTracking().FirstAsync(p => p.Id == a.PersonId, ct);
        Documents = (await db.ApplicationDocuments.AsNoTracking().Where(d => d.ApplicationId == a.Id).OrderBy(d => d.Id)
            .Select(d => new { d.Id, d.DocType, d.FileName, d.SizeBytes, d.Sha256 }).ToListAsync(ct))
            .Select(d => (d.Id, d.DocType, d.FileName, d.SizeBytes, d.Sha256)).ToList();
        var status = ApplicationWorkflow.Parse(a.Status);
        var final = ApplicationWorkflow.IsFinal(status);
        var setting = await Deciding.SettingAsync(db, a.ProvinceCode, ct);
        Allowed = ApplicationWorkflow.Allowed(status, setting.PostingDays > 0, time.VietnamToday(), a.PostingUntil);
        CanWrite = !final && (await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded;
        var me = User.Identity?.Name;
        CanDecide = !final && me != a.CreatedBy && me != a.CheckedBy
            && Deciding.IsDecider(setting, User);
        DecisionId = await db.Decisions.AsNoTracking().Where(d => d.ApplicationId == a.Id).Select(d => (long?)d.Id).FirstOrDefaultAsync(ct);
        IsOverdue = !final && a.DueOn < time.VietnamToday();
        return true;
    }
}
