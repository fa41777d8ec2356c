using AnSinh.Core.Payroll;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace AnSinh.Web.Features.Payroll;

/// <summary>Outcomes sent as JSON: the same rows as the generic results file.</summary>
public sealed record OutcomesRequest(IReadOnlyList<OutcomeRow> Rows, bool DryRun);

/// <summary>A page of a run's lines, each with its items (the derivation that explains it).</summary>
public sealed record LinesPage(int Page, IReadOnlyList<LineView> Lines, IReadOnlyList<ItemView> Items);

/// <summary>
/// /api/v1/payroll/{province}: runs and their steps. Preparing is for the province's officers, approving for its
/// approvers (never the preparer), confirming a commune's part for that commune's officers; reading for the place's
/// staff, a commune's staff seeing only their commune's lines.
/// </summary>
public static class PayrollApi
{
    public const int MaxOutcomeRows = 500_000;

    public static void Map(IEndpointRouteBuilder v1)
    {
        v1.MapGet("/registry/people/{personId:long}/ledger", PersonLedger.Get).WithTags("Payroll").RequireAuthorization(Policies.PlaceData);
        var g = v1.MapGroup("/payroll/{provinceCode}").WithTags("Payroll");
        g.MapGet("/runs", List).RequireAuthorization(Policies.PlaceData);
        g.MapGet("/uncollected", Uncollected.Get).RequireAuthorization(Policies.PlaceData);
        g.MapGet("/debts", Debts.Get).RequireAuthorization(Policies.PlaceData);
        g.MapPost("/debts/waive", Debts.Waive).RequireAuthorization(Policies.PayrollApprove);
        g.MapPost("/runs", Start).RequireAuthorization(Policies.PayrollPrepare);
        g.MapGet("/runs/{runId:long}", Get).RequireAuthorization(Policies.PlaceData);
        g.MapGet("/runs/{runId:long}/totals", Totals).RequireAuthorization(Policies.PlaceData);
        g.MapGet("/runs/{runId:long}/lines", Lines).RequireAuthorization(Policies.PlaceData);
        g.MapGet("/runs/{runId:long}/diff", Diff).RequireAuthorization(Policies.PlaceData);
        g.MapGet("/runs/{runId:long}/problems", Problems).RequireAuthorization(Policies.PlaceData);
        g.MapGet("/runs/{runId:long}/money-request", Money).RequireAuthorization(Policies.PlaceData);
        foreach (var (path, action) in new[] { ("recompute", RunAction.Recompute), ("submit", RunAction.Submit), ("discard", RunAction.Discard), ("sent", RunAction.MarkSent) })
        {
            g.MapPost($"/runs/{{runId:long}}/{path}", (string provinceCode, long runId, [FromBody] RunStepRequest? r, PayrollRuns runs, AppDbContext db, HttpContext http, CancellationToken ct) =>
                Step(provinceCode, runId, action, r, runs, db, http, ct)).RequireAuthorization(Policies.PayrollPrepare);
        }

        foreach (var (path, action) in new[] { ("approve", RunAction.Approve), ("return", RunAction.Return) })
        {
            g.MapPost($"/runs/{{runId:long}}/{path}", (string provinceCode, long runId, [FromBody] RunStepRequest? r, PayrollRuns runs, AppDbContext db, HttpContext http, CancellationToken ct) =>
                Step(provinceCode, runId, action, r, runs, db, http, ct)).RequireAuthorization(Policies.PayrollApprove);
        }

        g.MapPost("/runs/{runId:long}/communes/{communeCode}/confirm", Confirm).RequireAuthorization(Policies.RegistryWrite);
        g.MapPost("/runs/{runId:long}/outcomes", Outcomes).RequireAuthorization(Policies.PayrollPrepare);
        g.MapPost("/runs/{runId:long}/outcomes/file", OutcomesFile).RequireAuthorization(Policies.PayrollPrepare).DisableAntiforgery();
    }

    private static string Actor(HttpContext http) => http.User.Identity?.Name ?? "?";

    public static async Task<Ok<IReadOnlyList<RunView>>> List(string provinceCode, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await RunQueries.ViewsAsync(db, await RunQueries.ListAsync(db, provinceCode, ct), ct));

    public static async Task<Results<Accepted<RunView>, ProblemHttpResult>> Start(string provinceCode, StartRunRequest r, PayrollRuns runs, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var (run, error) = await runs.StartAsync(provinceCode, r, Actor(http), ct);
        return error is null
            ? TypedResults.Accepted($"/api/v1/payroll/{provinceCode}/runs/{run!.Id}", await RunQueries.ViewAsync(db, run, ct))
            : error.ToTyped<Accepted<RunView>>();
    }

    public static async Task<Results<Ok<RunView>, ProblemHttpResult>> Get(string provinceCode, long runId, AppDbContext db, CancellationToken ct) =>
        await RunQueries.ViewAsync(db, provinceCode, runId, ct) is { } view ? TypedResults.Ok(view) : RegistryError.NotFound("payroll_run").ToProblem();

    public static async Task<Results<Ok<RunView>, ProblemHttpResult>> Step(string provinceCode, long runId, RunAction action, RunStepRequest? r, PayrollRuns runs,
        AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var (run, error) = await runs.StepAsync(provinceCode, runId, action, r, Actor(http), ct);
        // The step is done: reading it back is retried too, so a failover between the two never reports a done step as failed.
        return error is null ? TypedResults.Ok(await LostConnection.RetryAsync(db, _ => RunQueries.ViewAsync(db, run!, ct), ct)) : error.ToTyped<Ok<RunView>>();
    }

    public static async Task<Results<Ok<PayrollConfirmation>, ProblemHttpResult>> Confirm(string provinceCode, long runId, string communeCode, PayrollRuns runs, HttpContext http, CancellationToken ct)
    {
        var (confirmation, error) = await runs.ConfirmAsync(UserScope.From(http.User), provinceCode, runId, communeCode, Actor(http), ct);
        return error is null ? TypedResults.Ok(confirmation!) : error.ToTyped<Ok<PayrollConfirmation>>();
    }

    public static async Task<Results<Ok<IReadOnlyList<RunTotal>>, ProblemHttpResult>> Totals(string provinceCode, long runId, string? by, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        if (!await RunQueries.ExistsAsync(db, provinceCode, runId, ct))
        {
            return RegistryError.NotFound("payroll_run").ToProblem();
        }

        return TypedResults.Ok(await RunQueries.TotalsAsync(db, runId, by ?? "commune", UserScope.From(http.User), ct));
    }

    /// <summary>GET ?commune=&amp;person=&amp;point=&amp;uncollected=true&amp;page=: a page of lines with their items.</summary>
    public static async Task<Results<Ok<LinesPage>, ProblemHttpResult>> Lines(string provinceCode, long runId, string? commune, long? person, long? point, bool? uncollected, int? page,
        AppDbContext db, HttpContext http, CancellationToken ct)
    {
        if (!await RunQueries.ExistsAsync(db, provinceCode, runId, ct))
        {
            return RegistryError.NotFound("payroll_run").ToProblem();
        }

        var lines = await RunQueries.LinesAsync(db, runId, UserScope.From(http.User), commune, person, page ?? 0, ct, point, uncollected == true);
        var items = await RunQueries.ItemsAsync(db, runId, [.. lines.Select(l => l.LineNo)], ct);
        return TypedResults.Ok(new LinesPage(page ?? 0, lines, items));
    }

    public static async Task<Results<Ok<RunDiffView>, ProblemHttpResult>> Diff(string provinceCode, long runId, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var run = await RunQueries.FindAsync(db, provinceCode, runId, ct);
        return run is null ? RegistryError.NotFound("payroll_run").ToProblem() : TypedResults.Ok(await RunDiff.ForAsync(db, run, UserScope.From(http.User), ct));
    }

    public static async Task<Results<Ok<List<ProblemView>>, ProblemHttpResult>> Problems(string provinceCode, long runId, AppDbContext db, HttpContext http, CancellationToken ct) =>
        !await RunQueries.ExistsAsync(db, provinceCode, runId, ct) ? RegistryError.NotFound("payroll_run").ToProblem()
            : TypedResults.Ok(await RunQueries.ProblemsAsync(db, runId, UserScope.From(http.User), ct));

    public static async Task<Results<Ok<MoneyRequestView>, ProblemHttpResult>> Money(string provinceCode, long runId, AppDbContext db, CancellationToken ct) =>
        await MoneyRequest.ForAsync(db, provinceCode, runId, ct) is { } view ? TypedResults.Ok(view) : RegistryError.NotFound("payroll_run").ToProblem();

    public static async Task<Results<Ok<OutcomeReport>, ProblemHttpResult>> Outcomes(string provinceCode, long runId, OutcomesRequest r, PayrollOutcomes outcomes,
        HttpContext http, CancellationToken ct)
    {
        if (r.Rows is null || r.Rows.Count == 0 || r.Rows.Count > MaxOutcomeRows)
        {
            return RegistryError.Invalid("Rows", Hosting.Texts.Get("Outcome.RowsBounds", MaxOutcomeRows)).ToTyped<Ok<OutcomeReport>>();
        }

        var (report, error) = await outcomes.RecordAsync(provinceCode, runId, [.. r.Rows.Select((o, i) => (i + 1, o))], "api", r.DryRun, Actor(http), ct);
        return error is null ? TypedResults.Ok(report!) : error.ToTyped<Ok<OutcomeReport>>();
    }

    public static async Task<Results<Ok<OutcomeReport>, ProblemHttpResult>> OutcomesFile(string provinceCode, long runId, IFormFile? file, bool? dryRun,
        PayrollOutcomes outcomes, HttpContext http, CancellationToken ct)
    {
        var (bytes, error) = await ReadUploadAsync(file, ct);
        if (error is not null)
        {
            return error.ToTyped<Ok<OutcomeReport>>();
        }

        var (rows, fileError) = PayrollOutcomes.ReadFile(file!.FileName, bytes!);
        if (fileError is not null)
        {
            return TypedResults.Ok(new OutcomeReport(0, 0, 0, [fileError], false, false));
        }

        var (report, commandError) = await outcomes.RecordAsync(provinceCode, runId, rows, PayrollOutcomes.SourceOf(file.FileName, bytes!), dryRun ?? false, Actor(http), ct);
        return commandError is null ? TypedResults.Ok(report!) : commandError.ToTyped<Ok<OutcomeReport>>();
    }

    /// <summary>An uploaded results file, read up to one byte past its limit and not further.</summary>
    public static async Task<(byte[]? Bytes, RegistryError? Error)> ReadUploadAsync(IFormFile? file, CancellationToken ct)
    {
        if (file is null || file.Length == 0)
        {
            return (null, RegistryError.Invalid("file", Hosting.Texts.Get("Outcome.FileMissing")));
        }

        var bytes = await Scans.ReadBoundedAsync(file, ct, PayrollOutcomes.MaxFileBytes);
        return bytes.Length > PayrollOutcomes.MaxFileBytes
            ? (null, RegistryError.Invalid("file", Hosting.Texts.Get("Outcome.FileTooLarge", PayrollOutcomes.MaxFileBytes / 1024 / 1024)))
            : (bytes, null);
    }
}
