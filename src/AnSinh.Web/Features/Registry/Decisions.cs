using AnSinh.Core.Rules;
using AnSinh.Core.Time;

namespace AnSinh.Web.Features.Registry;

/// <summary>What a signed decision records: who signed for which office, and the amount as decided.</summary>
public static class Decisions
{
    /// <param name="entitlement">The monthly amount on the rules known on the decision date, or null for a decision that pays nothing (suspension, stop).</param>
    public static Decision Record(Signer signer, string kind, long personId, string provinceCode, string communeCode, string programme,
        string number, DateOnly decidedOn, YearMonth effective, Entitlement? entitlement, string? reason, long? applicationId = null, long? proposalId = null, long? transferId = null)
    {
        ArgumentNullException.ThrowIfNull(signer);
        var paid = entitlement is { IsError: false };
        return new Decision
        {
            PersonId = personId, ProvinceCode = provinceCode, CommuneCode = communeCode, Programme = programme, Kind = kind,
            ApplicationId = applicationId, ProposalId = proposalId, TransferId = transferId, Number = number, DecidedOn = decidedOn, EffectiveMonth = effective.FirstDay,
            Office = signer.Office, SignerTitle = signer.Title, SignerName = signer.Name, DecidedBy = signer.UserName,
            Amount = paid ? entitlement!.Total.Value : null,
            Lines = paid ? [.. entitlement!.Lines.Select(l => new DecisionLine(l.Programme, l.Code, l.Coefficient.Value, l.Base.Value, l.Amount.Value, l.Reference, l.Explanation))] : [],
            Reason = reason,
        };
    }
}
