using AnSinh.Core.Rules;
using AnSinh.Web.Audit;
using AnSinh.Web.Security;

namespace AnSinh.Web.Features.Registry;

public sealed class Application : IAudited, IPlaced
{
    public long Id { get; init; }
    public long PersonId { get; init; }
    public required string ProvinceCode { get; set; }
    public required string CommuneCode { get; set; }
    public required string Programme { get; init; }
    /// <summary>Every category the person asks to be recorded in (Art. 6.2): the rules choose what is paid.</summary>
    public required IReadOnlyList<CategoryFact> Categories { get; set; }
    public long? CaredPersonId { get; set; }
    public required string Channel { get; init; }
    public DateOnly ReceivedOn { get; init; }
    public DateOnly DueOn { get; set; }
    public required string Status { get; set; }
    public string? CheckNotes { get; set; }
    /// <summary>Who checked it: they, like whoever received it, may not decide it.</summary>
    public string? CheckedBy { get; set; }
    public DateOnly? PostingUntil { get; set; }
    public string? DecisionNumber { get; set; }
    public DateOnly? DecisionDate { get; set; }
    public DateOnly? StartMonth { get; set; }
    public string? RefusalReason { get; set; }
    public string? DecidedBy { get; set; }
    public long? EnrolmentId { get; set; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset UpdatedAt { get; set; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

public sealed class ApplicationDocument : IAudited
{
    public long Id { get; init; }
    public long ApplicationId { get; init; }
    public required string ProvinceCode { get; init; }
    public required string DocType { get; init; }
    public required string FileName { get; init; }
    public required string ContentType { get; init; }
    public int SizeBytes { get; init; }
    public required string Sha256 { get; init; }
    public required byte[] Content { get; init; }
    public required string UploadedBy { get; init; }
    public DateTimeOffset UploadedAt { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

public sealed class OneTimePayment : IAudited, IPlaced
{
    public long Id { get; init; }
    public long PersonId { get; init; }
    public required string ProvinceCode { get; init; }
    public required string CommuneCode { get; init; }
    public required string Kind { get; init; }
    public DateOnly Month { get; init; }
    public long Amount { get; init; }
    public required string Reference { get; init; }
    public required string CreatedBy { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

/// <summary>How a province runs the workflow: public posting (0 = none), the decision deadline in working days, and who decides.</summary>
public sealed class ProvinceSetting : IAudited
{
    public required string ProvinceCode { get; init; }
    public int PostingDays { get; set; }
    public int DecisionDays { get; set; } = 10;
    /// <summary>"commune" (the commune chairman, the default since 1/7/2025) or "province" (a province approver).</summary>
    public string Decider { get; set; } = "commune";
    /// <summary>How much of a payroll line's positive amount recoveries may take, in percent (100: a line never goes below zero).</summary>
    public int RecoveryCapPercent { get; set; } = 100;
    /// <summary>The payroll ledger's first month: earlier months were settled before AnSinh (null: the first run's month).</summary>
    public DateOnly? PayrollFrom { get; set; }
    /// <summary>Whether the communes' lists of beneficiaries are on the public web (the printed list is posted either way).</summary>
    public bool PublicPosting { get; set; }
    /// <summary>Grievance deadlines in working days; null keeps the default (<see cref="Core.Oversight.GrievanceDeadlines.Default"/>).</summary>
    public int? GrievanceAcceptDays { get; set; }
    public int? ComplaintDays { get; set; }
    public int? DenunciationDays { get; set; }
    public int? PetitionDays { get; set; }

    public Core.Oversight.GrievanceDeadlines Deadlines
    {
        get
        {
            var d = Core.Oversight.GrievanceDeadlines.Default;
            return new(GrievanceAcceptDays ?? d.AcceptDays, ComplaintDays ?? d.ComplaintDays, DenunciationDays ?? d.DenunciationDays, PetitionDays ?? d.PetitionDays);
        }
    }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

/// <summary>A change that needs a decision (suspend, resume, stop, category), proposed by an officer and decided by the province's decider.</summary>
public sealed class ChangeProposal : IAudited, IPlaced
{
    public long Id { get; init; }
    public long PersonId { get; init; }
    public required string ProvinceCode { get; init; }
    public required string CommuneCode { get; init; }
    public required string Programme { get; init; }
    public required string Kind { get; init; }
    /// <summary>The request as proposed, applied unchanged on approval.</summary>
    public required ChangeRequest Request { get; init; }
    public required string Reason { get; init; }
    public string Status { get; set; } = ProposalStatus.Proposed;
    public required string ProposedBy { get; init; }
    public DateTimeOffset ProposedAt { get; init; }
    public string? DecidedBy { get; set; }
    public string? RefusalReason { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

public static class ProposalStatus
{
    public const string Proposed = "proposed";
    public const string Approved = "approved";
    public const string Refused = "refused";
}

/// <summary>
/// A signed decision as it was made: the office, the signer's title and name, and for an approval or a category
/// change the monthly amount with its lines on the rules known on the decision date. Reprints read this record.
/// </summary>
public sealed class Decision : IAudited, IPlaced
{
    public long Id { get; init; }
    public long PersonId { get; init; }
    public required string ProvinceCode { get; init; }
    public required string CommuneCode { get; init; }
    public required string Programme { get; init; }
    public required string Kind { get; init; }
    public long? ApplicationId { get; init; }
    public long? ProposalId { get; init; }
    public long? TransferId { get; init; }
    public required string Number { get; init; }
    public DateOnly DecidedOn { get; init; }
    public DateOnly EffectiveMonth { get; init; }
    public required string Office { get; init; }
    public required string SignerTitle { get; init; }
    public required string SignerName { get; init; }
    public required string DecidedBy { get; init; }
    /// <summary>The monthly amount as decided; null when the decision pays nothing (suspension, stop) or the rules could not say.</summary>
    public long? Amount { get; init; }
    public IReadOnlyList<DecisionLine> Lines { get; init; } = [];
    public string? Reason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

/// <summary>One paid line of a decision, frozen: coefficient × base = amount, with its legal reference and explanation.</summary>
public sealed record DecisionLine(string Programme, string Code, decimal Coefficient, long Base, long Amount, string Reference, string Explanation);

/// <summary>A move out of the requesting officer's area, waiting for (or settled by) the receiving place's decider.</summary>
public sealed class Transfer : IAudited
{
    public long Id { get; init; }
    public long PersonId { get; init; }
    public required string FromProvinceCode { get; init; }
    public required string FromCommuneCode { get; init; }
    public required string ToProvinceCode { get; init; }
    public required string ToCommuneCode { get; init; }
    public DateOnly EffectiveMonth { get; init; }
    public required string Reason { get; init; }
    public required string Status { get; set; }
    public required string RequestedBy { get; init; }
    public DateTimeOffset RequestedAt { get; init; }
    public string? DecidedBy { get; set; }
    public DateTimeOffset? DecidedAt { get; set; }
    public string? RefusalReason { get; set; }

    /// <summary>Audited under the province it leaves; the receiving province sees it through the transfer list.</summary>
    string? IAudited.AuditProvinceCode => FromProvinceCode;
}
