using AnSinh.Core.Money;
using AnSinh.Core.Time;

namespace AnSinh.Core.Rules;

/// <summary>The validated rules of every instrument; ask it what was in force for a month, as known on a day.</summary>
public sealed class RuleSet(
    IReadOnlyList<Instrument> instruments,
    IReadOnlyList<BaseLevel> baseLevels,
    IReadOnlyList<Schedule> schedules,
    IReadOnlyList<CareSupportSchedule> careSupport,
    IReadOnlyList<FuneralRule> funeral,
    IReadOnlyList<SocialPensionRule> socialPension)
{
    public IReadOnlyList<Instrument> Instruments { get; } = instruments;
    public IReadOnlyList<BaseLevel> BaseLevels { get; } = baseLevels;
    public IReadOnlyList<Schedule> Schedules { get; } = schedules;
    public IReadOnlyList<CareSupportSchedule> CareSupport { get; } = careSupport;
    public IReadOnlyList<FuneralRule> Funeral { get; } = funeral;
    public IReadOnlyList<SocialPensionRule> SocialPension { get; } = socialPension;

    /// <summary>Everything in force for one month and province, as known on <paramref name="knownOn"/>.</summary>
    public MonthRules For(YearMonth month, string provinceCode, DateOnly knownOn, IReadOnlyList<ProvinceOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var national = BaseLevels.InForce(month, knownOn);
        var baseOverride = LatestOverride(overrides, provinceCode, ProvinceOverride.BaseLevelKind, month, knownOn);
        var pension = SocialPension.InForce(month, knownOn);
        var pensionOverride = LatestOverride(overrides, provinceCode, ProvinceOverride.SocialPensionKind, month, knownOn);
        return new MonthRules(
            month,
            provinceCode,
            knownOn,
            national,
            baseOverride,
            Schedules.InForce(month, knownOn),
            CareSupport.InForce(month, knownOn),
            Funeral.InForce(month, knownOn),
            pension,
            pensionOverride);
    }

    private static ProvinceOverride? LatestOverride(IReadOnlyList<ProvinceOverride> overrides, string province, string kind, YearMonth month, DateOnly knownOn)
    {
        ProvinceOverride? best = null;
        foreach (var o in overrides)
        {
            if (o.ProvinceCode == province && o.Kind == kind && o.Covers(month) && o.DecidedOn <= knownOn && (best is null || o.DecidedOn > best.DecidedOn))
            {
                best = o;
            }
        }

        return best;
    }
}

/// <summary>The rules in force for one month in one province.</summary>
public sealed record MonthRules(
    YearMonth Month,
    string ProvinceCode,
    DateOnly KnownOn,
    BaseLevel? NationalBase,
    ProvinceOverride? BaseOverride,
    Schedule? Schedule,
    CareSupportSchedule? Care,
    FuneralRule? Funeral,
    SocialPensionRule? Pension,
    ProvinceOverride? PensionOverride)
{
    /// <summary>
    /// The base the province pays: its own level where it set one (Decree 20 Art. 4.3 lets a province set a
    /// higher base), never below the national level: if the nation later rises above it, the national applies.
    /// </summary>
    public Dong? EffectiveBase => NationalBase is null ? null
        : BaseOverride is not null && BaseOverride.Amount > NationalBase.Amount ? BaseOverride.Amount : NationalBase.Amount;

    public bool BaseIsProvincial => NationalBase is not null && BaseOverride is not null && BaseOverride.Amount > NationalBase.Amount;

    /// <summary>The social pension paid in the province: its own top-up where higher than the national amount.</summary>
    public Dong? PensionAmount => Pension is null ? null
        : PensionOverride is not null && PensionOverride.Amount > Pension.Amount ? PensionOverride.Amount : Pension.Amount;

    /// <summary>Funeral support (Art. 11): the multiplier times the base in force in the month of death.</summary>
    public Dong? FuneralAmount => Funeral is null || EffectiveBase is null ? null : EffectiveBase.Value * Funeral.Multiplier;

    public string BaseReference => _baseReference ??= BaseIsProvincial
        ? $"{BaseOverride!.Reference} (mức chuẩn của tỉnh); {NationalBase!.Source.Reference}"
        : NationalBase is null ? "" : $"{NationalBase.Source.Reference} {NationalBase.Article}".Trim();

    // Each month's references are built once, however many lines cite them.
    private string? _baseReference;
    private string? _assistanceReference;
    private string? _careReference;

    public string AssistanceReference => _assistanceReference ??= Schedule is null ? "" : $"{Schedule.Source.Reference} {Schedule.Article}; mức chuẩn: {BaseReference}";

    public string CareReference => _careReference ??= Care is null ? "" : $"{Care.Source.Reference} {Care.Article}; mức chuẩn: {BaseReference}";

    /// <summary>The same instruments and levels apply (whatever day each was known on): a month priced by both is owed the same.</summary>
    public bool SameRulesAs(MonthRules other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Equals(NationalBase, other.NationalBase) && Equals(BaseOverride, other.BaseOverride) && Equals(Schedule, other.Schedule)
            && Equals(Care, other.Care) && Equals(Funeral, other.Funeral) && Equals(Pension, other.Pension) && Equals(PensionOverride, other.PensionOverride);
    }
}
