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

    public PersonDetail Detail { get; private set; } = null!;
    public bool CanWrite { get; private set; }
    /// <summary>Communes an officer may move a person to on their own: those of their own area.</summary>
    public IReadOnlyList<Places.Commune> MoveTargets { get; private set; } = [];

    /// <summary>The change kinds offered on this page, each with its own form.</summary>
    public static readonly string[] FormKinds = ["category", "move", "suspend", "resume", "stop", "death"];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostChangeAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded)
        {
            return Forbid();
        }

        var error = await commands.ApplyAsync(UserScope.From(User), PersonId, Programme,
            new ChangeRequest(Kind, EffectiveMonth, Reason ?? "", Kind == "category" ? Cat.ToFacts() : null, CommuneCode, DeathDate, BackPay), User.Identity!.Name!, ct);
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
        MoveTargets = await db.Communes.AsNoTracking().InScope(UserScope.From(User)).Where(c => c.Code != detail.Person.CommuneCode)
            .OrderBy(c => c.Name).ToListAsync(ct);
        var open = detail.Periods.FirstOrDefault(e => e.Programme == Core.Rules.Programme.SocialAssistance && e.To == null && !e.Superseded);
        if (open is not null && Cat.Codes.Count == 0)
        {
            Cat = CategoryInput.From(open.Categories);
        }

        CanWrite = (await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded && detail.Person.DeathDate is null;
        return true;
    }
}
