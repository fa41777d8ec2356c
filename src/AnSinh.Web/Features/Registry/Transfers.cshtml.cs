using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AnSinh.Web.Features.Registry;

/// <summary>Transfers into the user's area (to complete or refuse, by its decider) and out of it (to follow or withdraw).</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class TransfersModel(AppDbContext db, Transfers transfers, IAuthorizationService auth) : PageModel
{
    [BindProperty(SupportsGet = true)] public bool All { get; set; }
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }
    [BindProperty] public long TransferId { get; set; }
    [BindProperty] public string? DecisionNumber { get; set; }
    [BindProperty] public DateOnly? DecisionDate { get; set; }
    [BindProperty] public string? RefusalReason { get; set; }

    public IReadOnlyList<TransferView> Incoming { get; private set; } = [];
    public IReadOnlyList<TransferView> Outgoing { get; private set; } = [];
    public bool CanDecide { get; private set; }
    public bool CanWrite { get; private set; }

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public Task<IActionResult> OnPostCompleteAsync(CancellationToken ct) => DecideAsync(true, ct);

    public Task<IActionResult> OnPostRefuseAsync(CancellationToken ct) => DecideAsync(false, ct);

    public async Task<IActionResult> OnPostWithdrawAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded)
        {
            return Forbid();
        }

        var error = await transfers.WithdrawAsync(UserScope.From(User), TransferId, User.Identity!.Name!, ct);
        return error is null ? Redirect("/Registry/Transfers?done=withdrawn") : await ShowAsync(error, ct);
    }

    private async Task<IActionResult> DecideAsync(bool approve, CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.Decide)).Succeeded)
        {
            return Forbid();
        }

        var (decision, error) = await transfers.DecideAsync(UserScope.From(User), TransferId, new ProposalDecisionRequest(approve, DecisionNumber, DecisionDate, RefusalReason), User.Identity!.Name!, ct);
        return error is not null ? await ShowAsync(error, ct)
            : decision is not null ? Redirect($"/Registry/People/{decision.PersonId}?done=transferred")
            : Redirect("/Registry/Transfers?done=refused");
    }

    private async Task<IActionResult> ShowAsync(RegistryError error, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        error.AddTo(ModelState);

        Done = null;
        await LoadAsync(ct);
        Response.StatusCode = error.Status == StatusCodes.Status404NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status200OK;
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var list = await Transfers.ListAsync(db, UserScope.From(User), All, ct);
        Incoming = [.. list.Where(t => t.Incoming)];
        Outgoing = [.. list.Where(t => !t.Incoming)];
        CanDecide = (await auth.AuthorizeAsync(User, HttpContext, Policies.Decide)).Succeeded;
        CanWrite = (await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded;
    }
}
