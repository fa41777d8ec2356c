using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.People;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payment;

/// <summary>
/// How one person is paid: the instructions in force and before, a form per method (cash at a point, at home,
/// into an account, through a proxy), the registered proxies with their scanned letters and the standard
/// authorisation letter to print.
/// </summary>
[Authorize(Policy = Policies.PlaceData)]
[RequestFormLimits(MultipartBodyLengthLimit = Scans.MaxBytes + 64 * 1024)]
public sealed class PersonPaymentModel(AppDbContext db, IAuthorizationService auth, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public long PersonId { get; set; }
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    [BindProperty] public string Method { get; set; } = PaymentMethods.CashPoint;
    [BindProperty] public string? StartMonth { get; set; }
    [BindProperty] public string? Programme { get; set; }
    [BindProperty] public long? PaymentPointId { get; set; }
    [BindProperty] public string? HomeReason { get; set; }
    [BindProperty] public string? BankBin { get; set; }
    [BindProperty] public string? AccountNumber { get; set; }
    [BindProperty] public string? AccountHolder { get; set; }
    [BindProperty] public long? ProxyId { get; set; }
    [BindProperty] public string? Reason { get; set; }

    [BindProperty] public string? ProxyName { get; set; }
    [BindProperty] public string? ProxyCitizenId { get; set; }
    [BindProperty] public DateOnly? ProxyBirthDate { get; set; }
    [BindProperty] public string? Relationship { get; set; }
    [BindProperty] public string? ProxyPhone { get; set; }
    [BindProperty] public string? ProxyAddress { get; set; }
    [BindProperty] public string? LetterReference { get; set; }
    [BindProperty] public DateOnly? ValidFrom { get; set; }
    [BindProperty] public DateOnly? ValidTo { get; set; }
    [BindProperty] public IFormFile? Letter { get; set; }

    public Person Person { get; private set; } = null!;
    public IReadOnlyList<InstructionView> Instructions { get; private set; } = [];
    public IReadOnlyList<PaymentPoint> Points { get; private set; } = [];
    public IReadOnlyList<Bank> Banks { get; private set; } = [];
    public IReadOnlyList<ProxyAuthorisation> Proxies { get; private set; } = [];
    public IReadOnlyList<string> Programmes { get; private set; } = [];
    public bool CanWrite { get; private set; }
    public YearMonth NextMonth { get; private set; }

    /// <summary>The payment methods, each with its own form.</summary>
    public static readonly string[] Methods = [PaymentMethods.CashPoint, PaymentMethods.Bank, PaymentMethods.Proxy, PaymentMethods.Home];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostInstructionAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded)
        {
            return Forbid();
        }

        var request = new SetInstructionRequest(Method, StartMonth ?? "", Reason ?? "", string.IsNullOrEmpty(Programme) ? null : Programme,
            PaymentPointId, HomeReason, BankBin, AccountNumber, AccountHolder, ProxyId);
        var (_, error) = await PaymentInstructions.SetAsync(db, UserScope.From(User), PersonId, request, User.Identity!.Name!, time, ct);
        return error is null ? Redirect($"/Registry/People/{PersonId}/Payment?done=instruction") : await ShowAsync(error, ct);
    }

    public async Task<IActionResult> OnPostProxyAsync(CancellationToken ct)
    {
        if (!(await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded)
        {
            return Forbid();
        }

        var letter = await Scans.ReadBoundedAsync(Letter, ct);
        var request = new AddProxyRequest(ProxyName ?? "", ProxyCitizenId ?? "", Relationship ?? "", ProxyBirthDate, ProxyPhone, ProxyAddress, LetterReference,
            ValidFrom ?? default, ValidTo ?? default);
        var (_, error) = await PaymentSetup.AddProxyAsync(db, UserScope.From(User), PersonId, request, User.Identity!.Name!, time.VietnamToday(), ct, letter);
        Method = PaymentMethods.Proxy;
        return error is null ? Redirect($"/Registry/People/{PersonId}/Payment?done=proxy") : await ShowAsync(error, ct);
    }

    /// <summary>The scanned letter, as stored, to the people who may see this person.</summary>
    public async Task<IActionResult> OnGetLetterAsync(long proxyId, CancellationToken ct)
    {
        var proxy = await db.ProxyAuthorisations.AsNoTracking().WhereInScope(UserScope.From(User))
            .FirstOrDefaultAsync(p => p.Id == proxyId && p.PersonId == PersonId && p.Letter != null, ct);
        return proxy is null ? NotFound() : File(proxy.Letter!, proxy.LetterType!, $"giay-uy-quyen-{proxy.Id}{(proxy.LetterType == "application/pdf" ? ".pdf" : proxy.LetterType == "image/png" ? ".png" : ".jpg")}");
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

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var scope = UserScope.From(User);
        var person = await db.People.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == PersonId, ct);
        if (person is null)
        {
            return false;
        }

        Person = person;
        NextMonth = time.VietnamMonth().AddMonths(1);
        StartMonth ??= NextMonth.ToString();
        Instructions = await PaymentInstructions.ForPersonAsync(db, PersonId, ct);
        Points = await db.PaymentPoints.AsNoTracking().Where(p => p.CommuneCode == person.CommuneCode && p.Active).OrderBy(p => p.Name).ToListAsync(ct);
        Banks = await db.Banks.AsNoTracking().OrderBy(b => b.ShortName).ToListAsync(ct);
        Proxies = await db.ProxyAuthorisations.AsNoTracking().Where(p => p.PersonId == PersonId && p.RevokedAt == null)
            .Select(ProxyAuthorisation.WithoutScan)
            .OrderByDescending(p => p.Id).ToListAsync(ct);
        Programmes = await db.Enrolments.AsNoTracking().Where(e => e.PersonId == PersonId && e.EndMonth == null && e.SupersededAt == null)
            .Select(e => e.Programme).Distinct().ToListAsync(ct);
        CanWrite = person.DeathDate is null && (await auth.AuthorizeAsync(User, HttpContext, Policies.RegistryWrite)).Succeeded;
        return true;
    }
}
