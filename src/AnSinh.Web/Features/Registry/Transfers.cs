using AnSinh.Core.Registry;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Rules;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Features.Registry;

/// <summary>A move to a commune outside the officer's area, from <see cref="EffectiveMonth"/> (the first month the new place pays).</summary>
public sealed record TransferRequest(string? CommuneCode, string? EffectiveMonth, string? Reason);

/// <summary>What both sides see of a transfer: enough of the person for the receiving place to decide, and where from and to.</summary>
public sealed record TransferView(long Id, long PersonId, string FullName, string CitizenId, DateOnly BirthDate, string FromCommune, string FromProvince,
    string ToCommuneCode, string ToCommune, string ToProvince, string EffectiveMonth, string Reason, string Status, string RequestedBy, DateOnly RequestedOn,
    string? RefusalReason, IReadOnlyList<string> Programmes, bool Incoming)
{
    /// <summary>Still waiting for the receiving place: the only state in which anyone may act on it.</summary>
    public bool Open => Status == TransferWorkflow.Code(TransferStatus.Requested);
}

/// <summary>
/// Moves between places no single officer covers (domain.md, "Moving"): the old commune requests, the receiving
/// place's decider completes (the periods move in one transaction, with a decision record) or refuses, and the
/// old commune may withdraw while it waits. Statuses come from <see cref="TransferWorkflow"/>.
/// </summary>
public sealed class Transfers(AppDbContext db, EnrolmentCommands enrolments, RulesCatalog rules, TimeProvider time)
{
    private DateOnly Today => time.VietnamToday();

    public async Task<(Transfer? Transfer, RegistryError? Error)> RequestAsync(UserScope scope, long personId, TransferRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(r);
        var person = await db.People.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null)
        {
            return (null, RegistryError.NotFound("person"));
        }

        var problems = new List<(string, string)>();
        var reason = RegistryBounds.Text(r.Reason, "Reason", RegistryBounds.MaxReasonLength, problems, required: true);
        var commune = await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == r.CommuneCode, ct);
        if (commune is null || commune.Code == person.CommuneCode)
        {
            problems.Add(("CommuneCode", Texts.Get("Transfer.ChooseCommune")));
        }
        else if (scope.Covers(commune.ProvinceCode, commune.Code))
        {
            problems.Add(("CommuneCode", Texts.Get("Transfer.InsideArea")));
        }

        if (EnrolmentCommands.CheckEffective(r.EffectiveMonth, Today) is { } monthError)
        {
            problems.AddRange(monthError.Problems);
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        if (person.DeathDate is not null || !await db.Enrolments.AnyAsync(e => e.PersonId == personId && e.EndMonth == null && e.SupersededAt == null, ct))
        {
            return (null, RegistryError.Conflict(Texts.Get("Transfer.NothingOpen")));
        }

        var transfer = new Transfer
        {
            PersonId = personId, FromProvinceCode = person.ProvinceCode, FromCommuneCode = person.CommuneCode, ToProvinceCode = commune!.ProvinceCode,
            ToCommuneCode = commune.Code, EffectiveMonth = YearMonth.Parse(r.EffectiveMonth!).FirstDay, Reason = reason!,
            Status = TransferWorkflow.Code(TransferStatus.Requested), RequestedBy = actor, RequestedAt = time.GetUtcNow(),
        };
        db.Transfers.Add(transfer);
        db.Audit.Reason = reason;
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return (null, RegistryError.Conflict(Texts.Get("Transfer.AlreadyOpen")));
        }

        return (transfer, null);
    }

    /// <summary>The receiving place's decider completes (moves the person, records the decision) or refuses with a reason.</summary>
    public async Task<(Decision? Decision, RegistryError? Error)> DecideAsync(UserScope scope, long transferId, ProposalDecisionRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(r);
        var (transfer, error) = await StepAsync(scope, transferId, r.Approve ? TransferAction.Complete : TransferAction.Refuse, ct);
        if (error is not null)
        {
            return (null, error);
        }

        var (signer, forbidden) = await Deciding.AuthoriseAsync(db, actor, transfer!.ToProvinceCode, transfer.ToCommuneCode, [transfer.RequestedBy], ct);
        if (forbidden is not null)
        {
            return (null, forbidden);
        }

        var problems = new List<(string, string)>();
        if (!r.Approve)
        {
            var refusal = RegistryBounds.Text(r.RefusalReason, "RefusalReason", RegistryBounds.MaxReasonLength, problems, required: true);
            if (problems.Count > 0)
            {
                return (null, RegistryError.Invalid(problems));
            }

            Settle(transfer, TransferStatus.Refused, actor);
            transfer.RefusalReason = refusal;
            db.Audit.Reason = refusal;
            await db.SaveChangesAsync(ct);
            return (null, null);
        }

        var number = RegistryBounds.Text(r.DecisionNumber, "DecisionNumber", RegistryBounds.MaxDecisionNumberLength, problems, required: true);
        var decidedOn = r.DecisionDate ?? Today;
        if (decidedOn > Today || decidedOn < transfer.RequestedAt.VietnamDate())
        {
            problems.Add(("DecisionDate", Texts.Get("Registry.DecisionDateAfterProposal")));
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        // The old periods close, the new ones open, the transfer settles and the decision is recorded: all or nothing.
        await using var tx = await db.TransactionAsync(ct);
        var person = await db.People.FirstAsync(p => p.Id == transfer.PersonId, ct);
        if (person.CommuneCode != transfer.FromCommuneCode || person.DeathDate is not null)
        {
            return (null, RegistryError.Conflict(Texts.Get("Transfer.PersonChanged")));
        }

        var commune = await db.Communes.AsNoTracking().FirstAsync(c => c.Code == transfer.ToCommuneCode, ct);
        var effective = YearMonth.From(transfer.EffectiveMonth);
        if (await enrolments.RelocateAsync(person, commune, effective, transfer.Reason, actor, (number!, decidedOn), ct) is { } moveError)
        {
            return (null, moveError);
        }

        Settle(transfer, TransferStatus.Completed, actor);
        var main = await db.Enrolments.AsNoTracking()
            .Where(e => e.PersonId == person.Id && e.SupersededAt == null && e.StartMonth == transfer.EffectiveMonth && e.CommuneCode == commune.Code)
            .OrderBy(e => e.Programme == Programme.SocialAssistance ? 0 : e.Programme == Programme.SocialPension ? 1 : 2)
            .FirstOrDefaultAsync(ct);
        var amount = main is null ? null
            : await EntitlementFacts.ForProgrammeAsync(db, rules, person, main.Programme, commune.ProvinceCode, effective, main.Categories, main.CaredPersonId, decidedOn, ct);
        var decision = Decisions.Record(signer!, "move", person.Id, commune.ProvinceCode, commune.Code, main?.Programme ?? Programme.SocialAssistance,
            number!, decidedOn, effective, amount, transfer.Reason, transferId: transfer.Id);
        db.Decisions.Add(decision);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (decision, null);
    }

    /// <summary>The sending side takes back a request not yet decided.</summary>
    public async Task<RegistryError?> WithdrawAsync(UserScope scope, long transferId, string actor, CancellationToken ct)
    {
        var (transfer, error) = await StepAsync(scope, transferId, TransferAction.Withdraw, ct);
        if (error is not null)
        {
            return error;
        }

        Settle(transfer!, TransferStatus.Withdrawn, actor);
        await db.SaveChangesAsync(ct);
        return null;
    }

    /// <summary>The transfer, if this user's side may take the step (receivers complete or refuse, senders withdraw) and the workflow allows it.</summary>
    private async Task<(Transfer? Transfer, RegistryError? Error)> StepAsync(UserScope scope, long transferId, TransferAction action, CancellationToken ct)
    {
        var transfer = await db.Transfers.FirstOrDefaultAsync(t => t.Id == transferId, ct);
        var mine = transfer is not null && (TransferWorkflow.ForReceiver(action)
            ? scope.Covers(transfer.ToProvinceCode, transfer.ToCommuneCode)
            : scope.Covers(transfer.FromProvinceCode, transfer.FromCommuneCode));
        if (!mine)
        {
            return (null, RegistryError.NotFound("transfer"));
        }

        var (_, refusal) = TransferWorkflow.Apply(TransferWorkflow.Parse(transfer!.Status), action);
        return refusal is null ? (transfer, null) : (null, RegistryError.Conflict(Texts.Of(refusal)));
    }

    /// <summary>The transfers whose sending or receiving place the user covers.</summary>
    private static IQueryable<Transfer> Visible(AppDbContext db, UserScope scope, bool all)
    {
        var q = db.Transfers.AsNoTracking();
        if (!all)
        {
            var requested = TransferWorkflow.Code(TransferStatus.Requested);
            q = q.Where(t => t.Status == requested);
        }

        return scope.Level switch
        {
            ScopeLevel.All => q,
            ScopeLevel.Province => q.Where(t => t.ToProvinceCode == scope.ProvinceCode || t.FromProvinceCode == scope.ProvinceCode),
            _ => q.Where(t => t.ToCommuneCode == scope.CommuneCode || t.FromCommuneCode == scope.CommuneCode),
        };
    }

    private void Settle(Transfer t, TransferStatus status, string actor) =>
        (t.Status, t.DecidedBy, t.DecidedAt) = (TransferWorkflow.Code(status), actor, time.GetUtcNow());

    /// <summary>Open transfers into and out of the user's area, counted: the home page's work list.</summary>
    public static async Task<(int In, int Out)> CountOpenAsync(AppDbContext db, UserScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var open = await Visible(db, scope, all: false).Select(t => new { t.ToProvinceCode, t.ToCommuneCode }).ToListAsync(ct);
        var incoming = open.Count(t => scope.Covers(t.ToProvinceCode, t.ToCommuneCode));
        return (incoming, open.Count - incoming);
    }

    /// <summary>Transfers into and out of the user's area, newest first; open ones unless <paramref name="all"/>; only one with <paramref name="only"/>.</summary>
    public static async Task<IReadOnlyList<TransferView>> ListAsync(AppDbContext db, UserScope scope, bool all, CancellationToken ct, long? only = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        var q = Visible(db, scope, all);
        if (only is { } id)
        {
            q = q.Where(t => t.Id == id);
        }

        var rows = await (
            from t in q
            join p in db.People on t.PersonId equals p.Id
            join fc in db.Communes on t.FromCommuneCode equals fc.Code
            join fp in db.Provinces on t.FromProvinceCode equals fp.Code
            join tc in db.Communes on t.ToCommuneCode equals tc.Code
            join tp in db.Provinces on t.ToProvinceCode equals tp.Code
            orderby t.RequestedAt descending
            select new { t, p.FullName, p.CitizenId, p.BirthDate, From = fc.Name, FromProvince = fp.Name, To = tc.Name, ToProvince = tp.Name })
            .Take(500).ToListAsync(ct);
        var people = rows.Select(r => r.t.PersonId).Distinct().ToList();
        var programmes = (await db.Enrolments.AsNoTracking()
                .Where(e => people.Contains(e.PersonId) && e.EndMonth == null && e.SupersededAt == null)
                .Select(e => new { e.PersonId, e.Programme }).ToListAsync(ct))
            .ToLookup(e => e.PersonId, e => e.Programme);
        return [.. rows.Select(r => new TransferView(r.t.Id, r.t.PersonId, r.FullName, r.CitizenId, r.BirthDate, r.From, r.FromProvince, r.t.ToCommuneCode, r.To, r.ToProvince,
            YearMonth.From(r.t.EffectiveMonth).ToString(), r.t.Reason, r.t.Status, r.t.RequestedBy, r.t.RequestedAt.VietnamDate(), r.t.RefusalReason,
            [.. programmes[r.t.PersonId].Distinct()], scope.Covers(r.t.ToProvinceCode, r.t.ToCommuneCode)))];
    }
}
