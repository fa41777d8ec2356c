using AnSinh.Web.Database;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AnSinh.Web.Features.Disbursement;

/// <summary>
/// A payer's settlement for a run: on screen, as a workbook, and printed. Printing records the audit log's last row
/// and hash at that moment and shows them on the paper, so `audit verify --anchor ROW:HASH` can later prove that no
/// row up to it was cut off the chain.
/// </summary>
[Authorize(Policy = Policies.Reconcile)]
public sealed class SettlementPageModel(AppDbContext db, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public long RunId { get; set; }
    [BindProperty(SupportsGet = true)] public long PayerId { get; set; }
    [BindProperty(SupportsGet = true)] public long? Print { get; set; }

    public SettlementView View { get; private set; } = null!;
    public string ProvinceName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (await Settlements.ForAsync(db, ProvinceCode, RunId, PayerId, Print, ct) is not { } view)
        {
            return NotFound();
        }

        View = view;
        ProvinceName = (await db.Provinces.FindAsync([ProvinceCode], ct))?.Name ?? ProvinceCode;
        return Page();
    }

    public async Task<IActionResult> OnPostPrintAsync(CancellationToken ct)
    {
        var (id, error) = await Settlements.PrintAsync(db, time, ProvinceCode, RunId, PayerId, User.Identity!.Name!, ct);
        if (error is not null)
        {
            error.AddTo(ModelState);
            return await OnGetAsync(ct);
        }

        return Redirect($"/Payroll/{ProvinceCode}/Runs/{RunId}/Payers/{PayerId}/Settlement?print={id}");
    }

    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken ct)
    {
        if (await Settlements.ForAsync(db, ProvinceCode, RunId, PayerId, null, ct) is not { } view)
        {
            return NotFound();
        }

        var ms = new MemoryStream();
        await Settlements.WriteXlsxAsync(ms, view, k => Texts.Get(k), ct);
        ms.Position = 0;
        return File(ms, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"quyet-toan-{ProvinceCode}-{view.Run.Month}-{PayerId}.xlsx");
    }
}
