using System.Diagnostics;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;

namespace AnSinh.Bench;

/// <summary>
/// Entitlement evaluation throughput: N synthetic cases spread over 34 provinces and 24 months, with the
/// category mix of the field figures, evaluated on one thread by the pure Core evaluator.
/// </summary>
public static class EvaluateRules
{
    public sealed record Result(int Cases, TimeSpan Elapsed, long Errors, long TotalDong, long AllocatedBytes);

    public static IReadOnlyList<CaseFacts> MakeCases(int n)
    {
        var random = new Random(20250701);
        var provinces = Enumerable.Range(0, 34).Select(i => (i * 3 + 1).ToString("D2", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var kinds = new (string Code, int MinAge, int MaxAge, string? Severity, int? Children)[]
        {
            ("1", 0, 15, null, null), ("4", 22, 50, null, 2), ("5a", 60, 90, null, null), ("5c", 80, 98, null, null),
            ("6", 5, 85, "severe", null), ("6", 5, 85, "especially_severe", null), ("8", 20, 55, null, null), ("5b", 75, 79, null, null),
        };
        var cases = new CaseFacts[n];
        for (var i = 0; i < n; i++)
        {
            var k = kinds[random.Next(kinds.Length)];
            var month = new YearMonth(2025, 1).AddMonths(random.Next(24));
            var birth = month.FirstDay.AddYears(-random.Next(k.MinAge, k.MaxAge + 1)).AddDays(-random.Next(0, 365));
            CategoryFact[] categories = i % 10 == 0
                ? [new CategoryFact(k.Code, k.Severity, k.Children), new CategoryFact("social_pension")]
                : [new CategoryFact(k.Code, k.Severity, k.Children)];
            cases[i] = new CaseFacts(month, provinces[random.Next(provinces.Length)], birth, categories);
        }

        return cases;
    }

    public static Result Run(IReadOnlyList<CaseFacts> cases)
    {
        var rules = RuleSetLoader.LoadEmbedded();
        var provinces = cases.Select(c => c.ProvinceCode).ToHashSet(StringComparer.Ordinal);
        var evaluator = new EntitlementEvaluator(rules, provinces, [], new DateOnly(2026, 11, 21));
        long errors = 0, total = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var sw = Stopwatch.StartNew();
        foreach (var c in cases)
        {
            var e = evaluator.Evaluate(c);
            if (e.IsError)
            {
                errors++;
            }
            else
            {
                total = checked(total + e.Total.Value);
            }
        }

        sw.Stop();
        return new Result(cases.Count, sw.Elapsed, errors, total, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
