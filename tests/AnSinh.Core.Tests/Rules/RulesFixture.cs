using System.Globalization;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;

namespace AnSinh.Core.Tests.Rules;

/// <summary>The embedded rules, an evaluator over them, and a compact way to write a case.</summary>
internal static class R
{
    public static readonly RuleSet Rules = RuleSetLoader.LoadEmbedded();
    public static readonly IReadOnlySet<string> Provinces = new HashSet<string>(["01", "19", "79"]);
    public static readonly DateOnly Today = new(2026, 11, 21);

    /// <summary>A reason as "code:arg:arg…", ages in months, for comparing with what a case expects.</summary>
    public static string Describe(Reason r) =>
        string.Join(":", [r.Code, .. r.Args.Select(a => a is AgeSpan s ? s.Months.ToString(CultureInfo.InvariantCulture) : Convert.ToString(a, CultureInfo.InvariantCulture))]);

    public static EntitlementEvaluator Evaluator(DateOnly? knownOn = null, params ProvinceOverride[] overrides) =>
        new(Rules, Provinces, overrides, knownOn ?? Today);

    public static CaseFacts Case(string month, string birth, params CategoryFact[] categories) =>
        new(YearMonth.Parse(month), "19", DateOnly.ParseExact(birth, "yyyy-MM-dd", CultureInfo.InvariantCulture), categories);

    /// <summary>"5a", "6:severe", "4:2" (two children), "social_pension:poor".</summary>
    public static CategoryFact Cat(string spec)
    {
        var parts = spec.Split(':');
        return parts switch
        {
            ["6", var severity] => new CategoryFact("6", Severity: severity),
            ["4", var n] => new CategoryFact("4", Children: int.Parse(n, CultureInfo.InvariantCulture)),
            ["social_pension", "poor"] => new CategoryFact("social_pension", PoorHousehold: true),
            [var code] => new CategoryFact(code),
            _ => throw new ArgumentException(spec),
        };
    }

    public static CategoryFact[] Cats(string specs) => [.. specs.Split(',').Select(Cat)];
}
