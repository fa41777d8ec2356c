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
    /// <summary>Printed rows a landscape sheet holds: lines, hamlet headings, and a proxy's second line each count.</summary>
    public const int RowsPerSheet = 14;

    /// <summary>The last sheet also carries the totals, the amount in words and the signature blocks.</summary>
    public const int RowsOnLastSheet = 7;
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
    public IReadOnlyList<List<FileLine>> Sheets { get; private set; } = [];
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

        Communes = [.. lines.GroupBy(l => l.CommuneName).Select(g => (g.Key, g.Count(), g.Sum(l => l.Total)))];
        Sheets = Cut(lines, RowsPerSheet, Math.Max(3, RowsOnLastSheet - Communes.Count));
        await db.AppendAuditAsync("print_list", "payroll_run", RunId.ToString(System.Globalization.CultureInfo.InvariantCulture), ProvinceCode,
            new { PayerId, Point, Home, lines = lines.Count }, User.Identity?.Name ?? "?", null, time.GetUtcNow(), ct);
        return Page();
    }

    /// <summary>
    /// Cuts the lines into sheets by the rows they print (a hamlet heading where the hamlet changes or a sheet starts,
    /// a proxy's line twice), so that a sheet is one printed page; the last sheet keeps room for the totals and
    /// signatures, its lines moved to a sheet of their own when they do not leave it.
    /// </summary>
    public static List<List<FileLine>> Cut(IReadOnlyList<FileLine> lines, int perSheet, int onLast)
    {
        ArgumentNullException.ThrowIfNull(lines);
        static int Cost(IReadOnlyList<FileLine> sheet) =>
            sheet.Select((l, i) => 1 + (i == 0 || l.Hamlet != sheet[i - 1].Hamlet ? 1 : 0) + (l.ProxyCitizenId is null ? 0 : 1)).Sum();
        var sheets = new List<List<FileLine>>();
        var current = new List<FileLine>();
        foreach (var l in lines)
        {
            current.Add(l);
            if (Cost(current) > perSheet)
            {
                current.RemoveAt(current.Count - 1);
                sheets.Add(current);
                current = [l];
            }
        }

        if (current.Count == 0)
        {
            return sheets;
        }

        var tail = new List<FileLine>();
        while (current.Count > 0 && Cost([current[^1], .. tail]) <= onLast)
        {
            tail.Insert(0, current[^1]);
            current.RemoveAt(current.Count - 1);
        }

        if (current.Count > 0)
        {
            sheets.Add(current);
        }

        sheets.Add(tail);
        return sheets;
    }
}
