using AnSinh.Core.Money;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;
using AnSinh.Web.Audit;

namespace AnSinh.Web.Features.Rules;

/// <summary>A province's own base level or social pension for a run of months (table province_rule_override).</summary>
public sealed class ProvinceRuleOverride : IAudited
{
    public long Id { get; init; }
    public required string ProvinceCode { get; init; }
    public required string Kind { get; init; }
    public DateOnly FromMonth { get; init; }
    public DateOnly? ToMonth { get; set; }
    public long Amount { get; init; }
    public required string Reference { get; init; }
    public DateOnly DecidedOn { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public required string CreatedBy { get; init; }

    string? IAudited.AuditProvinceCode => ProvinceCode;

    public ProvinceOverride ToRule() => new(
        ProvinceCode, Kind, YearMonth.From(FromMonth), ToMonth is null ? null : YearMonth.From(ToMonth.Value), new Dong(Amount), Reference, DecidedOn);
}
