using AnSinh.Core.People;
using AnSinh.Web.Audit;
using AnSinh.Web.Security;

namespace AnSinh.Web.Features.People;

public sealed class Person : IAudited, IPlaced
{
    public long Id { get; init; }
    public required string CitizenId { get; set; }
    public required string FullName { get; set; }
    public DateOnly BirthDate { get; set; }
    public Sex Sex { get; set; }
    public required string ProvinceCode { get; set; }
    public required string CommuneCode { get; set; }
    public string? Address { get; set; }
    public string? Phone { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

public sealed class Enrolment : IAudited, IPlaced
{
    public long Id { get; init; }
    public long PersonId { get; init; }
    public required string ProvinceCode { get; set; }
    public required string CommuneCode { get; set; }
    public required string Programme { get; init; }
    public required string CategoryCode { get; set; }
    public string? Severity { get; set; }
    public short? Children { get; set; }
    public required string Status { get; set; }
    public DateOnly StartMonth { get; set; }
    public DateOnly? EndMonth { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

public static class Programmes
{
    public const string SocialAssistance = "social_assistance";
    public const string CareSupport = "care_support";
    public const string SocialPension = "social_pension";
}

public static class EnrolmentStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
    public const string Stopped = "stopped";
}
