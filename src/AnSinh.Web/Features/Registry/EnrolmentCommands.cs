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

/// <summary>A change to a person's enrolment in one programme, effective from a month.</summary>
public sealed record ChangeRequest(
    string Kind,
    string? EffectiveMonth,
    string Reason,
    string? CategoryCode = null,
    string? Severity = null,
    short? Children = null,
    string? CommuneCode = null,
    DateOnly? DeathDate = null,
    bool BackPay = false,
    string? PaymentChannel = null,
    string? PaymentPoint = null,
    string? BankAccount = null,
    string? ProxyName = null,
    string? ProxyCitizenId = null);

/// <summary>
/// Changes close the open period and open the next so that no month is paid twice or lost: category or
/// severity (from the month the condition is met), move (old commune pays through the month before), death
/// (stop after the month of death, funeral support), suspension and resumption, stop.
/// </summary>
public sealed class EnrolmentCommands(AppDbContext db, RulesCatalog rules, TimeProvider time)
{
    public static readonly string[] Kinds = ["category", "payment", "move", "death", "suspend", "resume", "stop"];
    public static readonly string[] Channels = ["cash_point", "home", "proxy", "bank"];

    private DateOnly Today => time.VietnamToday();

    public async Task<RegistryError?> ApplyAsync(UserScope scope, long personId, string programme, ChangeRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        var person = await db.People.WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null)
        {
            return RegistryError.NotFound("người này");
        }

        if (!Kinds.Contains(r.Kind))
        {
            return RegistryError.Invalid("Kind", $"Loại thay đổi phải là một trong: {string.Join(", ", Kinds)}.");
        }

        if (string.IsNullOrWhiteSpace(r.Reason))
        {
            return RegistryError.Invalid("Reason", "Ghi lý do (căn cứ) của thay đổi.");
        }

        if (r.Kind == "death")
        {
            return await DeathAsync(person, r, actor, ct);
        }

        if (!YearMonth.TryParse(r.EffectiveMonth, out var effective))
        {
            return RegistryError.Invalid("EffectiveMonth", "Tháng hiệu lực phải dạng yyyy-MM.");
        }

        if (effective > YearMonth.From(Today).AddMonths(1))
        {
            return RegistryError.Invalid("EffectiveMonth", "Tháng hiệu lực không quá tháng sau.");
        }

        var open = await db.Enrolments.FirstOrDefaultAsync(e => e.PersonId == personId && e.Programme == programme && e.EndMonth == null && e.SupersededAt == null, ct);
        if (open is null)
        {
            return RegistryError.Conflict("Người này không có thời gian hưởng đang mở ở chế độ này.");
        }

        var period = new EnrolmentPeriod(open.Id, YearMonth.From(open.StartMonth), null, open.Status == EnrolmentStatus.Active);
        Enrolment? next = null;
        PeriodChange? change;
        string? refusal;
        switch (r.Kind)
        {
            case "suspend":
                if (!period.Active)
                {
                    return RegistryError.Conflict("Đang tạm dừng rồi.");
                }

                (change, refusal) = EnrolmentTimeline.ChangeFrom(period, effective);
                next = open.NextPeriod(effective.FirstDay, EnrolmentStatus.Suspended, r.Reason, actor);
                break;
            case "resume":
                if (period.Active)
                {
                    return RegistryError.Conflict("Không tạm dừng: không có gì để tiếp tục.");
                }

                // With back pay the suspension is lifted from its start: the suspended months become payable.
                (change, refusal) = EnrolmentTimeline.ChangeFrom(period, r.BackPay ? period.Start : effective);
                next = open.NextPeriod((r.BackPay ? period.Start : effective).FirstDay, EnrolmentStatus.Active, r.Reason, actor);
                break;
            case "stop":
                (change, refusal) = EnrolmentTimeline.StopAfter(period, effective.AddMonths(-1));
                break;
            case "payment":
                var paymentError = CheckPayment(r);
                if (paymentError is not null)
                {
                    return paymentError;
                }

                (change, refusal) = EnrolmentTimeline.ChangeFrom(period, effective);
                next = open.NextPeriod(effective.FirstDay, open.Status, r.Reason, actor);
                next.PaymentChannel = r.PaymentChannel!;
                next.PaymentPoint = r.PaymentChannel is "cash_point" ? r.PaymentPoint?.Trim() : null;
                next.BankAccount = r.PaymentChannel == "bank" ? r.BankAccount!.Trim() : null;
                next.ProxyName = r.PaymentChannel == "proxy" ? r.ProxyName!.Trim() : null;
                next.ProxyCitizenId = r.PaymentChannel == "proxy" ? r.ProxyCitizenId!.Trim() : null;
                break;
            case "move":
                var commune = await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == r.CommuneCode, ct);
                if (commune is null || commune.Code == open.CommuneCode)
                {
                    return RegistryError.Invalid("CommuneCode", "Cần mã xã/phường nơi chuyển đến, khác nơi hiện tại.");
                }

                (change, refusal) = EnrolmentTimeline.ChangeFrom(period, effective);
                next = open.NextPeriod(effective.FirstDay, open.Status, r.Reason, actor);
                next.ProvinceCode = commune.ProvinceCode;
                next.CommuneCode = commune.Code;
                person.ProvinceCode = commune.ProvinceCode;
                person.CommuneCode = commune.Code;
                break;
            default: // category
                (change, refusal) = EnrolmentTimeline.ChangeFrom(period, effective);
                next = open.NextPeriod(effective.FirstDay, open.Status, r.Reason, actor);
                next.CategoryCode = r.CategoryCode ?? open.CategoryCode;
                next.Severity = r.CategoryCode is null || r.CategoryCode == "6" ? r.Severity ?? open.Severity : null;
                next.Children = r.CategoryCode is null || r.CategoryCode == "4" ? r.Children ?? open.Children : null;
                var check = rules.Evaluator(await RulesCatalog.LoadOverridesAsync(db, ct), Today).Evaluate(
                    new CaseFacts(effective, next.ProvinceCode, person.BirthDate, [new CategoryFact(next.CategoryCode, next.Severity, next.Children)]));
                if (programme == Programme.SocialAssistance && check.IsError)
                {
                    return RegistryError.Invalid("CategoryCode", "Không đủ điều kiện theo quy định: " + check.Error);
                }

                break;
        }

        if (refusal is not null)
        {
            return RegistryError.Conflict(refusal);
        }

        return await ApplyChangeAsync(open, change!, next, r.Reason, ct);
    }

    /// <summary>Cash at a payment point, at home (for those who cannot travel), to a proxy with an authorisation letter, or into a personal account.</summary>
    private static RegistryError? CheckPayment(ChangeRequest r)
    {
        var problems = new List<(string, string)>();
        if (!Channels.Contains(r.PaymentChannel))
        {
            problems.Add(("PaymentChannel", "Hình thức nhận: cash_point (tại điểm chi trả), home (tại nhà), proxy (người được ủy quyền) hoặc bank (tài khoản)."));
        }
        else if (r.PaymentChannel == "bank" && (r.BankAccount is null || r.BankAccount.Trim().Length is < 6 or > 20 || !r.BankAccount.Trim().All(char.IsAsciiDigit)))
        {
            problems.Add(("BankAccount", "Số tài khoản gồm 6 đến 20 chữ số."));
        }
        else if (r.PaymentChannel == "proxy")
        {
            if (string.IsNullOrWhiteSpace(r.ProxyName))
            {
                problems.Add(("ProxyName", "Cần họ tên người được ủy quyền."));
            }

            if (Core.People.CitizenId.CheckStructure(r.ProxyCitizenId?.Trim()) is not null)
            {
                problems.Add(("ProxyCitizenId", "Số định danh người được ủy quyền phải gồm 12 chữ số hợp lệ."));
            }
        }

        return problems.Count == 0 ? null : RegistryError.Invalid(problems);
    }

    private async Task<RegistryError?> DeathAsync(Person person, ChangeRequest r, string actor, CancellationToken ct)
    {
        if (r.DeathDate is not { } died || died > Today || died < person.BirthDate)
        {
            return RegistryError.Invalid("DeathDate", "Ngày mất phải từ ngày sinh đến hôm nay.");
        }

        if (person.DeathDate is not null)
        {
            return RegistryError.Conflict($"Đã ghi nhận người này mất ngày {person.DeathDate:dd/MM/yyyy}.");
        }

        var deathMonth = YearMonth.From(died);
        var open = await db.Enrolments.Where(e => e.PersonId == person.Id && e.EndMonth == null && e.SupersededAt == null).ToListAsync(ct);
        var wasBeneficiary = await db.Enrolments.AnyAsync(e => e.PersonId == person.Id && e.SupersededAt == null
            && (e.Programme == Programme.SocialAssistance || e.Programme == Programme.SocialPension) && e.StartMonth <= deathMonth.FirstDay, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Audit.Reason = r.Reason;
        person.DeathDate = died;
        await db.SaveChangesAsync(ct);
        foreach (var e in open)
        {
            // Art. 8.2: paid through the month of death, stopped from the month after.
            var (change, _) = EnrolmentTimeline.StopAfter(new EnrolmentPeriod(e.Id, YearMonth.From(e.StartMonth), null, e.Status == EnrolmentStatus.Active), deathMonth);
            Close(e, change!, r.Reason);
        }

        await db.SaveChangesAsync(ct);
        if (wasBeneficiary)
        {
            var funeral = rules.Evaluator(await RulesCatalog.LoadOverridesAsync(db, ct), Today).EvaluateFuneral(deathMonth, person.ProvinceCode);
            if (!funeral.IsError)
            {
                db.OneTimePayments.Add(new OneTimePayment
                {
                    PersonId = person.Id, ProvinceCode = person.ProvinceCode, CommuneCode = person.CommuneCode, Kind = "funeral",
                    Month = deathMonth.FirstDay, Amount = funeral.Total.Value, Reference = funeral.Lines[0].Reference, CreatedBy = actor,
                });
                await db.SaveChangesAsync(ct);
            }
        }

        await tx.CommitAsync(ct);
        return null;
    }

    private async Task<RegistryError?> ApplyChangeAsync(Enrolment open, PeriodChange change, Enrolment? next, string reason, CancellationToken ct)
    {
        // Close first, then open: the database refuses two open or overlapping periods at any moment.
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Audit.Reason = reason;
        Close(open, change, reason);
        await db.SaveChangesAsync(ct);
        if (change.OpenFrom is not null && next is not null)
        {
            db.Enrolments.Add(next);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation or PostgresErrorCodes.UniqueViolation })
            {
                return RegistryError.Conflict("Thay đổi này làm trùng tháng hưởng với một thời gian hưởng khác: không thực hiện.");
            }
        }

        await tx.CommitAsync(ct);
        return null;
    }

    private void Close(Enrolment e, PeriodChange change, string reason)
    {
        if (change.SupersedeOpen)
        {
            e.SupersededAt = time.GetUtcNow();
        }
        else if (change.CloseAfter is { } last)
        {
            e.EndMonth = last.FirstDay;
        }

        e.ChangeReason = e.ChangeReason is null ? reason : $"{e.ChangeReason}; {reason}";
    }
}
