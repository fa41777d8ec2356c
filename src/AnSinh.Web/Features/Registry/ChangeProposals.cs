using AnSinh.Core.Rules;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Rules;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Features.Registry;

public sealed record ProposalDecisionRequest(bool Approve, string? DecisionNumber, DateOnly? DecisionDate, string? RefusalReason);

/// <summary>
/// Suspensions, resumptions, stops and category changes go through the same decider as applications (Circular
/// 02/2021 Art. 2; Decree 147/2025): the officer proposes, checked as it would apply today; the province's decider
/// approves, which applies the change and records the decision in one transaction, or refuses with a reason.
/// Whoever proposed never decides.
/// </summary>
public sealed class ChangeProposals(AppDbContext db, EnrolmentCommands enrolments, RulesCatalog rules, TimeProvider time)
{
    private DateOnly Today => time.VietnamToday();

    public async Task<(ChangeProposal? Proposal, RegistryError? Error)> ProposeAsync(UserScope scope, long personId, string programme, ChangeRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        var person = await db.People.AsNoTracking().WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == personId, ct);
        if (person is null)
        {
            return (null, RegistryError.NotFound("person"));
        }

        if (await enrolments.ApplyAsync(scope, personId, programme, r, actor, ct, commit: false) is { } invalid)
        {
            return (null, invalid);
        }

        var reason = Core.People.FreeText.Clean(r.Reason)!; // present and bounded: the dry run above checked it
        var proposal = new ChangeProposal
        {
            PersonId = personId, ProvinceCode = person.ProvinceCode, CommuneCode = person.CommuneCode, Programme = programme, Kind = r.Kind,
            Request = r with { Reason = reason }, Reason = reason, ProposedBy = actor, ProposedAt = time.GetUtcNow(),
        };
        db.ChangeProposals.Add(proposal);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return (null, RegistryError.Conflict(Hosting.Texts.Of(new Core.Reason("proposal.open", ""))));
        }

        return (proposal, null);
    }

    public async Task<(Decision? Decision, ChangeProposal? Proposal, RegistryError? Error)> DecideAsync(UserScope scope, long proposalId, ProposalDecisionRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        var proposal = await db.ChangeProposals.WhereInScope(scope).FirstOrDefaultAsync(p => p.Id == proposalId, ct);
        if (proposal is null)
        {
            return (null, null, RegistryError.NotFound("proposal"));
        }

        if (proposal.Status != ProposalStatus.Proposed)
        {
            return (null, null, RegistryError.Conflict(Hosting.Texts.Of(new Core.Reason("proposal.decided", ""))));
        }

        var (signer, forbidden) = await Deciding.AuthoriseAsync(db, actor, proposal.ProvinceCode, proposal.CommuneCode, [proposal.ProposedBy], ct);
        if (forbidden is not null)
        {
            return (null, null, forbidden);
        }

        var problems = new List<(string, string)>();
        if (!r.Approve)
        {
            var refusal = RegistryBounds.Text(r.RefusalReason, "RefusalReason", RegistryBounds.MaxReasonLength, problems, required: true);
            if (problems.Count > 0)
            {
                return (null, null, RegistryError.Invalid(problems));
            }

            (proposal.Status, proposal.RefusalReason, proposal.DecidedBy, proposal.DecidedAt) = (ProposalStatus.Refused, refusal, actor, time.GetUtcNow());
            db.Audit.Reason = proposal.RefusalReason;
            await db.SaveChangesAsync(ct);
            return (null, proposal, null);
        }

        var number = RegistryBounds.Text(r.DecisionNumber, "DecisionNumber", RegistryBounds.MaxDecisionNumberLength, problems, required: true);
        var decidedOn = r.DecisionDate ?? Today;
        if (decidedOn > Today || decidedOn < proposal.ProposedAt.VietnamDate())
        {
            problems.Add(("DecisionDate", Hosting.Texts.Get("Registry.DecisionDateAfterProposal")));
        }

        if (problems.Count > 0)
        {
            return (null, null, RegistryError.Invalid(problems));
        }

        // The change, the proposal's outcome and the decision record commit together, or none of them.
        await using var tx = await db.TransactionAsync(ct);
        if (await enrolments.ApplyAsync(scope, proposal.PersonId, proposal.Programme, proposal.Request, actor, ct, decision: (number!, decidedOn)) is { } error)
        {
            return (null, null, error);
        }

        (proposal.Status, proposal.DecidedBy, proposal.DecidedAt) = (ProposalStatus.Approved, actor, time.GetUtcNow());
        var effective = YearMonth.TryParse(proposal.Request.EffectiveMonth, out var m) ? m : YearMonth.From(decidedOn);
        var decision = Decisions.Record(signer!, proposal.Kind, proposal.PersonId, proposal.ProvinceCode, proposal.CommuneCode, proposal.Programme,
            number!, decidedOn, effective, await AmountAsync(proposal, effective, decidedOn, ct), proposal.Reason, proposalId: proposal.Id);
        db.Decisions.Add(decision);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (decision, proposal, null);
    }

    /// <summary>What the decision pays from its month: for a category change or a resumption, the new period's amount; nothing for a suspension or stop.</summary>
    private async Task<Entitlement?> AmountAsync(ChangeProposal p, YearMonth effective, DateOnly knownOn, CancellationToken ct)
    {
        if (p.Kind is not ("category" or "resume"))
        {
            return null;
        }

        var period = await db.Enrolments.AsNoTracking()
            .Where(e => e.PersonId == p.PersonId && e.Programme == p.Programme && e.SupersededAt == null && e.EndMonth == null)
            .FirstOrDefaultAsync(ct);
        if (period is null)
        {
            return null;
        }

        var person = await db.People.AsNoTracking().FirstAsync(x => x.Id == p.PersonId, ct);
        var month = YearMonth.From(period.StartMonth) > effective ? YearMonth.From(period.StartMonth) : effective;
        return await EntitlementFacts.ForProgrammeAsync(db, rules, person, p.Programme, period.ProvinceCode, month, period.Categories, period.CaredPersonId, knownOn, ct);
    }
}
