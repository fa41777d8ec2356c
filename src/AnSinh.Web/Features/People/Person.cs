using AnSinh.Core.People;
using AnSinh.Core.Rules;
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
    public string? Hamlet { get; set; }
    public string? Phone { get; set; }
    public long? HouseholdId { get; set; }
    public string? CitizenIdOverrideReason { get; set; }
    public DateOnly? DeathDate { get; set; }

    /// <summary>Lower-case, unaccented name kept by a database trigger, for search without diacritics.</summary>
    public string SearchName { get; private set; } = "";
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
    /// <summary>Every category the person is recorded in (Art. 6.2): the rules choose what is paid.</summary>
    public required IReadOnlyList<CategoryFact> Categories { get; set; }
    public required string Status { get; set; }
    public DateOnly StartMonth { get; set; }
    public DateOnly? EndMonth { get; set; }
    public string? DecisionNumber { get; set; }
    public DateOnly? DecisionDate { get; set; }
    public long? CaredPersonId { get; set; }
    public long? ApplicationId { get; set; }
    public string? ChangeReason { get; set; }
    public DateTimeOffset? SupersededAt { get; set; }
    public string? CreatedBy { get; set; }
    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>A copy with the same facts, for the next period after a change.</summary>
    public Enrolment NextPeriod(DateOnly start, string status, string reason, string actor) => new()
    {
        PersonId = PersonId, ProvinceCode = ProvinceCode, CommuneCode = CommuneCode, Programme = Programme, Categories = Categories,
        Status = status, StartMonth = start, DecisionNumber = DecisionNumber, DecisionDate = DecisionDate,
        CaredPersonId = CaredPersonId, ApplicationId = ApplicationId, ChangeReason = reason, CreatedBy = actor,
    };

    string? IAudited.AuditProvinceCode => ProvinceCode;
}

public static class EnrolmentStatus
{
    public const string Active = "active";
    public const string Suspended = "suspended";
}
