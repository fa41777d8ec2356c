using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Rules;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

/// <summary>
/// /api/v1/registry: people, applications and changes. Reads need <see cref="Policies.PlaceData"/>, writes
/// <see cref="Policies.RegistryWrite"/>, decisions <see cref="Policies.Decide"/>; every query and command is also
/// limited to the user's province or commune (a record outside it answers 404).
/// </summary>
public static class RegistryApi
{
    public static void Map(IEndpointRouteBuilder v1)
    {
        var g = v1.MapGroup("/registry").WithTags("Registry");
        g.MapGet("/people", Search).RequireAuthorization(Policies.PlaceData);
        g.MapPost("/people", CreatePerson).RequireAuthorization(Policies.RegistryWrite);
        g.MapGet("/people/{personId:long}", Person).RequireAuthorization(Policies.PlaceData);
        g.MapPut("/people/{personId:long}", CorrectPerson).RequireAuthorization(Policies.RegistryWrite);
        g.MapGet("/people/{personId:long}/months", Months).RequireAuthorization(Policies.PlaceData);
        g.MapPost("/people/{personId:long}/enrolments/{programme}/changes", Change).RequireAuthorization(Policies.RegistryWrite);
        g.MapPost("/applications", Receive).RequireAuthorization(Policies.RegistryWrite);
        g.MapGet("/applications/{applicationId:long}", GetApplication).RequireAuthorization(Policies.PlaceData);
        g.MapPost("/applications/{applicationId:long}/check", Check).RequireAuthorization(Policies.RegistryWrite);
        g.MapPost("/applications/{applicationId:long}/post", Post).RequireAuthorization(Policies.RegistryWrite);
        g.MapPost("/applications/{applicationId:long}/withdraw", Withdraw).RequireAuthorization(Policies.RegistryWrite);
        g.MapPost("/applications/{applicationId:long}/decision", Decide).RequireAuthorization(Policies.Decide);
        g.MapGet("/overdue", Overdue).RequireAuthorization(Policies.PlaceData);
        g.MapGet("/change-proposals", Proposals).RequireAuthorization(Policies.PlaceData);
        g.MapPost("/change-proposals/{proposalId:long}/decision", DecideProposal).RequireAuthorization(Policies.Decide);
        g.MapGet("/decisions/{decisionId:long}", GetDecision).RequireAuthorization(Policies.PlaceData);
        g.MapPost("/people/{personId:long}/transfers", RequestTransfer).RequireAuthorization(Policies.RegistryWrite);
        g.MapGet("/transfers", ListTransfers).RequireAuthorization(Policies.PlaceData);
        g.MapPost("/transfers/{transferId:long}/decision", DecideTransfer).RequireAuthorization(Policies.Decide);
        g.MapPost("/transfers/{transferId:long}/withdraw", WithdrawTransfer).RequireAuthorization(Policies.RegistryWrite);
    }

    /// <summary>A move outside the officer's area: requested here, completed or refused by the receiving place's decider.</summary>
    public static async Task<Results<Created<TransferView>, ProblemHttpResult>> RequestTransfer(long personId, TransferRequest r, Transfers transfers, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var scope = UserScope.From(http.User);
        var (t, error) = await transfers.RequestAsync(scope, personId, r, Actor(http), ct);
        return error is not null ? error.ToProblem()
            : TypedResults.Created($"/api/v1/registry/transfers/{t!.Id}", (await Transfers.ListAsync(db, scope, false, ct, only: t.Id))[0]);
    }

    /// <summary>Transfers into and out of the user's area (open ones, or all with <c>all=true</c>).</summary>
    public static async Task<Ok<IReadOnlyList<TransferView>>> ListTransfers(bool? all, AppDbContext db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await Transfers.ListAsync(db, UserScope.From(http.User), all ?? false, ct));

    public static async Task<Results<Ok<Decision>, NoContent, ProblemHttpResult>> DecideTransfer(long transferId, ProposalDecisionRequest r, Transfers transfers, HttpContext http, CancellationToken ct)
    {
        var (decision, error) = await transfers.DecideAsync(UserScope.From(http.User), transferId, r, Actor(http), ct);
        return error is not null ? error.ToProblem() : decision is not null ? TypedResults.Ok(decision) : TypedResults.NoContent();
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> WithdrawTransfer(long transferId, Transfers transfers, HttpContext http, CancellationToken ct) =>
        await transfers.WithdrawAsync(UserScope.From(http.User), transferId, Actor(http), ct) is { } error ? error.ToProblem() : TypedResults.NoContent();

    private static string Actor(HttpContext http) => http.User.Identity?.Name ?? "?";

    private static DateOnly Today(TimeProvider time) => time.VietnamToday();

    public static async Task<Ok<PeoplePage>> Search([AsParameters] SearchRequest r, AppDbContext db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok(await RegistryQueries.SearchAsync(db, UserScope.From(http.User), r, ct));

    public static async Task<Results<Created<PersonCreated>, ProblemHttpResult>> CreatePerson(CreatePersonRequest r, AppDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var (person, error) = await PersonCommands.CreateAsync(db, UserScope.From(http.User), r, Today(time), ct);
        return error is not null ? error.ToProblem()
            : TypedResults.Created($"/api/v1/registry/people/{person!.Id}", new PersonCreated(person.Id, person.CitizenId, person.FullName));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> CorrectPerson(long personId, CorrectPersonRequest r, AppDbContext db, HttpContext http, TimeProvider time, CancellationToken ct) =>
        await PersonCommands.CorrectAsync(db, UserScope.From(http.User), personId, r, Today(time), ct) is { } error ? error.ToProblem() : TypedResults.NoContent();

    public static async Task<Results<Ok<PersonView>, ProblemHttpResult>> Person(long personId, AppDbContext db, RulesCatalog rules, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var d = await RegistryQueries.DetailAsync(db, UserScope.From(http.User), rules, personId, Today(time), ct);
        return d is null ? RegistryError.NotFound("person").ToProblem() : TypedResults.Ok(PersonView.Of(d));
    }

    public static async Task<Results<Ok<IReadOnlyList<MonthRow>>, ProblemHttpResult>> Months(long personId, string? programme, string? from, string? to, AppDbContext db, HttpContext http, TimeProvider time, CancellationToken ct)
    {
        var now = YearMonth.From(Today(time));
        if ((from is not null && !YearMonth.TryParse(from, out _)) || (to is not null && !YearMonth.TryParse(to, out _)))
        {
            return RegistryError.Invalid("from", Hosting.Texts.Get("Registry.Err.MonthsFormat")).ToProblem();
        }

        var f = from is null ? now.AddMonths(-11) : YearMonth.Parse(from);
        var t = to is null ? now : YearMonth.Parse(to);
        if (t < f || t.MonthsSince(f) > 240)
        {
            return RegistryError.Invalid("to", Hosting.Texts.Get("Registry.Err.MonthsRange")).ToProblem();
        }

        var rows = await RegistryQueries.MonthsAsync(db, UserScope.From(http.User), personId, programme ?? Core.Rules.Programme.SocialAssistance, f, t, ct);
        return rows is null ? RegistryError.NotFound("person").ToProblem() : TypedResults.Ok(rows);
    }

    /// <summary>A death or a move is recorded at once (204); a change that needs a decision becomes a proposal for the decider (202).</summary>
    public static async Task<Results<NoContent, Accepted<ProposalView>, ProblemHttpResult>> Change(
        long personId, string programme, ChangeRequest r, EnrolmentCommands commands, ChangeProposals proposals, HttpContext http, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        var scope = UserScope.From(http.User);
        if (!EnrolmentCommands.DecidedKinds.Contains(r.Kind))
        {
            return await commands.ApplyAsync(scope, personId, programme, r, Actor(http), ct) is { } error ? error.ToProblem() : TypedResults.NoContent();
        }

        var (proposal, problem) = await proposals.ProposeAsync(scope, personId, programme, r, Actor(http), ct);
        return problem is not null ? problem.ToProblem()
            : TypedResults.Accepted($"/api/v1/registry/change-proposals/{proposal!.Id}", ProposalView.Of(proposal));
    }

    public static async Task<Ok<ProposalView[]>> Proposals(AppDbContext db, HttpContext http, CancellationToken ct) =>
        TypedResults.Ok((await db.ChangeProposals.AsNoTracking().WhereInScope(UserScope.From(http.User))
            .Where(p => p.Status == ProposalStatus.Proposed).OrderBy(p => p.Id).Take(500).ToListAsync(ct)).Select(ProposalView.Of).ToArray());

    public static async Task<Results<Ok<Decision>, Ok<ProposalView>, ProblemHttpResult>> DecideProposal(
        long proposalId, ProposalDecisionRequest r, ChangeProposals proposals, HttpContext http, CancellationToken ct)
    {
        var (decision, proposal, error) = await proposals.DecideAsync(UserScope.From(http.User), proposalId, r, Actor(http), ct);
        return error is not null ? error.ToProblem()
            : decision is not null ? TypedResults.Ok(decision) : TypedResults.Ok(ProposalView.Of(proposal!));
    }

    public static async Task<Results<Ok<Decision>, ProblemHttpResult>> GetDecision(long decisionId, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var d = await db.Decisions.AsNoTracking().WhereInScope(UserScope.From(http.User)).FirstOrDefaultAsync(x => x.Id == decisionId, ct);
        return d is null ? RegistryError.NotFound("decision").ToProblem() : TypedResults.Ok(d);
    }

    public static async Task<Results<Created<ApplicationView>, ProblemHttpResult>> Receive(ReceiveRequest r, ApplicationCommands commands, HttpContext http, CancellationToken ct)
    {
        var (a, error) = await commands.ReceiveAsync(UserScope.From(http.User), r, Actor(http), ct);
        return error is not null ? error.ToProblem() : TypedResults.Created($"/api/v1/registry/applications/{a!.Id}", ApplicationView.Of(a));
    }

    public static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> GetApplication(long applicationId, AppDbContext db, HttpContext http, CancellationToken ct)
    {
        var a = await db.Applications.WhereInScope(UserScope.From(http.User)).FirstOrDefaultAsync(x => x.Id == applicationId, ct);
        return a is null ? RegistryError.NotFound("application").ToProblem() : TypedResults.Ok(ApplicationView.Of(a));
    }

    public static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> Check(long applicationId, ApplicationCommands commands, HttpContext http, CancellationToken ct) =>
        Answer(await commands.CheckAsync(UserScope.From(http.User), applicationId, Actor(http), ct));

    public static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> Post(long applicationId, ApplicationCommands commands, HttpContext http, CancellationToken ct) =>
        Answer(await commands.PostAsync(UserScope.From(http.User), applicationId, ct));

    public static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> Withdraw(long applicationId, [FromQuery] string? reason, ApplicationCommands commands, HttpContext http, CancellationToken ct) =>
        Answer(await commands.WithdrawAsync(UserScope.From(http.User), applicationId, reason, ct));

    public static async Task<Results<Ok<ApplicationView>, ProblemHttpResult>> Decide(long applicationId, DecideRequest r, ApplicationCommands commands, HttpContext http, CancellationToken ct) =>
        Answer(await commands.DecideAsync(UserScope.From(http.User), applicationId, r, Actor(http), ct));

    public static async Task<Ok<ApplicationView[]>> Overdue(AppDbContext db, HttpContext http, TimeProvider time, CancellationToken ct) =>
        TypedResults.Ok((await RegistryQueries.Overdue(db, UserScope.From(http.User), Today(time)).ToListAsync(ct)).Select(ApplicationView.Of).ToArray());

    private static Results<Ok<ApplicationView>, ProblemHttpResult> Answer((Application? Application, RegistryError? Error) r) =>
        r.Error is not null ? r.Error.ToProblem() : TypedResults.Ok(ApplicationView.Of(r.Application!));
}

public sealed record PersonCreated(long Id, string CitizenId, string FullName);

public sealed record PersonApplication(long Id, string Programme, IReadOnlyList<Core.Rules.CategoryFact> Categories, string Status, DateOnly ReceivedOn, DateOnly DueOn, string? DecisionNumber, DateOnly? StartMonth);

public sealed record PersonOneTime(string Kind, string Month, long Amount, string Reference);

public sealed record LineView(string Programme, string Code, decimal Coefficient, long Base, long Amount, string Reference, string Explanation);

/// <summary>This month's entitlement: the amount and its lines, or the rules' reason in words.</summary>
public sealed record MonthEntitlement(string Month, long? Amount, string? Error, IReadOnlyList<LineView> Lines, IReadOnlyList<string> Notes);

/// <summary>One person as the API shows them: facts, periods, applications, one-time payments, this month and the history.</summary>
public sealed record PersonView(long Id, string CitizenId, string FullName, DateOnly BirthDate, string Sex, string ProvinceCode, string CommuneCode, string Commune,
    string? Hamlet, DateOnly? DeathDate, IReadOnlyList<PeriodRow> Periods, IReadOnlyList<PersonApplication> Applications, IReadOnlyList<PersonOneTime> OneTimePayments,
    MonthEntitlement? Entitlement, IReadOnlyList<AuditRow> History)
{
    public static PersonView Of(PersonDetail d)
    {
        ArgumentNullException.ThrowIfNull(d);
        var p = d.Person;
        var e = d.Entitlement;
        return new(p.Id, p.CitizenId, p.FullName, p.BirthDate, p.Sex.ToString().ToLowerInvariant(), p.ProvinceCode, p.CommuneCode, d.CommuneName, p.Hamlet, p.DeathDate,
            d.Periods,
            [.. d.Applications.Select(a => new PersonApplication(a.Id, a.Programme, a.Categories, a.Status, a.ReceivedOn, a.DueOn, a.DecisionNumber, a.StartMonth))],
            [.. d.OneTimePayments.Select(o => new PersonOneTime(o.Kind, YearMonth.From(o.Month).ToString(), o.Amount, o.Reference))],
            e is null ? null : new MonthEntitlement(d.Month, e.IsError ? null : e.Total.Value, e.Error is { } r ? Hosting.Texts.Of(r) : null,
                [.. e.Lines.Select(l => new LineView(l.Programme, l.Code, l.Coefficient.Value, l.Base.Value, l.Amount.Value, l.Reference, l.Explanation))], e.Notes),
            d.History);
    }
}

/// <summary>An application as the API shows it; months as yyyy-MM.</summary>
public sealed record ApplicationView(long Id, long PersonId, string ProvinceCode, string CommuneCode, string Programme, IReadOnlyList<Core.Rules.CategoryFact> Categories,
    string Channel, DateOnly ReceivedOn, DateOnly DueOn, string Status, string? CheckNotes, DateOnly? PostingUntil, string? DecisionNumber, DateOnly? DecisionDate,
    string? StartMonth, string? RefusalReason, string? DecidedBy, long? EnrolmentId)
{
    public static ApplicationView Of(Application a)
    {
        ArgumentNullException.ThrowIfNull(a);
        return new(a.Id, a.PersonId, a.ProvinceCode, a.CommuneCode, a.Programme, a.Categories, a.Channel, a.ReceivedOn, a.DueOn, a.Status, a.CheckNotes,
            a.PostingUntil, a.DecisionNumber, a.DecisionDate, a.StartMonth is null ? null : YearMonth.From(a.StartMonth.Value).ToString(), a.RefusalReason, a.DecidedBy, a.EnrolmentId);
    }
}

/// <summary>A proposed change as the API shows it.</summary>
public sealed record ProposalView(long Id, long PersonId, string ProvinceCode, string CommuneCode, string Programme, string Kind, string? EffectiveMonth,
    string Reason, string Status, string ProposedBy, DateTimeOffset ProposedAt, string? DecidedBy, string? RefusalReason)
{
    public static ProposalView Of(ChangeProposal p)
    {
        ArgumentNullException.ThrowIfNull(p);
        return new(p.Id, p.PersonId, p.ProvinceCode, p.CommuneCode, p.Programme, p.Kind, p.Request.EffectiveMonth, p.Reason, p.Status, p.ProposedBy, p.ProposedAt, p.DecidedBy, p.RefusalReason);
    }
}
