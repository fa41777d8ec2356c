using AnSinh.Core.Rules;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Grievances;
using AnSinh.Web.Features.Rules;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

/// <summary>One person: facts, this month's amount explained line by line, every period and change with who and why.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class PersonModel(AppDbContext db, RulesCatalog rules, EnrolmentCommands commands, ChangeProposals proposals, IAuthorizationService auth, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public long PersonId { get; set; }

    [BindProperty] public string Kind { get; set; } = "suspend";
    [BindProperty] public string Programme { get; set; } = Core.Rules.Programme.SocialAssistance;
    [BindProperty] public string? EffectiveMonth { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty(Name = CategoryInput.Prefix)] public CategoryInput Cat { get; set; } = new();
    [BindProperty] public string? CommuneCode { get; set; }
    [BindProperty] public DateOnly? DeathDate { get; set; }
    [BindProperty] public bool BackPay { get; set; }

    [BindProperty] public string? CitizenId { get; set; }
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public DateOnly? BirthDate { get; set; }
    [BindProperty] public string? Sex { get; set; }
    [BindProperty] public string? Hamlet { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? CitizenIdOverrideReason { get; set; }

    [BindProperty] public long ProposalId { get; set; }
    [BindProperty] public string? DecisionNumber { get; set; }
    [BindProperty] public DateOnly? DecisionDate { get; set; }
    [BindProperty] public string? RefusalReason { get; set; }

    /// <summary>What the last action did, confirmed at the top of the page: "proposed", "decided", "refused" or a change kind.</summary>
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    /// <summary>Changes proposed and waiting for the decider, and the decisions signed for this person.</summary>
    public IReadOnlyList<ChangeProposal> Pending { get; private set; } = [];
    public IReadOnlyList<Decision> Decisions { get; private set; } = [];
    /// <summary>Complaints, denunciations and petitions about this person that the user may see, newest first.</summary>
    public IReadOnlyList<Grievance> Grievances { get; private set; } = [];
    public DateOnly Today { get; private set; }
    /// <summary>Whether this user is the province's decider (a proposal they made themselves is still not theirs to decide).</summary>
    public bool IsDecider { get; private set; }

    public PersonDetail Detail { get; private set; } = null!;
    /// <summary>How the person is paid this month (any programme), or null: shown with a link to the payment page.</summary>
    public Payment.InstructionView? CurrentPayment { get; private set; }
    public bool CanWrite { get; private set; }
    public Payroll.PersonLedgerView? Ledger { get; private set; }
    /// <summary>Communes an officer may move a person to on their own: those of their own area.</summary>
    public IReadOnlyList<Places.Commune> MoveTargets { get; private set; } = [];
    /// <summary>The names of the communes the periods were paid in.</summary>
    public IReadOnlyDictionary<string, string> CommuneNames { get; private set; } = new Dictionary<string, string>();

    /// <summary>The change kinds offered on this page, each with its own form.</summary>
    public static readonly string[] FormKinds = ["category", "move", "suspend", "resume", "stop", "death"];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    /// <summary>A death or a move is recorded at once; a change that needs a decision is proposed to the decider.</summary>
    public async Task<IActionResult> OnPostChangeAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded)
        {
            return Forbid();
        }

        var scope = UserScope.From(User);
        var request = new ChangeRequest(Kind, EffectiveMonth, Reason ?? "", Kind == "category" ? Cat.ToFacts() : null, CommuneCode, DeathDate, BackPay);
        var proposed = EnrolmentCommands.DecidedKinds.Contains(Kind);
        var error = proposed
            ? (await proposals.ProposeAsync(scope, PersonId, Programme, request, User.Identity!.Name!, ct)).Error
            : await commands.ApplyAsync(scope, PersonId, Programme, request, User.Identity!.Name!, ct);
        if (error is not null)
        {
            return await ShowAsync(error, ct);
        }

        // After a move the person may now be outside this officer's commune.
        var stillInScope = await db.People.WhereInScope(scope).AnyAsync(p => p.Id == PersonId, ct);
        return Redirect(stillInScope ? $"/Registry/People/{PersonId}?done={(proposed ? "proposed" : Kind)}" : "/Registry");
    }

    public Task<IActionResult> OnPostApproveProposalAsync(CancellationToken ct) => DecideAsync(true, ct);

    public Task<IActionResult> OnPostRefuseProposalAsync(CancellationToken ct) => DecideAsync(false, ct);

    private async Task<IActionResult> DecideAsync(bool approve, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.Decide)).Succeeded)
        {
            return Forbid();
        }

        var (_, _, error) = await proposals.DecideAsync(UserScope.From(User), ProposalId, new ProposalDecisionRequest(approve, DecisionNumber, DecisionDate, RefusalReason), User.Identity!.Name!, ct);
        return error is null ? Redirect($"/Registry/People/{PersonId}?done={(approve ? "decided" : "refused")}") : await ShowAsync(error, ct);
    }

    private async Task<IActionResult> ShowAsync(RegistryError error, CancellationToken ct)
    {
        if (error.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }

        db.ChangeTracker.Clear();
        error.AddTo(ModelState);

        Done = null;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnPostCorrectAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded)
        {
            return Forbid();
        }

        var error = await PersonCommands.CorrectAsync(db, UserScope.From(User), PersonId,
            new CorrectPersonRequest(CitizenId ?? "", FullName ?? "", BirthDate ?? default, Sex ?? "", Hamlet, null, Phone, CitizenIdOverrideReason, Reason ?? ""),
            time.VietnamToday(), ct);
        return error is null ? Redirect($"/Registry/People/{PersonId}?done=correct") : await ShowAsync(error, ct);
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        Today = time.VietnamToday();
        var detail = await RegistryQueries.DetailAsync(db, UserScope.From(User), rules, PersonId, Today, ct);
        if (detail is null)
        {
            return false;
        }

        Detail = detail;
        var codes = detail.Periods.Select(e => e.CommuneCode).Distinct().ToList();
        CommuneNames = await db.Communes.AsNoTracking().Where(c => codes.Contains(c.Code)).ToDictionaryAsync(c => c.Code, c => c.Name, ct);
        MoveTargets = await db.Communes.AsNoTracking().InScope(UserScope.From(User)).Where(c => c.Code != detail.Person.CommuneCode)
            .OrderBy(c => c.Name).ToListAsync(ct);
        var open = detail.Periods.FirstOrDefault(e => e.Programme == Core.Rules.Programme.SocialAssistance && e.To == null && !e.Superseded);
        if (open is not null && Cat.Codes.Count == 0)
        {
            Cat = CategoryInput.From(open.Categories);
        }

        CanWrite = (await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded && detail.Person.DeathDate is null;
        Pending = await db.ChangeProposals.AsNoTracking().Where(p => p.PersonId == PersonId && p.Status == ProposalStatus.Proposed).OrderBy(p => p.Id).ToListAsync(ct);
        Decisions = await db.Decisions.AsNoTracking().Where(x => x.PersonId == PersonId).OrderByDescending(x => x.DecidedOn).ThenByDescending(x => x.Id).ToListAsync(ct);
        Grievances = await db.Grievances.AsNoTracking().WhereInScope(UserScope.From(User)).Where(g => g.PersonId == PersonId)
            .OrderByDescending(g => g.ReceivedOn).ThenByDescending(g => g.Id).Take(50).ToListAsync(ct);
        var month = time.VietnamMonth().ToString();
        CurrentPayment = (await Payment.PaymentInstructions.ForPersonAsync(db, PersonId, ct))
            .FirstOrDefault(i => string.CompareOrdinal(i.From, month) <= 0 && (i.To is null || string.CompareOrdinal(i.To, month) >= 0));
        Ledger = await Payroll.PersonLedger.ForAsync(db, UserScope.From(User), PersonId, ct);
        var setting = await Deciding.SettingAsync(db, detail.Person.ProvinceCode, ct);
        IsDecider = Deciding.IsDecider(setting, User);
        return true;
    }
}
