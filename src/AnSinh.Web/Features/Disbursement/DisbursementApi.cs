using AnSinh.Core.Payroll;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Payroll;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Disbursement;

/// <summary>A run's reconciliation: by payer and point, the money per payer with its settlement, and the exceptions.</summary>
public sealed record ReconciliationView(IReadOnlyList<ReconRow> Rows, IReadOnlyList<PayerMoney> Money, IReadOnlyList<ExceptionView> Exceptions);

/// <summary>A run as a payer sees it: the month, its state, and how many of the payer's lines and đồng it carries.</summary>
public sealed record PayerRunView(long RunId, string ProvinceCode, DateOnly Month, string Status, int Lines, long Total);

/// <summary>
/// Files, results, reconciliation and settlement. Under /payroll/{province}: the province's officers queue files, record
/// transfers and resolve exceptions. Under /payers/{payer}: the payer's clerks and systems (API token) list runs,
/// download files and upload results; the province's officers may act there too. Every download is audited.
/// </summary>
public static class DisbursementApi
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/payroll/{provinceCode}").WithTags("Disbursement");
        g.MapPost("/runs/{runId:long}/files", RequestFiles).RequireAuthorization(Policies.PayrollPrepare);
        g.MapGet("/runs/{runId:long}/files", Files).RequireAuthorization(Policies.Reconcile);
        g.MapGet("/runs/{runId:long}/reconciliation", Reconcile).RequireAuthorization(Policies.Reconcile);
        g.MapPost("/runs/{runId:long}/transfers", Transfer).RequireAuthorization(Policies.PayrollPrepare);
        g.MapPost("/exceptions/{exceptionId:long}/resolve", Resolve).RequireAuthorization(Policies.Reconcile);
        g.MapGet("/runs/{runId:long}/settlements/{payerId:long}", Settlement).RequireAuthorization(Policies.Reconcile);

        var a = v1.MapGroup("/admin/api-tokens").WithTags("Payer exchange").RequireAuthorization(Policies.Admin);
        a.MapGet("", async (AppDbContext db, CancellationToken ct) => TypedResults.Ok((IReadOnlyList<ApiTokenView>)await ApiTokens.ListAsync(db, ct)));
        a.MapPost("", CreateToken);
        a.MapPost("/{tokenId:long}/revoke", async Task<Results<NoContent, ProblemHttpResult>> (long tokenId, AppDbContext db, TimeProvider time, HttpContext http, CancellationToken ct) =>
            await ApiTokens.RevokeAsync(db, time, tokenId, Actor(http), ct) is { } error ? error.ToTyped<NoContent>() : TypedResults.NoContent());

        var p = v1.MapGroup("/payers/{payerId:long}").WithTags("Payer exchange").RequireAuthorization(Policies.PayerExchange);
        p.MapGet("/runs", PayerRuns);
        p.MapGet("/runs/{runId:long}/files", PayerRunFiles);
        p.MapGet("/files/{fileId:long}", Download).Produces(StatusCodes.Status200OK, contentType: "application/octet-stream");
        p.MapPost("/runs/{runId:long}/results", Results).DisableAntiforgery();
        p.MapGet("/runs/{runId:long}/reconciliation", PayerReconciliation);
    }

    private static string Actor(HttpContext http) => http.User.Identity?.Name ?? "?";

    public static async Task<Results<Accepted<IReadOnlyList<PayerFileView>>, ProblemHttpResult>> RequestFiles(string provinceCode, long runId, AppDbContext db, TimeProvider time,
        FileQueue queue, HttpContext http, CancellationToken ct)
    {
        var (_, error) = await PayerFiles.RequestAsync(db, time, provinceCode, runId, Actor(http), ct);
        if (error is not null)
        {
            return error.ToTyped<Accepted<IReadOnlyList<PayerFileView>>>();
        }

        queue.Signal();
        return TypedResults.Accepted($"/api/v1/payroll/{provinceCode}/runs/{runId}/files", (IReadOnlyList<PayerFileView>)await PayerFiles.ListAsync(db, runId, null, ct));
    }

    public static async Task<Results<Ok<IReadOnlyList<PayerFileView>>, ProblemHttpResult>> Files(string provinceCode, long runId, AppDbContext db, CancellationToken ct) =>
        await RunQueries.ExistsAsync(db, provinceCode, runId, ct)
            ? TypedResults.Ok((IReadOnlyList<PayerFileView>)await PayerFiles.ListAsync(db, runId, null, ct))
            : RegistryError.NotFound("payroll_run").ToProblem();

    public static async Task<Results<Ok<ReconciliationView>, ProblemHttpResult>> Reconcile(string provinceCode, long runId, AppDbContext db, CancellationToken ct) =>
        await RunQueries.ExistsAsync(db, provinceCode, runId, ct)
            ? TypedResults.Ok(new ReconciliationView(await Reconciliation.RowsAsync(db, runId, null, ct), await Reconciliation.MoneyAsync(db, runId, null, ct),
                await Reconciliation.ExceptionsAsync(db, provinceCode, runId, null, false, ct)))
            : RegistryError.NotFound("payroll_run").ToProblem();

    public static async Task<Results<NoContent, ProblemHttpResult>> Transfer(string provinceCode, long runId, TransferRequest r, AppDbContext db, TimeProvider time,
        HttpContext http, CancellationToken ct) =>
        await Reconciliation.RecordTransferAsync(db, time, provinceCode, runId, r, Actor(http), ct) is { } error ? error.ToTyped<NoContent>() : TypedResults.NoContent();

    public static async Task<Results<Ok<ExceptionView>, ProblemHttpResult>> Resolve(string provinceCode, long exceptionId, ResolveRequest r, AppDbContext db, TimeProvider time,
        HttpContext http, CancellationToken ct)
    {
        var approver = http.User.IsInRole(Roles.ProvinceApprover) || http.User.IsInRole(Roles.Admin);
        var (view, error) = await Reconciliation.ResolveAsync(db, time, provinceCode, exceptionId, r, Actor(http), approver, ct);
        return error is null ? TypedResults.Ok(view!) : error.ToTyped<Ok<ExceptionView>>();
    }

    public static async Task<Results<Ok<SettlementView>, ProblemHttpResult>> Settlement(string provinceCode, long runId, long payerId, AppDbContext db, CancellationToken ct) =>
        await Settlements.ForAsync(db, provinceCode, runId, payerId, null, ct) is { } view ? TypedResults.Ok(view) : RegistryError.NotFound("settlement").ToProblem();

    public static async Task<Results<Created<CreatedToken>, ProblemHttpResult>> CreateToken(CreateTokenRequest r, AppDbContext db, TimeProvider time, HttpContext http, CancellationToken ct)
    {
        var (token, error) = await ApiTokens.CreateAsync(db, time, r, Actor(http), ct);
        return error is null ? TypedResults.Created($"/api/v1/admin/api-tokens/{token!.Token.Id}", token) : error.ToTyped<Created<CreatedToken>>();
    }

    /// <summary>The payer, if this user may act for it; null answers 404 (never saying whether another payer exists).</summary>
    private static async Task<Payment.Payer?> PayerAsync(AppDbContext db, HttpContext http, long payerId, CancellationToken ct)
    {
        var payer = await db.Payers.AsNoTracking().FirstOrDefaultAsync(p => p.Id == payerId, ct);
        return payer is not null && PayerAccess.Allows(http.User, payer.Id, payer.ProvinceCode) ? payer : null;
    }

    /// <summary>The run, if it belongs to the payer's province, is approved or later, and has lines for the payer.</summary>
    private static async Task<PayrollRun?> RunAsync(AppDbContext db, Payment.Payer payer, long runId, CancellationToken ct)
    {
        var run = await RunQueries.FindAsync(db, payer.ProvinceCode, runId, ct);
        return run is not null && PayerFiles.Ready(run.State) && await db.Database.SqlQuery<bool>(
            $"SELECT EXISTS (SELECT 1 FROM payroll_line WHERE run_id = {runId} AND payer_id = {payer.Id}) AS \"Value\"").FirstAsync(ct) ? run : null;
    }

    public static async Task<Results<Ok<IReadOnlyList<PayerRunView>>, ProblemHttpResult>> PayerRuns(long payerId, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        if (await PayerAsync(db, http, payerId, ct) is not { } payer)
        {
            return RegistryError.NotFound("payer").ToProblem();
        }

        return TypedResults.Ok((IReadOnlyList<PayerRunView>)await RunsOfAsync(db, payer.Id, ct));
    }

    public static Task<List<PayerRunView>> RunsOfAsync(AppDbContext db, long payerId, CancellationToken ct) =>
        db.Database.SqlQuery<PayerRunView>($"""
            SELECT r.id AS "RunId", r.province_code AS "ProvinceCode", r.month AS "Month", r.status AS "Status", x.lines AS "Lines", x.total AS "Total"
            FROM payroll_run r JOIN LATERAL (SELECT count(*)::int AS lines, sum(total)::bigint AS total FROM payroll_line l WHERE l.run_id = r.id AND l.payer_id = {payerId}) x ON x.lines > 0
            WHERE r.status IN ('approved', 'sent', 'closed') AND r.province_code = (SELECT province_code FROM payer WHERE id = {payerId})
            ORDER BY r.month DESC LIMIT 36
            """).ToListAsync(ct);

    public static async Task<Results<Ok<IReadOnlyList<PayerFileView>>, ProblemHttpResult>> PayerRunFiles(long payerId, long runId, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        if (await PayerAsync(db, http, payerId, ct) is not { } payer || await RunAsync(db, payer, runId, ct) is null)
        {
            return RegistryError.NotFound("payroll_run").ToProblem();
        }

        return TypedResults.Ok((IReadOnlyList<PayerFileView>)await PayerFiles.ListAsync(db, runId, payerId, ct));
    }

    public static async Task<Results<PushStreamHttpResult, ProblemHttpResult>> Download(long payerId, long fileId, AppDbContext db, TimeProvider time, HttpContext http,
        CancellationToken ct)
    {
        var file = await PayerFiles.FindAsync(db, fileId, ct);
        if (file is null || file.PayerId != payerId || await PayerAsync(db, http, payerId, ct) is null)
        {
            return RegistryError.NotFound("payer_file").ToProblem();
        }

        if (file.Status != "ready")
        {
            return RegistryError.Conflict(Hosting.Texts.Get("PayerFile.NotReady")).ToProblem();
        }

        http.Response.Headers["X-Content-SHA256"] = file.Sha256;
        var actor = Actor(http);
        return TypedResults.Stream(body => PayerFiles.CopyToAsync(db, time, file, actor, body, ct), PayerFiles.ContentType(file.Kind), file.FileName);
    }

    public static async Task<Results<Ok<OutcomeReport>, ProblemHttpResult>> Results(long payerId, long runId, IFormFile file, [FromQuery] bool? dryRun, AppDbContext db,
        PayrollOutcomes outcomes, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(file);
        if (await PayerAsync(db, http, payerId, ct) is not { } payer || await RunAsync(db, payer, runId, ct) is null)
        {
            return RegistryError.NotFound("payroll_run").ToProblem();
        }

        var (report, error) = await PayerResults.UploadAsync(db, outcomes, payer.ProvinceCode, runId, payerId, file, dryRun ?? true, Actor(http), ct);
        return error is null ? TypedResults.Ok(report!) : error.ToTyped<Ok<OutcomeReport>>();
    }

    public static async Task<Results<Ok<ReconciliationView>, ProblemHttpResult>> PayerReconciliation(long payerId, long runId, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        if (await PayerAsync(db, http, payerId, ct) is not { } payer || await RunAsync(db, payer, runId, ct) is null)
        {
            return RegistryError.NotFound("payroll_run").ToProblem();
        }

        return TypedResults.Ok(new ReconciliationView(await Reconciliation.RowsAsync(db, runId, payerId, ct), await Reconciliation.MoneyAsync(db, runId, payerId, ct),
            await Reconciliation.ExceptionsAsync(db, payer.ProvinceCode, runId, payerId, false, ct)));
    }
}
