using System.Globalization;
using AnSinh.Core.Oversight;
using AnSinh.Core.People;
using AnSinh.Core.Registry;
using AnSinh.Core.Time;
using AnSinh.Web.Audit;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Features.Grievances;

/// <summary>A grievance as received: by an officer (in person, phone, post) or by the citizen online.</summary>
public sealed record GrievanceRequest(
    string ProvinceCode, string? CommuneCode, string Kind, string Channel, string Topic, string FilerName, string? FilerPhone, string? FilerAddress,
    string Summary, DateOnly? ReceivedOn = null, long? PersonId = null, long? ApplicationId = null, string? CitizenId = null);

/// <summary>The written answer, the action it led to, and the registry record of that action (a decision or a waiting proposal of the person), if any.</summary>
public sealed record GrievanceAnswer(string Answer, string ActionKind, string? ActionRef, long? DecisionId = null, long? ProposalId = null);

/// <summary>
/// Receiving, accepting, answering and withdrawing grievances, and the escalation of overdue ones. Deadlines are working
/// days from the province's setting over Vietnam's holidays; every step is audited through the entity.
/// </summary>
public sealed class GrievanceCommands(AppDbContext db, WorkingDays workingDays, TimeProvider time)
{
    public const int MaxSummary = 4000;
    public const int MaxAnswer = 8000;
    public const int MaxName = 200;
    public const int MaxAddress = 300;
    public const int MaxDocuments = 20;

    /// <summary>How far back an officer may date a grievance received by post or entered late.</summary>
    public const int MaxBackdateDays = 60;

    private DateOnly Today => time.VietnamToday();

    public async Task<GrievanceDeadlines> DeadlinesAsync(string province, CancellationToken ct) =>
        (await db.ProvinceSettings.AsNoTracking().FirstOrDefaultAsync(s => s.ProvinceCode == province, ct))?.Deadlines ?? GrievanceDeadlines.Default;

    /// <param name="scope">The officer's scope, or null for the public form (which may name only a province, and a person only by their own identity).</param>
    public async Task<(Grievance? Grievance, RegistryError? Error)> FileAsync(UserScope? scope, GrievanceRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        var problems = new List<(string, string)>();
        var name = RegistryBounds.Text(r.FilerName, nameof(r.FilerName), MaxName, problems, required: true);
        var summary = RegistryBounds.Text(r.Summary, nameof(r.Summary), MaxSummary, problems, required: true, lines: true);
        var address = RegistryBounds.Text(r.FilerAddress, nameof(r.FilerAddress), MaxAddress, problems);
        var phone = FreeText.Clean(r.FilerPhone);
        if (phone is not null && (phone.Length is < 6 or > 20 || !phone.All(c => char.IsAsciiDigit(c) || c is '+' or ' ')))
        {
            problems.Add((nameof(r.FilerPhone), Hosting.Texts.Get("Grievance.Err.Phone")));
        }

        if (!GrievanceWorkflow.Kinds.Contains(r.Kind))
        {
            problems.Add((nameof(r.Kind), Hosting.Texts.Get("Grievance.Err.Kind")));
        }

        if (!GrievanceWorkflow.Topics.Contains(r.Topic))
        {
            problems.Add((nameof(r.Topic), Hosting.Texts.Get("Grievance.Err.Topic")));
        }

        if (!GrievanceWorkflow.Channels.Contains(r.Channel) || (scope is null) != (r.Channel == "online"))
        {
            problems.Add((nameof(r.Channel), Hosting.Texts.Get("Grievance.Err.Channel")));
        }

        var received = r.ReceivedOn ?? Today;
        if (received > Today || received < Today.AddDays(-MaxBackdateDays) || (scope is null && received != Today))
        {
            problems.Add((nameof(r.ReceivedOn), Hosting.Texts.Get("Grievance.Err.ReceivedOn", MaxBackdateDays)));
        }

        if (!await db.Provinces.AnyAsync(p => p.Code == r.ProvinceCode, ct) || (scope is not null && !scope.CoversProvince(r.ProvinceCode)))
        {
            problems.Add((nameof(r.ProvinceCode), Hosting.Texts.Get("Grievance.Err.Province")));
        }

        var commune = r.CommuneCode;
        if (scope?.Level == ScopeLevel.Commune)
        {
            commune = scope.CommuneCode;
        }

        if (commune is not null && !await db.Communes.AnyAsync(c => c.Code == commune && c.ProvinceCode == r.ProvinceCode, ct))
        {
            problems.Add((nameof(r.CommuneCode), Hosting.Texts.Get("Grievance.Err.Commune")));
        }

        // Officers name the person by the number on their card; the public form links a record only after matching the
        // citizen's own ID and birth date. Either way within the grievance's province and the officer's scope.
        long? personId = null;
        if (r.CitizenId is not null || r.PersonId is not null)
        {
            var person = await PersonInScopeAsync(scope, r.ProvinceCode, r.CitizenId, r.PersonId, r.CitizenId is null ? nameof(r.PersonId) : nameof(r.CitizenId), problems, ct);
            personId = person?.Id;
            commune ??= person?.CommuneCode;
        }

        if (r.ApplicationId is { } appId && !await db.Applications.AnyAsync(a => a.Id == appId && a.ProvinceCode == r.ProvinceCode && (personId == null || a.PersonId == personId), ct))
        {
            problems.Add((nameof(r.ApplicationId), Hosting.Texts.Get("Problem.NotFoundInScope", Hosting.Texts.Get("What.application"))));
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        var (acceptBy, answerBy) = (await DeadlinesAsync(r.ProvinceCode, ct)).For(r.Kind, received, workingDays);
        for (var attempt = 0; ; attempt++)
        {
            var g = new Grievance
            {
                Code = GrievanceWorkflow.NewCode(), ProvinceCode = r.ProvinceCode, CommuneCode = commune, Kind = r.Kind, Channel = r.Channel, Topic = r.Topic,
                PersonId = personId, ApplicationId = r.ApplicationId, FilerName = name!, FilerPhone = phone, FilerAddress = address, Summary = summary!,
                Status = "received", ReceivedOn = received, AcceptDueOn = acceptBy, DueOn = answerBy, CreatedBy = actor,
            };
            db.Grievances.Add(g);
            db.Audit.Actor = actor;
            try
            {
                await db.SaveChangesAsync(ct);
                return (g, null);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } && attempt < 3)
            {
                db.Entry(g).State = EntityState.Detached; // a code drawn twice (one in 10^17): draw again
            }
        }
    }

    /// <summary>Takes it on (thụ lý) for an officer of the place; an accepted one may be handed to another officer.</summary>
    public async Task<RegistryError?> AcceptAsync(UserScope scope, long id, string assignee, string actor, CancellationToken ct)
    {
        var (found, next, error) = await StepAsync(scope, id, a => a == GrievanceStatus.Received ? GrievanceAction.Accept : GrievanceAction.Reassign, ct);
        if (found is not { } g)
        {
            return error;
        }

        var officer = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.UserName == assignee && !u.IsDisabled, ct);
        if (officer is null || !Handles(officer, g))
        {
            return RegistryError.Invalid("Assignee", Hosting.Texts.Get("Grievance.Err.Assignee"));
        }

        g.Status = GrievanceWorkflow.Code(next!.Value);
        g.AssignedTo = officer.UserName;
        g.AcceptedOn ??= Today;
        db.Audit.Actor = actor;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The written answer and what it led to; only the officer it is assigned to, or the province's staff, answer.</summary>
    public async Task<RegistryError?> AnswerAsync(UserScope scope, long id, GrievanceAnswer a, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(a);
        var (found, next, error) = await StepAsync(scope, id, _ => GrievanceAction.Answer, ct);
        if (found is not { } g)
        {
            return error;
        }

        if (scope.Level == ScopeLevel.Commune && g.AssignedTo != actor)
        {
            return RegistryError.Forbidden(Hosting.Texts.Get("Grievance.Err.NotAssigned"));
        }

        var problems = new List<(string, string)>();
        var answer = RegistryBounds.Text(a.Answer, nameof(a.Answer), MaxAnswer, problems, required: true, lines: true);
        var linked = a.DecisionId is not null || a.ProposalId is not null;
        // A registry record names the action; without one (or for a referral: where it went) the reference must.
        var reference = RegistryBounds.Text(a.ActionRef, nameof(a.ActionRef), 200, problems, required: a.ActionKind == "referral" || (a.ActionKind != "none" && !linked));
        if (!GrievanceWorkflow.ActionKinds.Contains(a.ActionKind))
        {
            problems.Add((nameof(a.ActionKind), Hosting.Texts.Get("Grievance.Err.ActionKind")));
        }

        if (linked && !await ActionOfPersonAsync(scope, g, a, ct))
        {
            problems.Add((a.DecisionId is not null ? nameof(a.DecisionId) : nameof(a.ProposalId), Hosting.Texts.Get("Grievance.Err.ActionLink")));
        }

        if (problems.Count > 0)
        {
            return RegistryError.Invalid(problems);
        }

        g.Status = GrievanceWorkflow.Code(next!.Value);
        g.Answer = answer;
        g.AnsweredOn = Today;
        g.AnsweredBy = actor;
        g.ActionKind = a.ActionKind;
        g.ActionRef = reference;
        g.ActionDecisionId = a.DecisionId;
        g.ActionProposalId = a.ProposalId;
        db.Audit.Actor = actor;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>
    /// Whether the linked record is one action of the grievance's own person, in scope, and not the wrong kind for the
    /// answer: "none" and "referral" link nothing, and a proposal refused by the decider is no action at all.
    /// </summary>
    private async Task<bool> ActionOfPersonAsync(UserScope scope, Grievance g, GrievanceAnswer a, CancellationToken ct)
    {
        if (g.PersonId is not { } person || (a.DecisionId is not null && a.ProposalId is not null) || a.ActionKind is "none" or "referral")
        {
            return false;
        }

        return a.DecisionId is { } d
            ? await db.Decisions.WhereInScope(scope).AnyAsync(x => x.Id == d && x.PersonId == person, ct)
            : await db.ChangeProposals.WhereInScope(scope).AnyAsync(x => x.Id == a.ProposalId && x.PersonId == person && x.Status != ProposalStatus.Refused, ct);
    }

    /// <summary>Names the person an open grievance is about by their card number (within the grievance's province and the officer's scope).</summary>
    public async Task<RegistryError?> LinkPersonAsync(UserScope scope, long id, string? citizenId, string actor, CancellationToken ct)
    {
        var (found, _, error) = await StepAsync(scope, id, _ => GrievanceAction.LinkPerson, ct);
        if (found is not { } g)
        {
            return error;
        }

        var problems = new List<(string, string)>();
        var person = await PersonInScopeAsync(scope, g.ProvinceCode, citizenId ?? "", null, "CitizenId", problems, ct);
        if (person is null)
        {
            return RegistryError.Invalid(problems);
        }

        g.PersonId = person.Id;
        g.CommuneCode ??= person.CommuneCode;
        db.Audit.Actor = actor;
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>
    /// Keeps a paper with the grievance: PDF, JPEG or PNG up to 5 MB, the type read from the bytes, at most
    /// <see cref="MaxDocuments"/>; the signed answer only once it is answered. Allowed in any state, since the signed
    /// answer and late evidence come after the answer.
    /// </summary>
    public async Task<(GrievanceDocument? Document, RegistryError? Error)> AttachAsync(UserScope scope, long id, string kind, string? fileName, byte[] content, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var g = await db.Grievances.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (g is null)
        {
            return (null, RegistryError.NotFound("grievance"));
        }

        if (await db.GrievanceDocuments.CountAsync(d => d.GrievanceId == id, ct) >= MaxDocuments)
        {
            return (null, RegistryError.Conflict(Hosting.Texts.Get("Grievance.Err.TooManyDocuments", MaxDocuments)));
        }

        var problems = new List<(string, string)>();
        if (!GrievanceDocument.Kinds.Contains(kind) || (kind == "signed_answer" && g.Status != "answered"))
        {
            problems.Add(("DocumentKind", Hosting.Texts.Get("Grievance.Err.DocumentKind")));
        }

        var contentType = Scans.Check(content, "Document", problems);
        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        var doc = new GrievanceDocument
        {
            GrievanceId = g.Id, ProvinceCode = g.ProvinceCode, Kind = kind, FileName = Scans.NameFor(fileName, contentType!, kind), ContentType = contentType!,
            SizeBytes = content.Length, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content)), Content = content, UploadedBy = actor,
        };
        db.GrievanceDocuments.Add(doc);
        db.Audit.Actor = actor;
        await db.SaveChangesAsync(ct);
        return (doc, null);
    }

    public async Task<RegistryError?> WithdrawAsync(UserScope scope, long id, string? reason, string actor, CancellationToken ct)
    {
        var (found, next, error) = await StepAsync(scope, id, _ => GrievanceAction.Withdraw, ct);
        if (found is not { } g)
        {
            return error;
        }

        var problems = new List<(string, string)>();
        var why = RegistryBounds.Text(reason, "Reason", RegistryBounds.MaxReasonLength, problems, required: true);
        if (problems.Count > 0)
        {
            return RegistryError.Invalid(problems);
        }

        g.Status = GrievanceWorkflow.Code(next!.Value);
        db.Audit.Actor = actor;
        db.Audit.Reason = why;
        await db.SaveChangesAsync(ct);
        return null;
    }

    private sealed record PersonPlace(long Id, string CommuneCode);

    /// <summary>The person a grievance is about, by card number or record number, in the province and the officer's scope (none for the public form).</summary>
    private async Task<PersonPlace?> PersonInScopeAsync(UserScope? scope, string province, string? citizenId, long? personId, string field, List<(string, string)> problems, CancellationToken ct)
    {
        var query = db.People.AsNoTracking().Where(p => p.ProvinceCode == province);
        if (citizenId is not null)
        {
            var card = citizenId.Trim();
            if (CitizenId.CheckStructure(card) is not null)
            {
                problems.Add((field, Hosting.Texts.Get("Grievance.Err.CitizenId")));
                return null;
            }

            query = query.Where(p => p.CitizenId == card);
        }
        else
        {
            query = query.Where(p => p.Id == personId);
        }

        var person = await query.Select(p => new PersonPlace(p.Id, p.CommuneCode)).FirstOrDefaultAsync(ct);
        if (person is null || (scope is not null && !scope.Covers(province, person.CommuneCode)))
        {
            problems.Add((field, Hosting.Texts.Get("Problem.NotFoundInScope", Hosting.Texts.Get("What.person"))));
            return null;
        }

        return person;
    }

    /// <summary>A grievance in scope (tracked) and the status the workflow lets <paramref name="action"/> reach from its own, or why not.</summary>
    private async Task<(Grievance? Grievance, GrievanceStatus? Next, RegistryError? Error)> StepAsync(UserScope scope, long id, Func<GrievanceStatus, GrievanceAction> action, CancellationToken ct)
    {
        var g = await db.Grievances.WhereInScope(scope).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (g is null)
        {
            return (null, null, RegistryError.NotFound("grievance"));
        }

        var (next, refusal) = GrievanceWorkflow.Apply(g.State, action(g.State));
        return refusal is not null ? (null, null, RegistryError.Conflict(Hosting.Texts.Of(refusal))) : (g, next, null);
    }

    /// <summary>The officers who may answer a grievance: the province's officers, or the commune's officers for one placed in their commune.</summary>
    public static bool Handles(AppUser u, Grievance g)
    {
        ArgumentNullException.ThrowIfNull(u);
        ArgumentNullException.ThrowIfNull(g);
        return u.ProvinceCode == g.ProvinceCode && (u.Role == Roles.ProvinceOfficer || (u.Role == Roles.CommuneOfficer && u.CommuneCode == g.CommuneCode));
    }

    /// <summary>
    /// Overdue open grievances go up to the province: marked escalated once, with an audit row each, set-based. Run by
    /// the background worker; the province's officers see them on their home page.
    /// </summary>
    public static async Task<int> EscalateDueAsync(NpgsqlDataSource data, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(data);
        var now = time.GetUtcNow();
        await using var conn = await data.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var drafts = new List<AuditEntryDraft>();
        await using (var cmd = new NpgsqlCommand("""
            UPDATE grievance SET escalated_at = $1 WHERE status IN ('received', 'accepted') AND due_on < $2 AND escalated_at IS NULL
            RETURNING id, province_code, due_on
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue(now);
            cmd.Parameters.AddWithValue(time.VietnamToday());
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                drafts.Add(new AuditEntryDraft("escalate", "grievance", reader.GetInt64(0).ToString(CultureInfo.InvariantCulture), reader.GetString(1), null,
                    $$"""{"due_on":"{{reader.GetFieldValue<DateOnly>(2):yyyy-MM-dd}}"}"""));
            }
        }

        if (drafts.Count > 0)
        {
            await AuditLog.AppendAsync(conn, tx, drafts, "system", "grievance.overdue", now, ct);
        }

        await tx.CommitAsync(ct);
        return drafts.Count;
    }
}
