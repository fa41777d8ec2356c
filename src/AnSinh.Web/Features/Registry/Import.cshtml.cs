using System.Text;
using AnSinh.Web.Features.Registry.Import;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace AnSinh.Web.Features.Registry;

/// <summary>Import a legacy list: download the template, check the file (every problem by row and column), then write it all.</summary>
[Authorize(Policy = Policies.RegistryWrite)]
public sealed class ImportModel(ImportCommands commands) : PageModel
{
    public const int ProblemsShown = 500;

    [BindProperty(SupportsGet = true)] public long? BatchId { get; set; }
    [BindProperty] public IFormFile? Upload { get; set; }

    public ImportReport? Report { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (BatchId is { } id && (Report = await commands.ReportAsync(UserScope.From(User), id, ct)) is null)
        {
            return NotFound();
        }

        return Page();
    }

    public async Task<IActionResult> OnGetTemplateAsync(string? format, CancellationToken ct) => format == "xlsx"
        ? File(await ImportTemplate.XlsxAsync(ct), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "mau-danh-sach-doi-tuong.xlsx")
        : File(ImportTemplate.Csv(), "text/csv; charset=utf-8", "mau-danh-sach-doi-tuong.csv");

    public async Task<IActionResult> OnGetProblemsAsync(long batchId, CancellationToken ct)
    {
        var report = await commands.ReportAsync(UserScope.From(User), batchId, ct);
        if (report is null)
        {
            return NotFound();
        }

        var sb = new StringBuilder("dong,cot,loi\n");
        foreach (var p in report.Problems)
        {
            sb.Append(p.Row).Append(',').Append(Csv(p.Field)).Append(',').Append(Csv(p.Message)).Append('\n');
        }

        return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(sb.ToString())).ToArray(), "text/csv; charset=utf-8", $"loi-nhap-{batchId}.csv");
    }

    public async Task<IActionResult> OnPostCheckAsync(CancellationToken ct)
    {
        if (Upload is null || Upload.Length == 0)
        {
            ModelState.AddModelError(nameof(Upload), "Chọn tệp danh sách (.xlsx hoặc .csv).");
            return Page();
        }

        using var buffer = new MemoryStream();
        await Upload.CopyToAsync(buffer, ct);
        var (report, error) = await commands.DryRunAsync(UserScope.From(User), Upload.FileName, buffer.ToArray(), User.Identity!.Name!, ct);
        if (error is not null)
        {
            error.AddTo(ModelState);

            return Page();
        }

        return Redirect($"/Registry/Import?batchId={report!.BatchId}");
    }

    public async Task<IActionResult> OnPostCommitAsync(CancellationToken ct)
    {
        var (_, error) = await commands.CommitAsync(UserScope.From(User), BatchId ?? 0, User.Identity!.Name!, ct);
        if (error?.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }

        if (error is not null)
        {
            ModelState.AddModelError("", error.Message);
        }

        Report = await commands.ReportAsync(UserScope.From(User), BatchId ?? 0, ct);
        return Page();
    }

    private static string Csv(string s) => "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
