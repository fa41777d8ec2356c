using AnSinh.Core.Money;
using AnSinh.Core.Time;

namespace AnSinh.Core.Rules;

/// <summary>One category a person is recorded in: severity for category 6, number of children for category 4.</summary>
public sealed record CategoryFact(string Code, string? Severity = null, int? Children = null, bool PoorHousehold = false);

/// <summary>What the rules need to know about a person for one month.</summary>
public sealed record CaseFacts(YearMonth Month, string ProvinceCode, DateOnly BirthDate, IReadOnlyList<CategoryFact> Categories);

/// <summary>
/// One paid line: the coefficient applies to the base (coefficient × base = amount, to the đồng). The
/// Vietnamese explanation is written when first read, so a payroll of millions of lines does not pay for it.
/// </summary>
public sealed class EntitlementLine(string programme, string code, Coefficient coefficient, Dong @base, Dong amount, string reference, Func<EntitlementLine, string> explain)
{
    private string? _explanation;

    public string Programme { get; } = programme;
    public string Code { get; } = code;
    public Coefficient Coefficient { get; } = coefficient;
    public Dong Base { get; } = @base;
    public Dong Amount { get; } = amount;
    public string Reference { get; } = reference;

    public string Explanation => _explanation ??= explain(this);
}

/// <summary>The monthly entitlement: the paid lines and their total, or the reason (a code the edge words) the rules cannot pay.</summary>
public sealed record Entitlement(Dong Total, IReadOnlyList<EntitlementLine> Lines, IReadOnlyList<string> Notes, Reason? Error)
{
    public bool IsError => Error is not null;

    public static Entitlement Fail(Reason error) => new(Dong.Zero, [], [], error);
}

public static class Programme
{
    public const string SocialAssistance = "social_assistance";
    public const string SocialPension = "social_pension";
    public const string CareSupport = "care_support";
    public const string Funeral = "funeral";
}
