using AnSinh.Core.Payroll;
using AnSinh.Web.Audit;
using AnSinh.Web.Security;

namespace AnSinh.Web.Features.Payroll;

/// <summary>A province's run for one month. Its lines are written in bulk by <see cref="RunComputer"/>, never through EF.</summary>
public sealed class PayrollRun : IAudited
{
    public long Id { get; init; }
    public required string ProvinceCode { get; init; }
    public DateOnly Month { get; init; }
    public DateOnly CutOff { get; set; }
    public DateOnly LedgerFrom { get; set; }
    public int RecoveryCapPercent { get; set; }
    public required string Status { get; set; }
    public required string PreparedBy { get; set; }
    public DateTimeOffset PreparedAt { get; set; }
    public DateTimeOffset? ComputedAt { get; set; }
    public string? Failure { get; set; }
    public string? SubmittedBy { get; set; }
    public DateTimeOffset? SubmittedAt { get; set; }
    public string? ReturnedReason { get; set; }
    public string? ApprovedBy { get; set; }
    public DateTimeOffset? ApprovedAt { get; set; }
    public string? SentBy { get; set; }
    public DateTimeOffset? SentAt { get; set; }
    public DateTimeOffset? ClosedAt { get; set; }
    public string? DiscardedBy { get; set; }
    public int Lines { get; set; }
    public int Items { get; set; }
    public long Total { get; set; }
    public int UnroutedLines { get; set; }
    public int FullReads { get; set; }
    public DateTimeOffset? LedgerMark { get; set; }
    public string? ContentHash { get; set; }

    public RunStatus State => RunWorkflow.Parse(Status);

    public YearMonth RunMonth => YearMonth.From(Month);

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

/// <summary>A commune officer's confirmation that the commune's part of a draft is right.</summary>
public sealed class PayrollConfirmation : IAudited
{
    public long RunId { get; init; }
    public required string CommuneCode { get; init; }
    public required string ConfirmedBy { get; init; }
    public DateTimeOffset ConfirmedAt { get; init; }

    public string? ProvinceCode { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

/// <summary>An approver forgoes a debt: the month counts as settled from then on.</summary>
public sealed class LedgerWaiver : IAudited
{
    public long Id { get; init; }
    public long PersonId { get; init; }
    public required string ProvinceCode { get; init; }
    public required string Programme { get; init; }
    public DateOnly Month { get; init; }
    public long Amount { get; init; }
    public required string Reason { get; init; }
    public required string WaivedBy { get; init; }
    public DateTimeOffset WaivedAt { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}
