using AnSinh.Web.Database;
using AnSinh.Web.Features.Payroll;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Features.Disbursement;

/// <summary>
/// The payment list with signatures (danh sách chi trả có ký nhận), for one payment point, or a payer's home-delivery
/// list by hamlet: A4 landscape, cut into sheets by the server so that every printed page repeats the header and ends
/// with its own subtotal; hamlet headings, point and commune totals, the grand total in figures and words, and the
/// signature blocks of the preparer, the supervising officer and the payer. Proxies are named with their letter.
/// </summary>
[Authorize(Policy = Policies.PayerExchange)]
public sealed class SignatureListModel(AppDbContext db, TimeProvider time) : PageModel
{
    public const int RowsPerSheet = 16;
    public const int MaxLines = 5_000;

    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public long RunId { get; set; }
    [BindProperty(SupportsGet = true)] public long PayerId { get; set; }
    [BindProperty(SupportsGet = true)] public long? Point { get; set; }
    [BindProperty(SupportsGet = true)] public bool Home { get; set; }

    public RunView Run { get; private set; } = null!;
    public string PayerName { get; private set; } = "";
    public string ProvinceName { get; private set; } = "";
    public string? PointName { get; private set; }
    public IReadOnlyList<IReadOnlyList<FileLine>> Sheets { get; private set; } = [];
    public IReadOnlyList<(string Commune, int Lines, long Total)> Communes { get; private set; } = [];
    public bool TooMany { get; private set; }
    public long Total => Sheets.SelectMany(s => s).Sum(l => l.Total);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var payer = await db.Payers.AsNoTracking().FirstOrDefaultAsync(p => p.Id == PayerId, ct);
        if (payer is null || payer.ProvinceCode != ProvinceCode || !PayerAccess.Allows(User, payer.Id, payer.ProvinceCode)
            || await RunQueries.FindAsync(db, ProvinceCode, RunId, ct) is not { } run || !PayerFiles.Ready(run.State))
        {
            return NotFound();
        }

        if (!Home && Point is null)
        {
            return BadRequest();
        }

        Run = await RunQueries.ViewAsync(db, run, ct);
        PayerName = payer.Name;
        ProvinceName = (await db.Provinces.FindAsync([ProvinceCode], ct))?.Name ?? ProvinceCode;
        PointName = Point is { } pid ? (await db.PaymentPoints.AsNoTracking().FirstOrDefaultAsync(p => p.Id == pid, ct))?.Name : null;
        await db.Database.OpenConnectionAsync(ct);
        var lines = new List<FileLine>();
        await foreach (var l in PayerFiles.LinesAsync((NpgsqlConnection)db.Database.GetDbConnection(), null, RunId, PayerId, Home ? ["home"] : ["cash_point", "proxy"],
            Home ? "hamlet" : "point", Home ? null : Point, ct))
        {
            if (lines.Count == MaxLines)
            {
                TooMany = true;
                break;
            }

            lines.Add(l);
        }

        Sheets = [.. lines.Chunk(RowsPerSheet)];
        Communes = [.. lines.GroupBy(l => l.CommuneName).Select(g => (g.Key, g.Count(), g.Sum(l => l.Total)))];
        await PayerFiles.AppendAuditAsync(db, "print_list", RunId.ToString(System.Globalization.CultureInfo.InvariantCulture), ProvinceCode,
            new { PayerId, Point, Home, lines = lines.Count }, User.Identity?.Name ?? "?", time.GetUtcNow(), ct);
        return Page();
    }
}
