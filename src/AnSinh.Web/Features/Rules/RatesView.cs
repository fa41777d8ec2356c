using AnSinh.Core.Money;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;

namespace AnSinh.Web.Features.Rules;

public sealed record BandView(string? FromAge, string? ToAge, decimal Coefficient, long Amount, string Label);

public sealed record CategoryView(string Code, string Name, string? Severity, string? MinAge, string? MaxAge, bool PerChild, IReadOnlyList<BandView> Bands);

public sealed record BaseLevelView(long National, long? Provincial, long Effective, string NationalReference, string? ProvincialReference);

public sealed record PensionView(long Amount, string MinAge, string MinAgePoorHousehold, string Reference, bool Provincial);

public sealed record FuneralView(int Multiplier, long Amount, string Reference);

public sealed record BaseHistoryRow(string From, string? To, long Amount, string Reference, DateOnly Known, bool InForceForMonth);

public sealed record InstrumentView(string Id, string Reference, string Title, DateOnly Signed, DateOnly InForce, DateOnly Known, string Confidence, string? Notes);

/// <summary>The rules and amounts in force for a month and province: the "Mức trợ cấp" page and GET /api/v1/rules.</summary>
public sealed record RatesView(
    string Month,
    string Province,
    DateOnly KnownOn,
    BaseLevelView? BaseLevel,
    string? ScheduleReference,
    IReadOnlyList<CategoryView> Categories,
    PensionView? SocialPension,
    string? CareSupportReference,
    IReadOnlyList<CategoryView> CareSupport,
    FuneralView? Funeral,
    IReadOnlyList<BaseHistoryRow> BaseHistory,
    IReadOnlyList<InstrumentView> Instruments)
{
    public static RatesView Build(RuleSet rules, YearMonth month, string province, DateOnly knownOn, IReadOnlyList<ProvinceOverride> overrides)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var r = rules.For(month, province, knownOn, overrides);
        var @base = r.EffectiveBase;
        BaseLevelView? baseView = r.NationalBase is null ? null : new BaseLevelView(
            r.NationalBase.Amount.Value,
            r.BaseIsProvincial ? r.BaseOverride!.Amount.Value : null,
            @base!.Value.Value,
            $"{r.NationalBase.Source.Reference} {r.NationalBase.Article}".Trim(),
            r.BaseIsProvincial ? r.BaseOverride!.Reference : null);

        var categories = r.Schedule is null || @base is null ? []
            : r.Schedule.Categories.Values.OrderBy(c => CategoryCodes.SocialAssistance.ToList().IndexOf(c.Code))
                .SelectMany(c => Views(c, @base.Value)).ToList();
        var care = r.Care is null || @base is null ? []
            : r.Care.Kinds.Values.OrderBy(c => CategoryCodes.CareKinds.ToList().IndexOf(c.Code)).SelectMany(c => Views(c, @base.Value)).ToList();
        var pension = r.Pension is null ? null : new PensionView(
            r.PensionAmount!.Value.Value, r.Pension.MinAge.ToDisplay(), r.Pension.MinAgePoorHousehold.ToDisplay(),
            r.PensionOverride is not null && r.PensionOverride.Amount > r.Pension.Amount ? $"{r.PensionOverride.Reference}; {r.Pension.Source.Reference}" : $"{r.Pension.Source.Reference} {r.Pension.Article}",
            r.PensionOverride is not null && r.PensionOverride.Amount > r.Pension.Amount);
        var funeral = r.Funeral is null || r.FuneralAmount is null ? null
            : new FuneralView(r.Funeral.Multiplier, r.FuneralAmount.Value.Value, $"{r.Funeral.Source.Reference} {r.Funeral.Article}");
        var history = rules.BaseLevels.OrderBy(b => b.From)
            .Select(b => new BaseHistoryRow(b.From.ToString(), b.To?.ToString(), b.Amount.Value, b.Source.Reference, b.Source.Known, ReferenceEquals(b, r.NationalBase)))
            .ToList();
        var instruments = rules.Instruments.OrderBy(i => i.InForce)
            .Select(i => new InstrumentView(i.Id, i.Reference, i.Title, i.Signed, i.InForce, i.Known, i.Confidence, i.Notes)).ToList();
        return new RatesView(month.ToString(), province, knownOn, baseView,
            r.Schedule is null ? null : $"{r.Schedule.Source.Reference} {r.Schedule.Article}",
            categories, pension, r.Care is null ? null : $"{r.Care.Source.Reference} {r.Care.Article}", care, funeral, history, instruments);
    }

    private static IEnumerable<CategoryView> Views(CategoryRule c, Dong @base)
    {
        var name = CategoryCodes.Names[c.Code];
        if (c.Severities is not null)
        {
            return c.Severities.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv =>
                new CategoryView(c.Code, name, kv.Key, c.MinAge?.ToString(), c.MaxAge?.ToString(), c.PerChild, BandViews(kv.Value, @base, c.PerChild)));
        }

        return [new CategoryView(c.Code, name, null, c.MinAge?.ToString(), c.MaxAge?.ToString(), c.PerChild, BandViews(c.Bands!, @base, c.PerChild))];
    }

    private static List<BandView> BandViews(IReadOnlyList<Band> bands, Dong @base, bool perChild)
    {
        var list = new List<BandView>();
        AgeSpan? from = null;
        foreach (var b in bands)
        {
            var label = bands.Count == 1 ? (perChild ? "mỗi con" : "")
                : from is null ? $"dưới {b.To!.Value.ToDisplay()}"
                : b.To is null ? $"từ đủ {from.Value.ToDisplay()}"
                : $"từ đủ {from.Value.ToDisplay()} đến dưới {b.To.Value.ToDisplay()}";
            list.Add(new BandView(from?.ToString(), b.To?.ToString(), b.Coefficient.Value, Rounding.BaseTimesCoefficient(@base, b.Coefficient).Value, label));
            from = b.To;
        }

        return list;
    }
}
