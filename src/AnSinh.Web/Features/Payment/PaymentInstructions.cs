using AnSinh.Core.Payment;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Features.Payment;

/// <summary>Set how a person is paid from a month on: for every programme, or (Programme) for one of them.</summary>
public sealed record SetInstructionRequest(
    string Method,
    string StartMonth,
    string Reason,
    string? Programme = null,
    long? PaymentPointId = null,
    string? HomeReason = null,
    string? BankBin = null,
    string? AccountNumber = null,
    string? AccountHolder = null,
    long? ProxyId = null);

public sealed record InstructionView(long Id, string? Programme, string Method, string From, string? To, long? PaymentPointId, string? PaymentPoint,
    string? HomeReason, string? BankBin, string? BankName, string? AccountNumber, string? AccountHolder, long? ProxyId, string? ProxyName, string? Reason, string CreatedBy);

/// <summary>
/// Payment instructions are effective-dated like enrolments but independent of them: a new instruction closes the
/// one it replaces (or supersedes it when it starts the same month or later) and never touches a period.
/// </summary>
public static class PaymentInstructions
{
    public static async Task<(PaymentInstruction? Instruction, RegistryError? Error)> SetAsync(
        AppDbContext db, UserScope scope, long personId, SetInstructionRequest r, string actor, TimeProvider time, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(r);
        ArgumentNullException.ThrowIfNull(time);
        var today = time.VietnamToday();
        var person = await db.People.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null)
        {
            return (null, RegistryError.NotFound("person"));
        }

        var problems = new List<(string, string)>();
        if (person.DeathDate is not null)
        {
            problems.Add(("", Hosting.Texts.Get("Payment.Err.Died")));
        }

        if (!YearMonth.TryParse(r.StartMonth, out var start) || start < RegistryBounds.FirstMonth || start > YearMonth.From(today).AddMonths(1))
        {
            problems.Add(("StartMonth", Hosting.Texts.Get("Payment.Err.StartMonth", Display.Month(RegistryBounds.FirstMonth))));
        }

        if (r.Programme is not (null or Core.Rules.Programme.SocialAssistance or Core.Rules.Programme.SocialPension or Core.Rules.Programme.CareSupport))
        {
            problems.Add(("Programme", Texts.Get("Reason.programme.unknown")));
        }

        if (string.IsNullOrWhiteSpace(r.Reason) || r.Reason.Length > RegistryBounds.MaxReasonLength)
        {
            problems.Add(("Reason", Hosting.Texts.Get("Payment.Err.Reason", RegistryBounds.MaxReasonLength)));
        }

        string? account = null;
        switch (r.Method)
        {
            case PaymentMethods.CashPoint or PaymentMethods.Proxy:
                var point = await db.PaymentPoints.AsNoTracking().FirstOrDefaultAsync(p => p.Id == r.PaymentPointId, ct);
                if (point is null || point.CommuneCode != person.CommuneCode || !point.Active)
                {
                    problems.Add(("PaymentPointId", Hosting.Texts.Get("Payment.Err.Point")));
                }

                if (r.Method == PaymentMethods.Proxy)
                {
                    var proxy = await db.ProxyAuthorisations.AsNoTracking().FirstOrDefaultAsync(p => p.Id == r.ProxyId && p.PersonId == personId, ct);
                    if (proxy is null || proxy.RevokedAt is not null || proxy.ValidFrom is null || proxy.ValidTo is null || proxy.ValidTo < start.FirstDay)
                    {
                        problems.Add(("ProxyId", Hosting.Texts.Get("Payment.Err.Proxy")));
                    }
                }

                break;
            case PaymentMethods.Home:
                if (string.IsNullOrWhiteSpace(r.HomeReason) || r.HomeReason.Length > 300)
                {
                    problems.Add(("HomeReason", Hosting.Texts.Get("Payment.Err.HomeReason")));
                }

                break;
            case PaymentMethods.Bank:
                if (r.BankBin is null || !await db.Banks.AnyAsync(b => b.Bin == r.BankBin, ct))
                {
                    problems.Add(("BankBin", Hosting.Texts.Get("Payment.Err.Bank")));
                }

                Core.Reason? accountProblem;
                (account, accountProblem) = BankAccounts.Normalise(r.AccountNumber);
                if (accountProblem is not null)
                {
                    problems.Add((accountProblem.Field, Texts.Of(accountProblem)));
                }

                var proxies = await db.ProxyAuthorisations.AsNoTracking().Where(p => p.PersonId == personId && p.RevokedAt == null).Select(p => p.FullName).ToListAsync(ct);
                if ((r.AccountHolder?.Length ?? 0) > 100 || !BankAccounts.HolderIsOneOf(r.AccountHolder ?? "", [person.FullName, .. proxies]))
                {
                    problems.Add(("AccountHolder", Hosting.Texts.Get("Payment.Err.Holder")));
                }

                break;
            default:
                problems.Add(("Method", Hosting.Texts.Get("Payment.Err.Method")));
                break;
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        var instruction = new PaymentInstruction
        {
            PersonId = personId,
            ProvinceCode = person.ProvinceCode,
            CommuneCode = person.CommuneCode,
            Programme = r.Programme,
            Method = r.Method,
            PaymentPointId = r.Method is PaymentMethods.CashPoint or PaymentMethods.Proxy ? r.PaymentPointId : null,
            HomeReason = r.Method == PaymentMethods.Home ? r.HomeReason!.Trim() : null,
            BankBin = r.Method == PaymentMethods.Bank ? r.BankBin : null,
            AccountNumber = account,
            AccountHolder = r.Method == PaymentMethods.Bank ? r.AccountHolder!.Trim() : null,
            ProxyId = r.Method == PaymentMethods.Proxy ? r.ProxyId : null,
            StartMonth = start.FirstDay,
            Reason = r.Reason.Trim(),
            CreatedBy = actor,
        };
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        db.Audit.Reason = instruction.Reason;
        await EndFromAsync(db, personId, start, i => i.Programme == r.Programme, time.GetUtcNow(), ct);
        db.PaymentInstructions.Add(instruction);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation })
        {
            return (null, RegistryError.Conflict(Hosting.Texts.Get("Payment.Err.Concurrent")));
        }

        await tx.CommitAsync(ct);
        return (instruction, null);
    }

    /// <summary>After a move, cash at the old commune's points ends: the new commune must set where the person collects.</summary>
    public static Task EndForMoveAsync(AppDbContext db, long personId, YearMonth effective, DateTimeOffset now, CancellationToken ct) =>
        EndFromAsync(db, personId, effective, i => i.PaymentPointId != null, now, ct);

    /// <summary>Live instructions reaching into <paramref name="from"/> end the month before, or are superseded if they start later.</summary>
    private static async Task EndFromAsync(AppDbContext db, long personId, YearMonth from, System.Linq.Expressions.Expression<Func<PaymentInstruction, bool>> which, DateTimeOffset now, CancellationToken ct)
    {
        var live = await db.PaymentInstructions
            .Where(i => i.PersonId == personId && i.SupersededAt == null && (i.EndMonth == null || i.EndMonth >= from.FirstDay))
            .Where(which)
            .ToListAsync(ct);
        foreach (var i in live)
        {
            if (i.StartMonth >= from.FirstDay)
            {
                i.SupersededAt = now;
            }
            else
            {
                i.EndMonth = from.AddMonths(-1).FirstDay;
            }
        }

        await db.SaveChangesAsync(ct);
    }

    public static async Task<IReadOnlyList<InstructionView>> ForPersonAsync(AppDbContext db, long personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await (
            from i in db.PaymentInstructions.AsNoTracking()
            where i.PersonId == personId && i.SupersededAt == null
            join pp in db.PaymentPoints on i.PaymentPointId equals (long?)pp.Id into points
            from pp in points.DefaultIfEmpty()
            join b in db.Banks on i.BankBin equals b.Bin into banks
            from b in banks.DefaultIfEmpty()
            join pa in db.ProxyAuthorisations on i.ProxyId equals (long?)pa.Id into proxies
            from pa in proxies.DefaultIfEmpty()
            orderby i.StartMonth descending, i.Id descending
            select new { i, Point = pp == null ? null : pp.Name, Bank = b == null ? null : b.ShortName, Proxy = pa == null ? null : pa.FullName }).ToListAsync(ct);
        return [.. rows.Select(r => new InstructionView(r.i.Id, r.i.Programme, r.i.Method, YearMonth.From(r.i.StartMonth).ToString(),
            r.i.EndMonth is { } end ? YearMonth.From(end).ToString() : null, r.i.PaymentPointId, r.Point, r.i.HomeReason, r.i.BankBin, r.Bank,
            r.i.AccountNumber, r.i.AccountHolder, r.i.ProxyId, r.Proxy, r.i.Reason, r.i.CreatedBy))];
    }
}
