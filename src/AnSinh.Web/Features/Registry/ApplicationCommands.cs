using System.Security.Cryptography;
using AnSinh.Core.People;
using AnSinh.Core.Registry;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.People;
using AnSinh.Web.Features.Rules;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Features.Registry;

/// <summary>An application: every category the person asks to be recorded in (Art. 6.2), or the one care or pension code.</summary>
public sealed record ReceiveRequest(long PersonId, string Programme, IReadOnlyList<CategoryFact>? Categories, long? CaredPersonId, string Channel, DateOnly? ReceivedOn);

public sealed record DecideRequest(bool Approve, string? DecisionNumber, DateOnly? DecisionDate, string? StartMonth, string? RefusalReason);

/// <summary>The application workflow: received → checked → (posted) → approved or refused; every step audited.</summary>
public sealed class ApplicationCommands(AppDbContext db, RulesCatalog rules, WorkingDays workingDays, TimeProvider time)
{
    public static readonly string[] Channels = ["in_person", "post", "online"];
    public static readonly string[] DocumentTypes = ["don_de_nghi", "giay_to_tuy_than", "giay_xac_nhan_khuyet_tat", "giay_khai_sinh", "giay_chung_tu", "xac_nhan_ho_ngheo", "khac"];
    public static readonly string[] DocumentContentTypes = ["application/pdf", "image/jpeg", "image/png"];

    private DateOnly Today => time.VietnamToday();

    public async Task<(Application? Application, RegistryError? Error)> ReceiveAsync(UserScope scope, ReceiveRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        var person = await db.People.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == r.PersonId, ct);
        if (person is null)
        {
            return (null, RegistryError.NotFound("person"));
        }

        var problems = new List<(string, string)>();
        if (person.DeathDate is not null)
        {
            problems.Add(("PersonId", Hosting.Texts.Get("Registry.Err.DiedNoApplication")));
        }

        if (!Channels.Contains(r.Channel))
        {
            problems.Add(("Channel", Hosting.Texts.Get("Registry.Err.Channel")));
        }

        if (r.Programme is not (Programme.SocialAssistance or Programme.SocialPension or Programme.CareSupport))
        {
            problems.Add(("Programme", Hosting.Texts.Get("Reason.programme.unknown")));
        }
        else
        {
            problems.AddRange(CategoryList.Check(r.Programme, r.Categories).Select(x => (x.Field, Hosting.Texts.Of(x))));
        }

        if (r.Programme == Programme.CareSupport && r.CaredPersonId is null)
        {
            problems.Add(("CaredPersonId", Hosting.Texts.Get("Registry.Err.CaredNeeded")));
        }
        else if (r.Programme != Programme.CareSupport && r.CaredPersonId is not null)
        {
            problems.Add(("CaredPersonId", Hosting.Texts.Get("Registry.Err.CaredOnlyCare")));
        }
        else if (r.CaredPersonId is { } cared && !await db.People.AsNoTracking().WhereInScope(scope).AnyAsync(p => p.Id == cared && p.DeathDate == null, ct))
        {
            // Someone outside the officer's area is treated as not found: an officer never reaches beyond it.
            problems.Add(("CaredPersonId", Hosting.Texts.Get("Registry.Err.CaredNotFound")));
        }

        var received = r.ReceivedOn ?? Today;
        if (received > Today || received < Today.AddDays(-RegistryBounds.MaxReceivedDaysAgo))
        {
            problems.Add(("ReceivedOn", Hosting.Texts.Get("Registry.Err.ReceivedOn", Today.AddDays(-RegistryBounds.MaxReceivedDaysAgo))));
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        if (await db.Applications.AnyAsync(a => a.PersonId == r.PersonId && a.Programme == r.Programme && ApplicationWorkflow.OpenCodes.Contains(a.Status), ct))
        {
            return (null, RegistryError.Conflict(Hosting.Texts.Get("Registry.Err.OpenApplication")));
        }

        var setting = await Deciding.SettingAsync(db, person.ProvinceCode, ct);
        var application = new Application
        {
            PersonId = person.Id,
            ProvinceCode = person.ProvinceCode,
            CommuneCode = person.CommuneCode,
            Programme = r.Programme,
            Categories = CategoryList.Normalise(r.Categories!),
            CaredPersonId = r.CaredPersonId,
            Channel = r.Channel,
            ReceivedOn = received,
            DueOn = workingDays.Add(received, setting.DecisionDays),
            Status = ApplicationWorkflow.Code(ApplicationStatus.Received),
            CreatedBy = actor,
            UpdatedAt = time.GetUtcNow(),
        };
        db.Applications.Add(application);
        await db.SaveChangesAsync(ct);
        return (application, null);
    }

    /// <summary>Checks: the citizen ID, the age and facts against the category in the rules, and no open enrolment anywhere.</summary>
    public async Task<(Application? Application, RegistryError? Error)> CheckAsync(UserScope scope, long id, string actor, CancellationToken ct)
    {
        var (a, person, next, error) = await LoadAsync(scope, id, ApplicationAction.Check, ct);
        if (error is not null)
        {
            return (null, error);
        }

        var problems = new List<(string, string)>();
        var idProblem = CitizenId.Check(person!.CitizenId, person.BirthDate.Year, person.Sex);
        if (idProblem is not null && person.CitizenIdOverrideReason is null)
        {
            problems.Add(("CitizenId", PersonCommands.CitizenIdMessage(idProblem.Value)));
        }

        var entitlement = await EntitlementAsync(a!, person, YearMonth.From(Today), Today, ct);
        if (entitlement.IsError)
        {
            problems.Add(("Categories", Hosting.Texts.Get("Registry.NotEligible", Hosting.Texts.Of(entitlement.Error!))));
        }

        var open = await db.Enrolments.AsNoTracking()
            .Where(e => e.PersonId == a!.PersonId && e.Programme == a.Programme && e.EndMonth == null && e.SupersededAt == null)
            .Join(db.Communes, e => e.CommuneCode, c => c.Code, (e, c) => new { e.StartMonth, Commune = c.Name, e.ProvinceCode, e.CommuneCode })
            .FirstOrDefaultAsync(ct);
        if (open is not null)
        {
            var where = scope.Covers(open.ProvinceCode, open.CommuneCode) ? open.Commune : Hosting.Texts.Get("Registry.ElsewhereOutsideScope");
            problems.Add(("PersonId", Hosting.Texts.Get("Registry.Err.PaidElsewhere", where, open.StartMonth)));
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        a!.Status = ApplicationWorkflow.Code(next!.Value);
        a.CheckedBy = actor;
        a.CheckNotes = $"Đạt ngày {Today:dd/MM/yyyy}: số định danh{(person.CitizenIdOverrideReason is null ? "" : " (đã xác nhận)")}, điều kiện nhóm {string.Join(", ", a.Categories.Select(c => c.Code))}, không hưởng nơi khác. Mức dự kiến {entitlement.Total.ToDisplay()}.";
        a.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return (a, null);
    }

    public async Task<(Application? Application, RegistryError? Error)> PostAsync(UserScope scope, long id, CancellationToken ct)
    {
        var (a, _, next, error) = await LoadAsync(scope, id, ApplicationAction.Post, ct);
        if (error is not null)
        {
            return (null, error);
        }

        var setting = await Deciding.SettingAsync(db, a!.ProvinceCode, ct);
        a.Status = ApplicationWorkflow.Code(next!.Value);
        a.PostingUntil = workingDays.Add(Today, setting.PostingDays);
        a.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return (a, null);
    }

    /// <summary>
    /// The decision, by the province's decider and never by whoever received or checked the application: approval
    /// opens the enrolment from the start month (earlier months become back pay) and records the decision with its
    /// amount on the rules known that day; refusal needs a reason.
    /// </summary>
    public async Task<(Application? Application, RegistryError? Error)> DecideAsync(UserScope scope, long id, DecideRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        var (a, person, next, error) = await LoadAsync(scope, id, r.Approve ? ApplicationAction.Approve : ApplicationAction.Refuse, ct);
        if (error is not null)
        {
            return (null, error);
        }

        var (signer, forbidden) = await Deciding.AuthoriseAsync(db, actor, a!.ProvinceCode, a.CommuneCode, [a.CreatedBy, a.CheckedBy], ct);
        if (forbidden is not null)
        {
            return (null, forbidden);
        }

        if (!r.Approve)
        {
            var problems = new List<(string, string)>();
            var reason = RegistryBounds.Text(r.RefusalReason, "RefusalReason", RegistryBounds.MaxReasonLength, problems, required: true);
            if (problems.Count > 0)
            {
                return (null, RegistryError.Invalid(problems));
            }

            a.Status = ApplicationWorkflow.Code(next!.Value);
            a.RefusalReason = reason;
            a.DecidedBy = actor;
            a.DecisionDate = r.DecisionDate ?? Today;
            a.UpdatedAt = time.GetUtcNow();
            db.Audit.Reason = a.RefusalReason;
            await db.SaveChangesAsync(ct);
            return (a, null);
        }

        var issues = new List<(string, string)>();
        var number = RegistryBounds.Text(r.DecisionNumber, "DecisionNumber", RegistryBounds.MaxDecisionNumberLength, issues, required: true);
        var decisionDate = r.DecisionDate ?? Today;
        if (decisionDate > Today || decisionDate < a.ReceivedOn)
        {
            issues.Add(("DecisionDate", Hosting.Texts.Get("Registry.Err.DecisionDate")));
        }

        var start = YearMonth.From(decisionDate);
        if (r.StartMonth is not null && !YearMonth.TryParse(r.StartMonth, out start))
        {
            issues.Add(("StartMonth", Hosting.Texts.Get("Registry.Err.StartMonthFormat")));
        }
        else if (start > YearMonth.From(decisionDate).AddMonths(1) || start < RegistryBounds.FirstMonth)
        {
            issues.Add(("StartMonth", Hosting.Texts.Get("Registry.Err.StartMonthRange", Display.Month(RegistryBounds.FirstMonth))));
        }

        if (issues.Count > 0)
        {
            return (null, RegistryError.Invalid(issues));
        }

        await using var tx = await db.TransactionAsync(ct);
        var enrolment = new Enrolment
        {
            PersonId = a.PersonId,
            ProvinceCode = a.ProvinceCode,
            CommuneCode = a.CommuneCode,
            Programme = a.Programme,
            Categories = a.Categories,
            CaredPersonId = a.CaredPersonId,
            Status = EnrolmentStatus.Active,
            StartMonth = start.FirstDay,
            DecisionNumber = number,
            DecisionDate = decisionDate,
            ApplicationId = a.Id,
            ChangeReason = "quyết định hưởng",
            CreatedBy = actor,
        };
        db.Enrolments.Add(enrolment);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.ExclusionViolation })
        {
            return (null, RegistryError.Conflict(Hosting.Texts.Get("Registry.Err.StartOverlap")));
        }

        a.Status = ApplicationWorkflow.Code(next!.Value);
        a.DecisionNumber = enrolment.DecisionNumber;
        a.DecisionDate = decisionDate;
        a.StartMonth = start.FirstDay;
        a.DecidedBy = actor;
        a.EnrolmentId = enrolment.Id;
        a.UpdatedAt = time.GetUtcNow();
        var amount = await EntitlementAsync(a, person!, start, decisionDate, ct);
        db.Decisions.Add(Decisions.Record(signer!, "approve", a.PersonId, a.ProvinceCode, a.CommuneCode, a.Programme, number!, decisionDate, start, amount, null, applicationId: a.Id));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (a, null);
    }

    public async Task<(Application? Application, RegistryError? Error)> WithdrawAsync(UserScope scope, long id, string? reason, CancellationToken ct)
    {
        var (a, _, next, error) = await LoadAsync(scope, id, ApplicationAction.Withdraw, ct);
        if (error is not null)
        {
            return (null, error);
        }

        a!.Status = ApplicationWorkflow.Code(next!.Value);
        a.UpdatedAt = time.GetUtcNow();
        db.Audit.Reason = Core.People.FreeText.Clean(reason) is { } r ? r[..Math.Min(r.Length, RegistryBounds.MaxReasonLength)] : null;
        await db.SaveChangesAsync(ct);
        return (a, null);
    }

    /// <summary>
    /// A scanned document: PDF, JPEG or PNG up to 5 MB, its type checked from the bytes, and its name's extension
    /// made to say what the bytes are. A decided or withdrawn application's file is closed: nothing is added.
    /// </summary>
    public async Task<(ApplicationDocument? Document, RegistryError? Error)> AddDocumentAsync(UserScope scope, long id, string docType, string fileName, byte[] content, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var a = await db.Applications.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
        {
            return (null, RegistryError.NotFound("application"));
        }

        if (ApplicationWorkflow.IsFinal(ApplicationWorkflow.Parse(a.Status)))
        {
            return (null, RegistryError.Conflict(Hosting.Texts.Get("Registry.DocumentsClosed")));
        }

        var problems = new List<(string, string)>();
        if (!DocumentTypes.Contains(docType))
        {
            problems.Add(("DocType", Hosting.Texts.Get("Registry.DocTypeUnknown")));
        }

        var contentType = Scans.Check(content, "File", problems);

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        var doc = new ApplicationDocument
        {
            ApplicationId = a.Id,
            ProvinceCode = a.ProvinceCode,
            DocType = docType,
            FileName = Scans.NameFor(fileName, contentType!, docType),
            ContentType = contentType!,
            SizeBytes = content.Length,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
            Content = content,
            UploadedBy = actor,
        };
        db.ApplicationDocuments.Add(doc);
        await db.SaveChangesAsync(ct);
        return (doc, null);
    }

    /// <summary>An application in scope, the person, and the status the workflow allows the action to reach (or why not).</summary>
    private async Task<(Application? Application, Person? Person, ApplicationStatus? Next, RegistryError? Error)> LoadAsync(UserScope scope, long id, ApplicationAction action, CancellationToken ct)
    {
        var a = await db.Applications.WhereInScope(scope).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
        {
            return (null, null, null, RegistryError.NotFound("application"));
        }

        var setting = await Deciding.SettingAsync(db, a.ProvinceCode, ct);
        var (next, refusal) = ApplicationWorkflow.Apply(ApplicationWorkflow.Parse(a.Status), action, setting.PostingDays > 0, Today, a.PostingUntil);
        if (refusal is not null)
        {
            return (null, null, null, RegistryError.Conflict(Hosting.Texts.Of(refusal)));
        }

        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == a.PersonId, ct);
        return (a, person, next, null);
    }

    /// <summary>The application's monthly amount for a month, on the rules known on <paramref name="knownOn"/>.</summary>
    private Task<Entitlement> EntitlementAsync(Application a, Person person, YearMonth month, DateOnly knownOn, CancellationToken ct) =>
        EntitlementFacts.ForProgrammeAsync(db, rules, person, a.Programme, a.ProvinceCode, month, a.Categories, a.CaredPersonId, knownOn, ct);
}
