using Microsoft.AspNetCore.Http.HttpResults;
using AnSinh.Web.Security;

namespace AnSinh.Web.Features.Registry.Import;

/// <summary>/api/v1/registry/imports: dry run (a file in, a per-row report out), report, commit, and the template.</summary>
public static class ImportApi
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/registry/imports").WithTags("Registry import");
        g.MapGet("/template", Template).RequireAuthorization(Policies.RegistryWrite);
        // A form upload with the cookie: the antiforgery token is required (field __RequestVerificationToken).
        g.MapPost("/", DryRun).RequireAuthorization(Policies.RegistryWrite);
        g.MapGet("/{importId:long}", Report).RequireAuthorization(Policies.RegistryWrite);
        g.MapPost("/{importId:long}/commit", Commit).RequireAuthorization(Policies.RegistryWrite);
    }

    public static async Task<FileContentHttpResult> Template(string? format, CancellationToken ct) => format == "xlsx"
        ? TypedResults.File(await ImportTemplate.XlsxAsync(ct), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "mau-danh-sach-doi-tuong.xlsx")
        : TypedResults.File(ImportTemplate.Csv(), "text/csv; charset=utf-8", "mau-danh-sach-doi-tuong.csv");

    public static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> DryRun(IFormFile file, ImportCommands commands, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        using var buffer = new MemoryStream();
        await file.CopyToAsync(buffer, ct);
        var (report, error) = await commands.DryRunAsync(UserScope.From(http.User), file.FileName, buffer.ToArray(), http.User.Identity!.Name!, ct);
        return error is not null ? error.ToProblem() : TypedResults.Ok(report!);
    }

    public static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> Report(long importId, ImportCommands commands, HttpContext http, CancellationToken ct) =>
        await commands.ReportAsync(UserScope.From(http.User), importId, ct) is { } report ? TypedResults.Ok(report) : RegistryError.NotFound("import").ToProblem();

    public static async Task<Results<Ok<ImportReport>, ProblemHttpResult>> Commit(long importId, ImportCommands commands, HttpContext http, CancellationToken ct)
    {
        var (report, error) = await commands.CommitAsync(UserScope.From(http.User), importId, http.User.Identity!.Name!, ct);
        return error is not null ? error.ToProblem() : TypedResults.Ok(report!);
    }
}
