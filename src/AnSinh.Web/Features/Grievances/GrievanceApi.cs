using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Grievances;

/// <summary>A grievance received by an officer's system (a hotline, the province's one-stop desk): the person named by their card.</summary>
public sealed record GrievanceIntake(
    string Kind, string Channel, string Topic, string FilerName, string Summary, string? CommuneCode = null, string? FilerPhone = null, string? FilerAddress = null,
    DateOnly? ReceivedOn = null, string? CitizenId = null);

public sealed record GrievanceAssignment(string Assignee);

public sealed record GrievancePerson(string CitizenId);

public sealed record GrievanceWithdrawal(string Reason);

/// <summary>One grievance with the registry action its answer linked and the papers kept with it.</summary>
public sealed record GrievanceView(Grievance Grievance, GrievanceActionLink? Action, IReadOnlyList<GrievanceDocumentRow> Documents);

/// <summary>
/// /api/v1: a province's grievances (list and receive) and one grievance's steps (accept, name the person, answer,
/// withdraw), the same commands as the pages. Reads need <see cref="Policies.PlaceData"/>, steps
/// <see cref="Policies.GrievanceWrite"/>; a grievance outside the user's province or commune answers 404.
/// </summary>
public static class GrievanceApi
{
    public const int MaxListed = 500;

    public static void Map(IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("").WithTags("Grievances");
        g.MapGet("/provinces/{provinceCode}/grievances", List).RequireAuthorization(Policies.PlaceData);
        g.MapPost("/provinces/{provinceCode}/grievances", Receive).RequireAuthorization(Policies.GrievanceWrite);
        g.MapGet("/grievances/{grievanceId:long}", Get).RequireAuthorization(Policies.PlaceData);
        g.MapPost("/grievances/{grievanceId:long}/accept", Accept).RequireAuthorization(Policies.GrievanceWrite);
        g.MapPost("/grievances/{grievanceId:long}/person", LinkPerson).RequireAuthorization(Policies.GrievanceWrite);
        g.MapPost("/grievances/{grievanceId:long}/answer", Answer).RequireAuthorization(Policies.GrievanceWrite);
        g.MapPost("/grievances/{grievanceId:long}/withdraw", Withdraw).RequireAuthorization(Policies.GrievanceWrite);
        // Cross-site posts are refused by SameOriginApi, as for every API call; the form's token is the pages' defence.
        g.MapPost("/grievances/{grievanceId:long}/documents", Attach).RequireAuthorization(Policies.GrievanceWrite).DisableAntiforgery();
        g.MapGet("/grievances/{grievanceId:long}/documents/{documentId:long}", Download).RequireAuthorization(Policies.PlaceData);
    }

    /// <summary>GET ?show=open|overdue|answered|all&amp;mine=true&amp;commune=&amp;search= (a code or part of the filer's name): at most 500, most urgent first.</summary>
    public static async Task<Results<Ok<IReadOnlyList<Grievance>>, ProblemHttpResult>> List(string provinceCode, string? show, bool? mine, string? commune, string? search,
        AppDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var scope = UserScope.From(http.User);
        if (!scope.CoversProvince(provinceCode) || await db.ProvinceNameAsync(provinceCode, ct) is null)
        {
            return RegistryError.NotFound("province").ToProblem();
        }

        IReadOnlyList<Grievance> items = await db.Grievances.AsNoTracking().WhereInScope(scope).Where(g => g.ProvinceCode == provinceCode)
            .Listed(show, mine == true ? Actor(http) : null, time.VietnamToday(), commune, search).Take(MaxListed).ToListAsync(ct);
        return TypedResults.Ok(items);
    }

    public static async Task<Results<Created<GrievanceView>, ProblemHttpResult>> Receive(string provinceCode, GrievanceIntake r, GrievanceCommands commands, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        var (g, error) = await commands.FileAsync(UserScope.From(http.User), new GrievanceRequest(provinceCode, r.CommuneCode, r.Kind, r.Channel, r.Topic, r.FilerName, r.FilerPhone,
            r.FilerAddress, r.Summary, r.ReceivedOn, CitizenId: string.IsNullOrWhiteSpace(r.CitizenId) ? null : r.CitizenId), Actor(http), ct);
        return error is not null ? error.ToProblem() : TypedResults.Created($"/api/v1/grievances/{g!.Id}", new GrievanceView(g, null, []));
    }

    public static async Task<Results<Ok<GrievanceView>, ProblemHttpResult>> Get(long grievanceId, AppDbContext db, HttpContext http, CancellationToken ct) =>
        await ViewAsync(db, http, grievanceId, ct);

    public static async Task<Results<Ok<GrievanceView>, ProblemHttpResult>> Accept(long grievanceId, GrievanceAssignment r, GrievanceCommands commands, AppDbContext db, HttpContext http, CancellationToken ct) =>
        await StepAsync(db, http, grievanceId, scope => commands.AcceptAsync(scope, grievanceId, r?.Assignee ?? "", Actor(http), ct), ct);

    public static async Task<Results<Ok<GrievanceView>, ProblemHttpResult>> LinkPerson(long grievanceId, GrievancePerson r, GrievanceCommands commands, AppDbContext db, HttpContext http, CancellationToken ct) =>
        await StepAsync(db, http, grievanceId, scope => commands.LinkPersonAsync(scope, grievanceId, r?.CitizenId, Actor(http), ct), ct);

    /// <summary>The written answer; <c>decisionId</c> or <c>proposalId</c> names the person's registry action it led to.</summary>
    public static async Task<Results<Ok<GrievanceView>, ProblemHttpResult>> Answer(long grievanceId, GrievanceAnswer r, GrievanceCommands commands, AppDbContext db, HttpContext http, CancellationToken ct) =>
        await StepAsync(db, http, grievanceId, scope => commands.AnswerAsync(scope, grievanceId, r, Actor(http), ct), ct);

    public static async Task<Results<Ok<GrievanceView>, ProblemHttpResult>> Withdraw(long grievanceId, GrievanceWithdrawal r, GrievanceCommands commands, AppDbContext db, HttpContext http, CancellationToken ct) =>
        await StepAsync(db, http, grievanceId, scope => commands.WithdrawAsync(scope, grievanceId, r?.Reason, Actor(http), ct), ct);

    /// <summary>POST multipart: <c>kind</c> (letter, evidence, signed_answer) and <c>file</c> (PDF, JPEG or PNG up to 5 MB).</summary>
    public static async Task<Results<Ok<GrievanceView>, ProblemHttpResult>> Attach(long grievanceId, IFormFile? file, [Microsoft.AspNetCore.Mvc.FromForm] string? kind, GrievanceCommands commands,
        AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var content = await Scans.ReadBoundedAsync(file, ct);
        return await StepAsync(db, http, grievanceId, async scope => (await commands.AttachAsync(scope, grievanceId, kind ?? "", file?.FileName, content, Actor(http), ct)).Error, ct);
    }

    public static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Download(long grievanceId, long documentId, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var doc = await GrievanceDocumentRows.OpenAsync(db, UserScope.From(http.User), grievanceId, documentId, ct);
        return doc is null ? RegistryError.NotFound("grievance").ToProblem() : TypedResults.File(doc.Content, doc.ContentType, doc.FileName);
    }

    private static async Task<Results<Ok<GrievanceView>, ProblemHttpResult>> StepAsync(AppDbContext db, HttpContext http, long id, Func<UserScope, Task<RegistryError?>> step, CancellationToken ct) =>
        await step(UserScope.From(http.User)) is { } error ? error.ToProblem() : await ViewAsync(db, http, id, ct);

    private static async Task<Results<Ok<GrievanceView>, ProblemHttpResult>> ViewAsync(AppDbContext db, HttpContext http, long id, CancellationToken ct)
    {
        var g = await db.Grievances.AsNoTracking().WhereInScope(UserScope.From(http.User)).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (g is null)
        {
            return RegistryError.NotFound("grievance").ToProblem();
        }

        return TypedResults.Ok(new GrievanceView(g, await GrievanceActions.ReadAsync(db, g, ct), await GrievanceDocumentRows.ForAsync(db, g.Id, ct)));
    }

    private static string Actor(HttpContext http) => http.User.Identity?.Name ?? "?";
}
