using System.Globalization;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Places;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payment;

/// <summary>
/// A province's payers (post offices and banks), its contracts with them (Decree 20 Art. 34.3) and the payment
/// points of its communes; an admin may also add a bank missing from the NAPAS list.
/// </summary>
[Authorize(Policy = Policies.PaymentSetup)]
public sealed class PayersModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string? Done { get; set; }

    [BindProperty] public string? Kind { get; set; }
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? BankBin { get; set; }

    [BindProperty] public long PayerId { get; set; }
    [BindProperty] public string? Reference { get; set; }
    [BindProperty] public bool PaysCash { get; set; }
    [BindProperty] public bool PaysAccount { get; set; }
    /// <summary>As typed: "0,55" or "0.55" (a number field sends the dot whatever the page's language).</summary>
    [BindProperty] public string? FeePercent { get; set; }
    [BindProperty] public short TransferDay { get; set; } = 20;
    [BindProperty] public short PayFromDay { get; set; } = 7;
    [BindProperty] public short PayToDay { get; set; } = 15;
    [BindProperty] public short ResultsDay { get; set; } = 18;
    [BindProperty] public short SettlementDay { get; set; } = 20;
    [BindProperty] public DateOnly? ValidFrom { get; set; }
    [BindProperty] public DateOnly? ValidTo { get; set; }
    [BindProperty] public List<string> Communes { get; set; } = [];
    [BindProperty] public bool AllCommunes { get; set; }

    [BindProperty] public string? CommuneCode { get; set; }
    [BindProperty] public long? PointPayerId { get; set; }
    [BindProperty] public string? Address { get; set; }
    [BindProperty] public short FirstDay { get; set; } = 7;
    [BindProperty] public short LastDay { get; set; } = 15;

    [BindProperty] public string? Bin { get; set; }
    [BindProperty] public string? ShortName { get; set; }
    [BindProperty] public string? FullName { get; set; }
    [BindProperty] public string? Swift { get; set; }

    /// <summary>Which form the last post came from, so that its section opens with its errors.</summary>
    public string? Form { get; private set; }
    public string ProvinceName { get; private set; } = "";
    public IReadOnlyList<Payer> PayerList { get; private set; } = [];
    public IReadOnlyList<(PayerContract Contract, int Communes)> Contracts { get; private set; } = [];
    public IReadOnlyList<PaymentPoint> Points { get; private set; } = [];
    public IReadOnlyList<Commune> ProvinceCommunes { get; private set; } = [];
    public IReadOnlyList<Bank> Banks { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostPayerAsync(CancellationToken ct)
    {
        var (_, error) = await PaymentSetup.AddPayerAsync(db, ProvinceCode, new AddPayerRequest(Kind ?? "", Name ?? "", BankBin), User.Identity!.Name!, ct);
        return await AfterAsync("payer", error, ct);
    }

    public async Task<IActionResult> OnPostContractAsync(CancellationToken ct)
    {
        if (!decimal.TryParse((FeePercent ?? "").Replace(',', '.'), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var fee))
        {
            fee = -1; // refused below with the fee's own message
        }

        var communes = AllCommunes
            ? await db.Communes.AsNoTracking().Where(c => c.ProvinceCode == ProvinceCode).Select(c => c.Code).ToListAsync(ct)
            : Communes;
        var request = new AddContractRequest(PayerId, Reference ?? "", PaysCash, PaysAccount, fee, TransferDay, PayFromDay, PayToDay, ResultsDay, SettlementDay,
            ValidFrom ?? default, ValidTo, communes);
        var (_, error) = await PaymentSetup.AddContractAsync(db, ProvinceCode, request, User.Identity!.Name!, ct);
        return await AfterAsync("contract", error, ct);
    }

    public async Task<IActionResult> OnPostPointAsync(CancellationToken ct)
    {
        var (_, error) = await PaymentSetup.AddPointAsync(db, UserScope.From(User), ProvinceCode, new AddPointRequest(CommuneCode ?? "", PointPayerId, Name ?? "", Address, FirstDay, LastDay), User.Identity!.Name!, ct);
        return await AfterAsync("point", error, ct);
    }

    public async Task<IActionResult> OnPostBankAsync(CancellationToken ct)
    {
        if (!User.IsInRole(Roles.Admin))
        {
            return Forbid();
        }

        var (_, error) = await PaymentSetup.AddBankAsync(db, new AddBankRequest(Bin ?? "", ShortName ?? "", FullName ?? "", Swift), User.Identity!.Name!, ct);
        return await AfterAsync("bank", error, ct);
    }

    private async Task<IActionResult> AfterAsync(string form, RegistryError? error, CancellationToken ct)
    {
        if (error is null)
        {
            return Redirect($"/Payment/Payers/{ProvinceCode}?done={form}#{form}s");
        }

        db.ChangeTracker.Clear();
        error.AddTo(ModelState);

        Form = form;
        Done = null;
        return await LoadAsync(ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var name = await db.ProvinceNameAsync(ProvinceCode, ct);
        if (name is null)
        {
            return false;
        }

        ProvinceName = name;
        PayerList = await db.Payers.AsNoTracking().Where(p => p.ProvinceCode == ProvinceCode).OrderBy(p => p.Name).ToListAsync(ct);
        var contracts = await db.PayerContracts.AsNoTracking().Where(c => c.ProvinceCode == ProvinceCode).OrderByDescending(c => c.ValidFrom).ToListAsync(ct);
        var ids = contracts.Select(c => c.Id).ToList();
        var counts = await db.PayerContractCommunes.AsNoTracking().Where(c => ids.Contains(c.ContractId))
            .GroupBy(c => c.ContractId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        Contracts = [.. contracts.Select(c => (c, counts.GetValueOrDefault(c.Id)))];
        Points = await db.PaymentPoints.AsNoTracking().Where(p => p.ProvinceCode == ProvinceCode).OrderBy(p => p.CommuneCode).ThenBy(p => p.Name).Take(2000).ToListAsync(ct);
        ProvinceCommunes = await db.Communes.AsNoTracking().Where(c => c.ProvinceCode == ProvinceCode).OrderBy(c => c.Name).ToListAsync(ct);
        Banks = await db.Banks.AsNoTracking().OrderBy(b => b.ShortName).ToListAsync(ct);
        return true;
    }
}
