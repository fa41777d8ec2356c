using AnSinh.Web.Database;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AnSinh.Web.Features.Payroll;

/// <summary>The money request of a run, printable (A4) and as a workbook.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class MoneyRequestModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public long RunId { get; set; }

    public MoneyRequestView View { get; private set; } = null!;
    public string ProvinceName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await MoneyRequest.ForAsync(db, ProvinceCode, RunId, ct) is not { } view)
        {
            return NotFound();
        }

        View = view;
        ProvinceName = (await db.Provinces.FindAsync([ProvinceCode], ct))?.Name ?? ProvinceCode;
        return Page();
    }

    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken ct)
    {
        if (await MoneyRequest.ForAsync(db, ProvinceCode, RunId, ct) is not { } view)
        {
            return NotFound();
        }

        var ms = new MemoryStream();
        await MoneyRequest.WriteXlsxAsync(ms, view, k => Texts.Get(k), ct);
        ms.Position = 0;
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"du-toan-{ProvinceCode}-{view.Run.Month}.xlsx");
    }
}
