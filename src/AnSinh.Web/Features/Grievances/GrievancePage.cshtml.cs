using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Grievances;

/// <summary>One grievance: what was filed and about whom, its deadlines, accepting it for an officer, the answer with its action, or its withdrawal.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class GrievancePageModel(AppDbContext db, GrievanceCommands commands, TimeProvider time, IAuthorizationService auth) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public long GrievanceId { get; set; }
    [BindProperty] public string? Assignee { get; set; }
    [BindProperty] public string? Answer { get; set; }
    [BindProperty] public string ActionKind { get; set; } = "none";
    [BindProperty] public string? ActionRef { get; set; }
    /// <summary>The registry record the answer links: "d" or "p" and its id, or empty.</summary>
    [BindProperty] public string? ActionLink { get; set; }
    [BindProperty] public string? CitizenId { get; set; }
    [BindProperty] public string DocumentKind { get; set; } = "letter";
    [BindProperty] public IFormFile? Document { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public Grievance G { get; private set; } = null!;
    public string? PersonName { get; private set; }
    public string? CommuneName { get; private set; }
    public IReadOnlyList<AppUser> Officers { get; private set; } = [];
    /// <summary>The decision or proposal the answer linked, and while answering, those the officer may link.</summary>
    public GrievanceActionLink? Linked { get; private set; }
    public IReadOnlyList<GrievanceActionChoice> Choices { get; private set; } = [];
    /// <summary>The papers kept with it (never their bytes: those come one at a time through the download).</summary>
    public IReadOnlyList<GrievanceDocumentRow> Documents { get; private set; } = [];
    public bool CanWrite { get; private set; }
    public DateOnly Today { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostAcceptAsync(CancellationToken ct) =>
        StepAsync(scope => commands.AcceptAsync(scope, GrievanceId, Assignee ?? "", User.Identity!.Name!, ct), ct);

    public Task<IActionResult> OnPostAnswerAsync(CancellationToken ct)
    {
        var (decision, proposal, valid) = GrievanceActions.ParseChoice(ActionLink);
        return StepAsync(scope => valid
            ? commands.AnswerAsync(scope, GrievanceId, new GrievanceAnswer(Answer ?? "", ActionKind, ActionRef, decision, proposal), User.Identity!.Name!, ct)
            : Task.FromResult<RegistryError?>(RegistryError.Invalid(nameof(ActionLink), Hosting.Texts.Get("Grievance.Err.ActionLink"))), ct);
    }

    public Task<IActionResult> OnPostLinkPersonAsync(CancellationToken ct) =>
        StepAsync(scope => commands.LinkPersonAsync(scope, GrievanceId, CitizenId, User.Identity!.Name!, ct), ct);

    public async Task<IActionResult> OnGetDocumentAsync(long documentId, CancellationToken ct) =>
        await GrievanceDocumentRows.OpenAsync(db, UserScope.From(User), GrievanceId, documentId, ct) is { } doc ? File(doc.Content, doc.ContentType, doc.FileName) : NotFound();

    public async Task<IActionResult> OnPostDocumentAsync(CancellationToken ct)
    {
        var content = await Scans.ReadBoundedAsync(Document, ct);
        return await StepAsync(async scope => (await commands.AttachAsync(scope, GrievanceId, DocumentKind, Document?.FileName, content, User.Identity!.Name!, ct)).Error, ct);
    }

    public Task<IActionResult> OnPostWithdrawAsync(CancellationToken ct) =>
        StepAsync(scope => commands.WithdrawAsync(scope, GrievanceId, Reason, User.Identity!.Name!, ct), ct);

    private async Task<IActionResult> StepAsync(Func<UserScope, Task<RegistryError?>> step, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.GrievanceWrite)).Succeeded)
        {
            return Forbid();
        }

        if (await step(UserScope.From(User)) is { } error)
        {
            if (error.Status == StatusCodes.Status404NotFound)
            {
                return NotFound();
            }

            error.AddTo(ModelState);
            Response.StatusCode = error.Status;
            return await LoadAsync(ct) ? Page() : NotFound();
        }

        return Redirect($"/Grievances/{ProvinceCode}/{GrievanceId}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var scope = UserScope.From(User);
        var g = await db.Grievances.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(x => x.Id == GrievanceId && x.ProvinceCode == ProvinceCode, ct);
        if (g is null)
        {
            return false;
        }

        G = g;
        Today = time.VietnamToday();
        PersonName = g.PersonId is { } pid ? await db.People.AsNoTracking().Where(p => p.Id == pid).Select(p => p.FullName).FirstOrDefaultAsync(ct) : null;
        CommuneName = g.CommuneCode is { } cc ? await db.Communes.AsNoTracking().Where(c => c.Code == cc).Select(c => c.Name).FirstOrDefaultAsync(ct) : null;
        CanWrite = (await auth.AuthorizeAsync(User, HttpContext, Policies.GrievanceWrite)).Succeeded;
        if (CanWrite)
        {
            var officers = await db.Users.AsNoTracking()
                .Where(u => u.ProvinceCode == ProvinceCode && !u.IsDisabled && (u.Role == Roles.ProvinceOfficer || u.Role == Roles.CommuneOfficer))
                .OrderBy(u => u.FullName).ToListAsync(ct);
            Officers = officers.Where(u => GrievanceCommands.Handles(u, g)).ToList();
            if (g.Status == "accepted" && g.PersonId is { } person)
            {
                Choices = await GrievanceActions.ChoicesAsync(db, scope, person, ct);
            }
        }

        Linked = await GrievanceActions.ReadAsync(db, g, ct);
        Documents = await GrievanceDocumentRows.ForAsync(db, g.Id, ct);

        return true;
    }
}
