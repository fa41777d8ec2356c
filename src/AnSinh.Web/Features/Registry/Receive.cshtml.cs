using AnSinh.Core.Rules;
using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

/// <summary>
/// Receiving an application at the commune: the person (found by citizen ID, or entered), the facts, how it
/// came in, and a first scanned document. All in one transaction: nothing is kept if any part is refused.
/// </summary>
[Authorize(Policy = Policies.RegistryWrite)]
public sealed class ReceiveModel(AppDbContext db, ApplicationCommands applications, TimeProvider time) : PageModel
{
    [BindProperty] public string CitizenId { get; set; } = "";
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public DateOnly? BirthDate { get; set; }
    [BindProperty] public string? Sex { get; set; }
    [BindProperty] public string? CommuneCode { get; set; }
    [BindProperty] public string? Hamlet { get; set; }
    [BindProperty] public string? Phone { get; set; }
    [BindProperty] public string? CitizenIdOverrideReason { get; set; }
    [BindProperty] public string Programme { get; set; } = Core.Rules.Programme.SocialAssistance;
    [BindProperty(Name = CategoryInput.Prefix)] public CategoryInput Cat { get; set; } = new();
    [BindProperty] public string? CareKind { get; set; }
    [BindProperty] public string Channel { get; set; } = "in_person";
    [BindProperty] public string? CaredCitizenId { get; set; }
    [BindProperty] public string DocType { get; set; } = "don_de_nghi";
    [BindProperty] public IFormFile? Document { get; set; }

    public IReadOnlyList<Places.Commune> Communes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var scope = UserScope.From(User);
        var actor = User.Identity!.Name!;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var person = await db.People.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(p => p.CitizenId == CitizenId.Trim(), ct);
        if (person is null)
        {
            var (created, error) = await PersonCommands.CreateAsync(db, scope, new CreatePersonRequest(
                CitizenId, FullName ?? "", BirthDate ?? default, Sex ?? "", CommuneCode ?? "", Hamlet, null, Phone, CitizenIdOverrideReason), time.VietnamToday(), ct);
            if (error is not null)
            {
                return await ShowAsync(error, ct);
            }

            person = created!;
        }

        var programme = Programme;
        IReadOnlyList<CategoryFact> categories = programme switch
        {
            Core.Rules.Programme.SocialPension => [new CategoryFact(CategoryCodes.SocialPension)],
            Core.Rules.Programme.CareSupport => [new CategoryFact(CareKind ?? "")],
            _ => Cat.ToFacts(),
        };
        long? cared = null;
        if (programme == Core.Rules.Programme.CareSupport)
        {
            // The carer applies; the person cared for must already be in the registry, in the user's area.
            cared = await db.People.AsNoTracking().WhereInScope(scope).Where(p => p.CitizenId == (CaredCitizenId ?? "").Trim()).Select(p => (long?)p.Id).FirstOrDefaultAsync(ct);
            if (cared is null)
            {
                return await ShowAsync(RegistryError.Invalid("CaredCitizenId", Hosting.Texts.Get("Registry.Err.CaredCitizenId")), ct);
            }
        }

        var (application, receiveError) = await applications.ReceiveAsync(scope,
            new ReceiveRequest(person.Id, programme, categories, cared, Channel, null), actor, ct);
        if (receiveError is not null)
        {
            return await ShowAsync(receiveError, ct);
        }

        if (Document is { Length: > 0 })
        {
            var (_, docError) = await applications.AddDocumentAsync(scope, application!.Id, DocType, Document.FileName, await Scans.ReadBoundedAsync(Document, ct), actor, ct);
            if (docError is not null)
            {
                return await ShowAsync(docError, ct);
            }
        }

        await tx.CommitAsync(ct);
        return Redirect($"/Registry/Applications/{application!.Id}");
    }

    private async Task<IActionResult> ShowAsync(RegistryError error, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        error.AddTo(ModelState);

        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var scope = UserScope.From(User);
        Communes = await db.Communes.AsNoTracking().InScope(scope).OrderBy(c => c.Code).ToListAsync(ct);
        CommuneCode ??= scope.CommuneCode;
    }
}
