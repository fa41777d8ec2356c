using System.Globalization;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Oversight;

/// <summary>
/// The standard reports of a province or a commune (a commune's staff see their commune's) for a month or a period: on
/// screen, printed (A4, with who prepared and who approves) and as a workbook with every row.
/// </summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class ReportsPageModel(AppDbContext db, DatabaseConnection database, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string Report { get; set; } = "summary";
    [BindProperty(SupportsGet = true)] public string? Commune { get; set; }
    [BindProperty(SupportsGet = true)] public string? From { get; set; }
    [BindProperty(SupportsGet = true)] public string? To { get; set; }
    [BindProperty(SupportsGet = true)] public bool Print { get; set; }

    public ReportDefinition Definition { get; private set; } = null!;
    public ReportQuery Query { get; private set; } = null!;
    public ReportResult Result { get; private set; } = null!;
    public string ProvinceName { get; private set; } = "";
    public string? CommuneName { get; private set; }
    public IReadOnlyList<Places.Commune> Communes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        Result = await Reports.ReadAsync(database, Definition, Query, ct);
        if (Print)
        {
            await AuditAsync("print", ct);
        }

        return Page();
    }

    /// <summary>Every row, streamed into the workbook (memory stays bounded whatever the province's size).</summary>
    public async Task<IActionResult> OnGetXlsxAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var header = Definition.Columns.Select(c => Texts.Get(c.Key)).ToArray();
        async IAsyncEnumerable<string[]> Lines()
        {
            yield return header;
            await foreach (var row in Reports.RowsAsync(database, Definition, Query, ct))
            {
                yield return row.Cells.Select((c, i) => c switch { long n => n.ToString(CultureInfo.InvariantCulture), null => "", _ => Word(c.ToString()!, Definition.Columns[i]) }).ToArray();
            }
        }

        var name = $"bao-cao-{Report}-{ProvinceCode}{(Query.Commune is null ? "" : "-" + Query.Commune)}-{Query.From}{(Query.From == Query.To ? "" : "_" + Query.To)}.xlsx";
        await AuditAsync("download", ct);
        // The zip writer writes synchronously: into a temporary file (memory stays bounded), then streamed out.
        var temp = new FileStream(Path.GetTempFileName(), FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        await XlsxWriter.WriteAsync(temp, [(Texts.Get("Report." + Report), Lines())], ct);
        temp.Position = 0;
        return File(temp, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name);
    }

    private Task AuditAsync(string action, CancellationToken ct) =>
        db.AppendAuditAsync(action, "report", Report, ProvinceCode, new { commune = Query.Commune, from = Query.From.ToString(), to = Query.To.ToString() },
            User.Identity!.Name!, null, time.GetUtcNow(), ct);

    /// <summary>Codes the queries return (a change, a channel, a status) in the user's words, by the column's own prefix if it has one; other text as it is.</summary>
    public static string Word(string value, ReportColumn column)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(column);
        var prefix = column.Words ?? "Report.Code.";
        var code = value.Split(':', 2)[0];
        var rest = value.Length > code.Length ? value[code.Length..] : "";
        var label = Texts.Get(prefix + code);
        return label == prefix + code ? value : label + rest;
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var scope = UserScope.From(User);
        if (await Reports.ResolveAsync(db, scope, ProvinceCode, Report, Commune, From, To, time, ct) is not { } r)
        {
            return false;
        }

        (Definition, Query, ProvinceName, CommuneName) = r;
        (Commune, From, To) = (Query.Commune, Query.From.ToString(), Query.To.ToString());
        Communes = await db.Communes.AsNoTracking().InScope(scope).Where(c => c.ProvinceCode == ProvinceCode).OrderBy(c => c.Name).ToListAsync(ct);
        return true;
    }
}
