using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AnSinh.Web.Features.Payroll;

/// <summary>The commune officer's list of people who collected nothing for three months, and the proposal of their suspension.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class UncollectedModel(AppDbContext db, ChangeProposals proposals, IAuthorizationService auth, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }
    [BindProperty] public long PersonId { get; set; }

    public IReadOnlyList<UncollectedRow> Rows { get; private set; } = [];
    public bool CanPropose { get; private set; }
    public YearMonth ThisMonth => time.VietnamMonth();

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostProposeAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded)
        {
            return Forbid();
        }

        var scope = UserScope.From(User);
        var row = (await Uncollected.ListAsync(db, scope, ProvinceCode, ct)).FirstOrDefault(r => r.PersonId == PersonId);
        if (row is null)
        {
            RegistryError.NotFound("person").AddTo(ModelState);
            await LoadAsync(ct);
            return Page();
        }

        var evidence = Texts.Get("Uncollected.Evidence", string.Join(", ", row.Months.Select(m => Display.Month(YearMonth.Parse(m)))));
        var (_, error) = await proposals.ProposeAsync(scope, PersonId, Core.Rules.Programme.SocialAssistance,
            new ChangeRequest("suspend", row.SuspendFrom(ThisMonth).ToString(), evidence), User.Identity!.Name!, ct);
        if (error is not null)
        {
            db.ChangeTracker.Clear();
            error.AddTo(ModelState);
            await LoadAsync(ct);
            return Page();
        }

        return Redirect($"/Payroll/{ProvinceCode}/Uncollected?done=proposed");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Rows = await Uncollected.ListAsync(db, UserScope.From(User), ProvinceCode, ct);
        CanPropose = (await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded;
    }
}
