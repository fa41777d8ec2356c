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
    public const int MaxDocumentBytes = 5 * 1024 * 1024;

    private DateOnly Today => time.VietnamToday();

    public async Task<(Application? Application, RegistryError? Error)> ReceiveAsync(UserScope scope, ReceiveRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        var person = await db.People.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == r.PersonId, ct);
        if (person is null)
        {
            return (null, RegistryError.NotFound("người này"));
        }

        var problems = new List<(string, string)>();
        if (person.DeathDate is not null)
        {
            problems.Add(("PersonId", "Người này đã mất: không nhận hồ sơ hưởng trợ cấp hằng tháng."));
        }

        if (!Channels.Contains(r.Channel))
        {
            problems.Add(("Channel", "Hình thức nộp: in_person (trực tiếp), post (bưu chính) hoặc online (trực tuyến)."));
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
            problems.Add(("CaredPersonId", "Hỗ trợ chăm sóc cần người được chăm sóc."));
        }
        else if (r.Programme != Programme.CareSupport && r.CaredPersonId is not null)
        {
            problems.Add(("CaredPersonId", "Chỉ hồ sơ hỗ trợ chăm sóc mới ghi người được chăm sóc."));
        }
        else if (r.CaredPersonId is { } cared && !await db.People.AsNoTracking().WhereInScope(scope).AnyAsync(p => p.Id == cared && p.DeathDate == null, ct))
        {
            // Someone outside the officer's area is treated as not found: an officer never reaches beyond it.
            problems.Add(("CaredPersonId", "Không tìm thấy người được chăm sóc trong địa bàn của bạn."));
        }

        var received = r.ReceivedOn ?? Today;
        if (received > Today || received < Today.AddDays(-RegistryBounds.MaxReceivedDaysAgo))
        {
            problems.Add(("ReceivedOn", $"Ngày nhận hồ sơ từ {Today.AddDays(-RegistryBounds.MaxReceivedDaysAgo):dd/MM/yyyy} đến hôm nay."));
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        if (await db.Applications.AnyAsync(a => a.PersonId == r.PersonId && a.Programme == r.Programme && (a.Status == "received" || a.Status == "checked" || a.Status == "posted"), ct))
        {
            return (null, RegistryError.Conflict("Người này đã có hồ sơ cùng chế độ đang xử lý: giải quyết hồ sơ đó trước."));
        }

        var setting = await SettingAsync(person.ProvinceCode, ct);
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
            Status = "received",
            CreatedBy = actor,
            UpdatedAt = time.GetUtcNow(),
        };
        db.Applications.Add(application);
        await db.SaveChangesAsync(ct);
        return (application, null);
    }

    /// <summary>Checks: the citizen ID, the age and facts against the category in the rules, and no open enrolment anywhere.</summary>
    public async Task<(Application? Application, RegistryError? Error)> CheckAsync(UserScope scope, long id, CancellationToken ct)
    {
        var (a, person, error) = await LoadAsync(scope, id, ApplicationAction.Check, ct);
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

        var month = YearMonth.From(Today);
        var evaluator = rules.Evaluator(await RulesCatalog.LoadOverridesAsync(db, ct), Today);
        Entitlement entitlement;
        if (a!.Programme == Programme.CareSupport)
        {
            var cared = await db.People.AsNoTracking().FirstOrDefaultAsync(p => p.Id == a.CaredPersonId, ct);
            entitlement = cared is null ? Entitlement.Fail("CaredPersonId: không tìm thấy người được chăm sóc")
                : evaluator.EvaluateCareSupport(month, a.ProvinceCode, a.Categories[0].Code, cared.BirthDate);
        }
        else
        {
            entitlement = evaluator.Evaluate(new CaseFacts(month, a.ProvinceCode, person.BirthDate, a.Categories));
        }

        if (entitlement.IsError)
        {
            problems.Add(("CategoryCode", "Không đủ điều kiện theo quy định: " + entitlement.Error));
        }

        var open = await db.Enrolments.AsNoTracking()
            .Where(e => e.PersonId == a.PersonId && e.Programme == a.Programme && e.EndMonth == null && e.SupersededAt == null)
            .Join(db.Communes, e => e.CommuneCode, c => c.Code, (e, c) => new { e.StartMonth, Commune = c.Name, e.ProvinceCode, e.CommuneCode })
            .FirstOrDefaultAsync(ct);
        if (open is not null)
        {
            var where = scope.Covers(open.ProvinceCode, open.CommuneCode) ? open.Commune : Hosting.Texts.Get("Registry.ElsewhereOutsideScope");
            problems.Add(("PersonId", $"Người này đang hưởng chế độ này tại {where} từ tháng {open.StartMonth:MM/yyyy}: không thể hưởng hai nơi."));
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        a.Status = "checked";
        a.CheckNotes = $"Đạt ngày {Today:dd/MM/yyyy}: số định danh{(person.CitizenIdOverrideReason is null ? "" : " (đã xác nhận)")}, điều kiện nhóm {string.Join(", ", a.Categories.Select(c => c.Code))}, không hưởng nơi khác. Mức dự kiến {entitlement.Total.ToDisplay()}.";
        a.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return (a, null);
    }

    public async Task<(Application? Application, RegistryError? Error)> PostAsync(UserScope scope, long id, CancellationToken ct)
    {
        var (a, _, error) = await LoadAsync(scope, id, ApplicationAction.Post, ct);
        if (error is not null)
        {
            return (null, error);
        }

        var setting = await SettingAsync(a!.ProvinceCode, ct);
        a.Status = "posted";
        a.PostingUntil = workingDays.Add(Today, setting.PostingDays);
        a.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        return (a, null);
    }

    /// <summary>The decision: approval opens the enrolment from the start month (earlier months become back pay); refusal needs a reason.</summary>
    public async Task<(Application? Application, RegistryError? Error)> DecideAsync(UserScope scope, long id, DecideRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        var (a, _, error) = await LoadAsync(scope, id, r.Approve ? ApplicationAction.Approve : ApplicationAction.Refuse, ct);
        if (error is not null)
        {
            return (null, error);
        }

        if (!r.Approve)
        {
            if (string.IsNullOrWhiteSpace(r.RefusalReason))
            {
                return (null, RegistryError.Invalid("RefusalReason", "Từ chối phải ghi rõ lý do (trả lời bằng văn bản)."));
            }

            a!.Status = "refused";
            a.RefusalReason = r.RefusalReason.Trim();
            a.DecidedBy = actor;
            a.DecisionDate = r.DecisionDate ?? Today;
            a.UpdatedAt = time.GetUtcNow();
            db.Audit.Reason = a.RefusalReason;
            await db.SaveChangesAsync(ct);
            return (a, null);
        }

        var problems = new List<(string, string)>();
        if (string.IsNullOrWhiteSpace(r.DecisionNumber))
        {
            problems.Add(("DecisionNumber", "Cần số quyết định."));
        }

        var decisionDate = r.DecisionDate ?? Today;
        if (decisionDate > Today || decisionDate < a!.ReceivedOn)
        {
            problems.Add(("DecisionDate", "Ngày quyết định phải từ ngày nhận hồ sơ đến hôm nay."));
        }

        var start = YearMonth.From(decisionDate);
        if (r.StartMonth is not null && !YearMonth.TryParse(r.StartMonth, out start))
        {
            problems.Add(("StartMonth", "Tháng bắt đầu hưởng phải dạng yyyy-MM."));
        }
        else if (start > YearMonth.From(decisionDate).AddMonths(1) || start < RegistryBounds.FirstMonth)
        {
            problems.Add(("StartMonth", $"Tháng bắt đầu hưởng từ {Display.Month(RegistryBounds.FirstMonth)} đến tháng sau tháng quyết định."));
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var enrolment = new Enrolment
        {
            PersonId = a!.PersonId,
            ProvinceCode = a.ProvinceCode,
            CommuneCode = a.CommuneCode,
            Programme = a.Programme,
            Categories = a.Categories,
            CaredPersonId = a.CaredPersonId,
            Status = EnrolmentStatus.Active,
            StartMonth = start.FirstDay,
            DecisionNumber = r.DecisionNumber!.Trim(),
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
            return (null, RegistryError.Conflict("Người này đã có thời gian hưởng chế độ này trùng với tháng bắt đầu: không thể hưởng hai lần cho một tháng."));
        }

        a.Status = "approved";
        a.DecisionNumber = enrolment.DecisionNumber;
        a.DecisionDate = decisionDate;
        a.StartMonth = start.FirstDay;
        a.DecidedBy = actor;
        a.EnrolmentId = enrolment.Id;
        a.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (a, null);
    }

    public async Task<(Application? Application, RegistryError? Error)> WithdrawAsync(UserScope scope, long id, string? reason, CancellationToken ct)
    {
        var (a, _, error) = await LoadAsync(scope, id, ApplicationAction.Withdraw, ct);
        if (error is not null)
        {
            return (null, error);
        }

        a!.Status = "withdrawn";
        a.UpdatedAt = time.GetUtcNow();
        db.Audit.Reason = reason;
        await db.SaveChangesAsync(ct);
        return (a, null);
    }

    /// <summary>A scanned document: PDF, JPEG or PNG up to 5 MB, its type checked from the bytes, not the name.</summary>
    public async Task<(ApplicationDocument? Document, RegistryError? Error)> AddDocumentAsync(UserScope scope, long id, string docType, string fileName, byte[] content, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var a = await db.Applications.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
        {
            return (null, RegistryError.NotFound("hồ sơ"));
        }

        var contentType = SniffContentType(content);
        var problems = new List<(string, string)>();
        if (!DocumentTypes.Contains(docType))
        {
            problems.Add(("DocType", $"Loại giấy tờ phải là một trong: {string.Join(", ", DocumentTypes)}."));
        }

        if (content.Length == 0 || content.Length > MaxDocumentBytes)
        {
            problems.Add(("File", $"Tệp phải có nội dung và không quá 5 MB (tệp này {content.Length / 1024} KB)."));
        }
        else if (contentType is null)
        {
            problems.Add(("File", "Chỉ nhận tệp PDF, JPEG hoặc PNG (kiểm tra theo nội dung tệp)."));
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        var doc = new ApplicationDocument
        {
            ApplicationId = a.Id,
            ProvinceCode = a.ProvinceCode,
            DocType = docType,
            FileName = Path.GetFileName(fileName),
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

    public static string? SniffContentType(ReadOnlySpan<byte> b) =>
        b.StartsWith("%PDF-"u8) ? "application/pdf"
        : b.Length > 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF ? "image/jpeg"
        : b.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) ? "image/png"
        : null;

    private async Task<(Application? Application, Person? Person, RegistryError? Error)> LoadAsync(UserScope scope, long id, ApplicationAction action, CancellationToken ct)
    {
        var a = await db.Applications.WhereInScope(scope).FirstOrDefaultAsync(x => x.Id == id, ct);
        if (a is null)
        {
            return (null, null, RegistryError.NotFound("hồ sơ"));
        }

        var setting = await SettingAsync(a.ProvinceCode, ct);
        var (_, refusal) = ApplicationWorkflow.Apply(ApplicationWorkflow.Parse(a.Status), action, setting.PostingDays > 0, Today, a.PostingUntil);
        if (refusal is not null)
        {
            return (null, null, RegistryError.Conflict(refusal));
        }

        var person = await db.People.AsNoTracking().FirstAsync(p => p.Id == a.PersonId, ct);
        return (a, person, null);
    }

    private async Task<ProvinceSetting> SettingAsync(string province, CancellationToken ct) =>
        await db.ProvinceSettings.AsNoTracking().FirstOrDefaultAsync(s => s.ProvinceCode == province, ct)
        ?? new ProvinceSetting { ProvinceCode = province, PostingDays = 0, DecisionDays = 10 };
}
