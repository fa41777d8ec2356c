using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Grievances;

/// <summary>
/// The registry record an answer linked: a signed decision, or a proposal with the decision it became once signed (null
/// while it waits; a refused proposal shows as refused).
/// </summary>
public sealed record GrievanceActionLink(long? ProposalId, string? ProposalKind, string? ProposalStatus, long? DecisionId, string? DecisionKind, string? DecisionNumber, DateOnly? DecidedOn);

/// <summary>A record the officer may link when answering: one of the person's signed decisions or their proposals waiting for the decider.</summary>
public sealed record GrievanceActionChoice(string Value, bool IsDecision, string Kind, string Label, DateOnly On);

public static class GrievanceActions
{
    /// <summary>The form's value for a choice: "d" or "p" and the record's id (one select offers both).</summary>
    public static (long? DecisionId, long? ProposalId, bool Valid) ParseChoice(string? value) => value switch
    {
        null or "" => (null, null, true),
        ['d', .. var id] when long.TryParse(id, out var d) && d > 0 => (d, null, true),
        ['p', .. var id] when long.TryParse(id, out var p) && p > 0 => (null, p, true),
        _ => (null, null, false),
    };

    public static async Task<GrievanceActionLink?> ReadAsync(AppDbContext db, Grievance g, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(g);
        if (g.ActionDecisionId is { } d)
        {
            return await db.Decisions.AsNoTracking().Where(x => x.Id == d)
                .Select(x => new GrievanceActionLink(null, null, null, x.Id, x.Kind, x.Number, x.DecidedOn)).FirstOrDefaultAsync(ct);
        }

        if (g.ActionProposalId is not { } p)
        {
            return null;
        }

        return await (from cp in db.ChangeProposals.AsNoTracking()
                      where cp.Id == p
                      from dn in db.Decisions.AsNoTracking().Where(x => x.ProposalId == cp.Id).DefaultIfEmpty()
                      select new GrievanceActionLink(cp.Id, cp.Kind, cp.Status, dn == null ? null : dn.Id, dn == null ? null : dn.Kind, dn == null ? null : dn.Number, dn == null ? null : dn.DecidedOn))
            .FirstOrDefaultAsync(ct);
    }

    /// <summary>The person's signed decisions and waiting proposals (an approved one is offered as its decision), newest first, at most 50 of each.</summary>
    public static async Task<IReadOnlyList<GrievanceActionChoice>> ChoicesAsync(AppDbContext db, UserScope scope, long personId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var decisions = await db.Decisions.AsNoTracking().WhereInScope(scope).Where(x => x.PersonId == personId)
            .OrderByDescending(x => x.DecidedOn).ThenByDescending(x => x.Id).Take(50)
            .Select(x => new { x.Id, x.Kind, x.Number, x.DecidedOn }).ToListAsync(ct);
        var proposals = await db.ChangeProposals.AsNoTracking().WhereInScope(scope)
            .Where(x => x.PersonId == personId && x.Status == ProposalStatus.Proposed)
            .OrderByDescending(x => x.Id).Take(50).Select(x => new { x.Id, x.Kind, x.ProposedAt }).ToListAsync(ct);
        return [
            .. decisions.Select(x => new GrievanceActionChoice($"d{x.Id}", true, x.Kind, x.Number, x.DecidedOn)),
            .. proposals.Select(x => new GrievanceActionChoice($"p{x.Id}", false, x.Kind, $"#{x.Id}", x.ProposedAt.VietnamDate())),
        ];
    }
}
