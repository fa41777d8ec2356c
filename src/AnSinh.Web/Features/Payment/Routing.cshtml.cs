using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payment;

/// <summary>
/// Before the month's list goes to the payer: who cannot be paid as things stand (no instruction, an expired proxy,
/// a closed point) and, per commune, the share paid into an account, with the outreach list of everyone else as xlsx.
/// </summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class RoutingModel(AppDbContext db, TimeProvider time) : PageModel
{
    public const int MaxListed = 500;

    [BindProperty(SupportsGet = true)] public string? Month { get; set; }
    [BindProperty(SupportsGet = true)] public string? Province { get; set; }

    public YearMonth For { get; private set; }
    public string ProvinceCode { get; private set; } = "";
    public IReadOnlyList<UnroutedRow> Unrouted { get; private set; } = [];
    public IReadOnlyList<CashlessRow> Cashless { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!Resolve())
        {
            return NotFound();
        }

        var scope = UserScope.From(User);
        Unrouted = await PaymentRouting.UnroutedAsync(db, ProvinceCode, scope.CommuneCode, null, For, MaxListed + 1, ct);
        Cashless = await PaymentRouting.CashlessAsync(db, ProvinceCode, scope.CommuneCode, For, ct);
        return Page();
    }

    /// <summary>The outreach list: everyone without a working account, streamed into an .xlsx.</summary>
    public async Task<IActionResult> OnGetOutreachAsync(CancellationToken ct)
    {
        if (!Resolve())
        {
            return NotFound();
        }

        var rows = PaymentRouting.WithoutAccount(db, ProvinceCode, UserScope.From(User).CommuneCode, For);
        var path = Path.GetTempFileName();
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.Asynchronous))
        {
            await XlsxWriter.WriteAsync(file, [("ChuaCoTaiKhoan", Lines(rows))], ct);
        }

        var result = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 16, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        return File(result, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"chua-co-tai-khoan-{ProvinceCode}-{For:yyyy-MM}.xlsx");
    }

    private async IAsyncEnumerable<string[]> Lines(IAsyncEnumerable<OutreachRow> rows)
    {
        yield return [Hosting.Texts.Get("Registry.CitizenId"), Hosting.Texts.Get("Users.FullName"), Hosting.Texts.Get("Payment.BirthYear"),
            Hosting.Texts.Get("Registry.Commune"), Hosting.Texts.Get("Registry.Hamlet"), Hosting.Texts.Get("Registry.Phone"), Hosting.Texts.Get("Payment.PaidNow")];
        await foreach (var r in rows)
        {
            yield return [r.CitizenId, r.FullName, r.BirthYear.ToString(System.Globalization.CultureInfo.InvariantCulture), r.CommuneName, r.Hamlet ?? "", r.Phone ?? "",
                Hosting.Texts.Get("Payment.Method." + r.Method)];
        }
    }

    /// <summary>The province is the user's own (an admin names one); the month is next month unless chosen.</summary>
    private bool Resolve()
    {
        var scope = UserScope.From(User);
        ProvinceCode = scope.Level == ScopeLevel.All ? Province ?? "" : scope.ProvinceCode!;
        For = YearMonth.TryParse(Month, out var m) && m >= Registry.RegistryBounds.FirstMonth && m <= time.VietnamMonth().AddMonths(12) ? m : time.VietnamMonth().AddMonths(1);
        Month = For.ToString();
        return ProvinceCode.Length > 0 && scope.CoversProvince(ProvinceCode);
    }
}
