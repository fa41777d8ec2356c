using AnSinh.Core.Rules;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Rules;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

/// <summary>One person: facts, this month's amount explained line by line, every period and change with who and why.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class PersonModel(AppDbContext db, RulesCatalog rules, EnrolmentCommands commands, IAuthorizationService auth, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public long PersonId { get; set; }

    [BindProperty] public string Kind { get; set; } = "suspend";
    [BindProperty] public string Programme { get; set; } = Core.Rules.Programme.SocialAssistance;
    [BindProperty] public string? EffectiveMonth { get; set; }
    [BindProperty] public string? Reason { get; set; }
    [BindProperty] public string? CategoryCode { get; set; }
    [BindProperty] public string? Severity { get; set; }
    [BindProperty] public short? Children { get; set; }
    [BindProperty] public string? CommuneCode { get; set; }
    [BindProperty] public DateOnly? DeathDate { get; set; }
    [BindProperty] public bool BackPay { get; set; }
    [BindProperty] public string? PaymentChannel { get; set; }
    [BindProperty] public string? PaymentPoint { get; set; }
    [BindProperty] public string? BankAccount { get; set; }
    [BindProperty] public string? ProxyName { get; set; }
    [BindProperty] public string? ProxyCitizenId { get; set; }

    [BindProperty] public string? CitizenId { get; set; }
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public DateOnly? BirthDate { get; set; }
    [BindProperty] public string? Sex { get; set; }
    [BindProperty] public string? Hamlet { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? CitizenIdOverrideReason { get; set; }

    public PersonDetail Detail { get; private set; } = null!;
    public bool CanWrite { get; private set; }
    public IReadOnlyList<string> Categories => CategoryCodes.SocialAssistance;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostChangeAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded)
        {
            return Forbid();
        }

        var error = await commands.ApplyAsync(UserScope.From(User), PersonId, Programme,
            new ChangeRequest(Kind, EffectiveMonth, Reason ?? "", CategoryCode, Severity, Children, CommuneCode, DeathDate, BackPay, PaymentChannel, PaymentPoint, BankAccount, ProxyName, ProxyCitizenId), User.Identity!.Name!, ct);
        if (error?.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }

        if (error is not null)
        {
            foreach (var (field, message) in error.Problems)
            {
                ModelState.AddModelError(field, message);
            }

            return await LoadAsync(ct) ? Page() : NotFound();
        }

        // After a move the person may now be outside this officer's commune.
        var stillInScope = await db.People.WhereInScope(UserScope.From(User)).AnyAsync(p => p.Id == PersonId, ct);
        return Redirect(stillInScope ? $"/Registry/People/{PersonId}" : "/Registry");
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
        if (error?.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }

        if (error is null)
        {
            return Redirect($"/Registry/People/{PersonId}");
        }

        db.ChangeTracker.Clear();
        foreach (var (field, message) in error.Problems)
        {
            ModelState.AddModelError(field, message);
        }

        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var detail = await RegistryQueries.DetailAsync(db, UserScope.From(User), rules, PersonId, time.VietnamToday(), ct);
        if (detail is null)
        {
            return false;
        }

        Detail = detail;
        CanWrite = (await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded && detail.Person.DeathDate is null;
        return true;
    }
}
