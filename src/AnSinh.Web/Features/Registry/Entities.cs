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

/// <summary>How a province runs the workflow: public posting (0 = none) and the decision deadline, in working days.</summary>
public sealed class ProvinceSetting : IAudited
{
    public required string ProvinceCode { get; init; }
    public int PostingDays { get; set; }
    public int DecisionDays { get; set; } = 10;

    string? IAudited.AuditProvinceCode => ProvinceCode;
}
