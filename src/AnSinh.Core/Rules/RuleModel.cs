using AnSinh.Core.Money;
using AnSinh.Core.Time;

namespace AnSinh.Core.Rules;

/// <summary>A legal instrument as encoded in one Rules/Instruments/*.json file.</summary>
public sealed record Instrument(
    string Id,
    string Reference,
    string Title,
    DateOnly Signed,
    DateOnly InForce,
    DateOnly Known,
    string Confidence,
    string? Notes);

/// <summary>A rule that applies to a run of months, from an instrument known from a given day.</summary>
public interface IPeriodRule
{
    Instrument Source { get; }
    YearMonth From { get; }
    YearMonth? To { get; }
}

public static class PeriodRules
{
    public static bool Covers(this IPeriodRule rule, YearMonth month)
    {
        ArgumentNullException.ThrowIfNull(rule);
        return rule.From <= month && (rule.To is null || month <= rule.To.Value);
    }

    /// <summary>
    /// The rule in force for a month as known on a day: among the rules covering the month whose instrument
    /// was known by then, the one from the instrument known last (a later decree supersedes an earlier one for
    /// the months it covers, even backwards in time). Loading guarantees there is never a tie.
    /// </summary>
    public static T? InForce<T>(this IReadOnlyList<T> rules, YearMonth month, DateOnly knownOn)
        where T : class, IPeriodRule
    {
        ArgumentNullException.ThrowIfNull(rules);
        T? best = null;
        foreach (var r in rules)
        {
            if (r.Covers(month) && r.Source.Known <= knownOn && (best is null || r.Source.Known > best.Source.Known))
            {
                best = r;
            }
        }

        return best;
    }
}

public sealed record BaseLevel(Instrument Source, YearMonth From, YearMonth? To, Dong Amount, string Article) : IPeriodRule;

public sealed record FuneralRule(Instrument Source, YearMonth From, YearMonth? To, int Multiplier, string Article) : IPeriodRule;

public sealed record SocialPensionRule(Instrument Source, YearMonth From, YearMonth? To, Dong Amount, AgeSpan MinAge, AgeSpan MinAgePoorHousehold, string Article) : IPeriodRule;

/// <summary>An age band: applies below <see cref="To"/> (months reached), or from the previous band on when open.</summary>
public sealed record Band(AgeSpan? To, Coefficient Coefficient);

/// <summary>One category (or one kind of care support) with its age limits and coefficient bands.</summary>
public sealed record CategoryRule(
    string Code,
    AgeSpan? MinAge,
    AgeSpan? MaxAge,
    bool PerChild,
    IReadOnlyList<Band>? Bands,
    IReadOnlyDictionary<string, IReadOnlyList<Band>>? Severities)
{
    public IReadOnlyList<Band> BandsFor(string? severity) =>
        Severities is null ? Bands! : Severities[severity!];

    /// <summary>The band for an age: the first whose upper bound lies above it (bands are ascending, the last open).</summary>
    public static (Band Band, AgeSpan? From) Find(IReadOnlyList<Band> bands, int monthsReached)
    {
        ArgumentNullException.ThrowIfNull(bands);
        AgeSpan? from = null;
        foreach (var b in bands)
        {
            if (b.To is null || monthsReached < b.To.Value.Months)
            {
                return (b, from);
            }

            from = b.To;
        }

        throw new InvalidOperationException("Bands must end with an open band (validated at load).");
    }
}

/// <summary>The categories and coefficients (Art. 5–6) in force from a month, with the combination rule.</summary>
public sealed record Schedule(
    Instrument Source,
    YearMonth From,
    YearMonth? To,
    string Article,
    bool HighestOnly,
    IReadOnlySet<string> CumulativeWith4,
    IReadOnlyDictionary<string, CategoryRule> Categories) : IPeriodRule;

/// <summary>Care support (Art. 20) paid to a carer, by kind, with the cared person's age bands.</summary>
public sealed record CareSupportSchedule(
    Instrument Source,
    YearMonth From,
    YearMonth? To,
    string Article,
    IReadOnlyDictionary<string, CategoryRule> Kinds) : IPeriodRule;

/// <summary>A province's own level (Decree 20 Art. 4.3: a province may set a higher base), effective-dated, kept in the database.</summary>
public sealed record ProvinceOverride(
    string ProvinceCode,
    string Kind,
    YearMonth From,
    YearMonth? To,
    Dong Amount,
    string Reference,
    DateOnly DecidedOn)
{
    public const string BaseLevelKind = "base_level";
    public const string SocialPensionKind = "social_pension";

    public bool Covers(YearMonth month) => From <= month && (To is null || month <= To.Value);
}

/// <summary>The codes the rules speak of: Art. 5 categories of Decree 20 and the social pension.</summary>
public static class CategoryCodes
{
    public const string SocialPension = "social_pension";
    public const string Disability = "6";
    public const string SingleParent = "4";

    public static readonly IReadOnlyList<string> SocialAssistance = ["1", "2", "3", "4", "5a", "5b", "5c", "5d", "6", "7", "8"];

    public static readonly IReadOnlyList<string> Severities = ["severe", "especially_severe"];

    public static readonly IReadOnlyList<string> CareKinds =
    [
        "carer_k1_child", "carer_5d_elder", "disabled_parent_one_child",
        "disabled_parent_pregnant_with_child_or_two_children", "household_especially_severe", "foster_especially_severe",
    ];

    /// <summary>Short Vietnamese names, for explanations.</summary>
    public static readonly IReadOnlyDictionary<string, string> Names = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["1"] = "Trẻ em dưới 16 tuổi không có nguồn nuôi dưỡng",
        ["2"] = "Người từ 16 đến 22 tuổi đang đi học (trước đây thuộc nhóm 1)",
        ["3"] = "Trẻ em nhiễm HIV thuộc hộ nghèo",
        ["4"] = "Người đơn thân nghèo đang nuôi con",
        ["5a"] = "Người cao tuổi nghèo không có người phụng dưỡng",
        ["5b"] = "Người từ 75 đến 80 tuổi thuộc hộ nghèo, cận nghèo ở vùng đặc biệt khó khăn",
        ["5c"] = "Người từ 80 tuổi không có lương hưu, trợ cấp bảo hiểm xã hội",
        ["5d"] = "Người cao tuổi nghèo được nhận chăm sóc tại cộng đồng",
        ["6"] = "Người khuyết tật",
        ["7"] = "Trẻ em dưới 3 tuổi thuộc hộ nghèo, cận nghèo ở vùng đặc biệt khó khăn",
        ["8"] = "Người nhiễm HIV thuộc hộ nghèo không có nguồn thu nhập ổn định",
        [SocialPension] = "Trợ cấp hưu trí xã hội",
        ["carer_k1_child"] = "Hộ nhận chăm sóc trẻ em thuộc nhóm 1",
        ["carer_5d_elder"] = "Người nhận chăm sóc người cao tuổi nhóm 5d",
        ["disabled_parent_one_child"] = "Người khuyết tật đang mang thai hoặc nuôi một con dưới 36 tháng",
        ["disabled_parent_pregnant_with_child_or_two_children"] = "Người khuyết tật mang thai và nuôi con, hoặc nuôi từ hai con dưới 36 tháng",
        ["household_especially_severe"] = "Hộ gia đình chăm sóc người khuyết tật đặc biệt nặng",
        ["foster_especially_severe"] = "Người nhận chăm sóc người khuyết tật đặc biệt nặng",
    };

    public static readonly IReadOnlyDictionary<string, string> SeverityNames = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["severe"] = "nặng",
        ["especially_severe"] = "đặc biệt nặng",
    };
}
