using AnSinh.Core.Money;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;
using Shouldly;

namespace AnSinh.Core.Tests.Rules;

public sealed class EntitlementEvaluatorTests
{
    // month, birth date, categories, expected total (đồng): each worked out by hand from the decree tables.
    [Theory]
    // Every category and band under Decree 20 at the 500,000 base (Decree 76/2024).
    [InlineData("2024-07", "2022-01-10", "1", 1_250_000)]            // k1 under 4: 2.5 × 500,000
    [InlineData("2024-07", "2015-01-10", "1", 750_000)]              // k1 from 4: 1.5
    [InlineData("2024-07", "2006-01-01", "2", 750_000)]              // k2, 18: 1.5
    [InlineData("2024-07", "2023-01-15", "3", 1_250_000)]            // HIV child under 4: 2.5
    [InlineData("2024-07", "2015-01-15", "3", 1_000_000)]            // HIV child 4–16: 2.0
    [InlineData("2024-07", "1989-05-05", "4:2", 1_000_000)]          // single parent, 2 children: 1.0 × 2
    [InlineData("2024-07", "1989-05-05", "4:3", 1_500_000)]          // 3 children
    [InlineData("2024-07", "1950-03-15", "5a", 750_000)]             // 5a 60–80: 1.5
    [InlineData("2024-07", "1940-03-15", "5a", 1_000_000)]           // 5a 80+: 2.0
    [InlineData("2024-07", "1948-03-15", "5b", 500_000)]             // 5b, 76: 1.0
    [InlineData("2024-07", "1939-03-15", "5c", 500_000)]             // 5c, 85: 1.0
    [InlineData("2024-07", "1954-03-15", "5d", 1_500_000)]           // 5d: 3.0
    [InlineData("2024-07", "1984-03-15", "6:severe", 750_000)]       // disabled adult, severe: 1.5
    [InlineData("2024-07", "2014-03-15", "6:severe", 1_000_000)]     // severe child: 2.0
    [InlineData("2024-07", "1960-03-15", "6:severe", 1_000_000)]     // severe elderly: 2.0
    [InlineData("2024-07", "1984-03-15", "6:especially_severe", 1_000_000)] // especially severe adult: 2.0
    [InlineData("2024-07", "2014-03-15", "6:especially_severe", 1_250_000)] // especially severe child: 2.5
    [InlineData("2024-07", "1950-03-15", "6:especially_severe", 1_250_000)] // especially severe elderly: 2.5
    [InlineData("2024-07", "2022-09-01", "7", 750_000)]              // child under 3: 1.5
    [InlineData("2024-07", "1990-09-01", "8", 750_000)]              // HIV adult: 1.5
    // Each base-level period for 5a (1.5).
    [InlineData("2014-01", "1950-03-15", "5a", 405_000)]             // 1.5 × 270,000 (Decree 136/2013)
    [InlineData("2021-06", "1950-03-15", "5a", 405_000)]
    [InlineData("2021-07", "1950-03-15", "5a", 540_000)]             // 1.5 × 360,000 (Decree 20/2021)
    [InlineData("2024-06", "1950-03-15", "5a", 540_000)]
    [InlineData("2026-06", "1950-03-15", "5a", 750_000)]             // 1.5 × 500,000 (Decree 76/2024)
    [InlineData("2026-07", "1950-03-15", "5a", 810_000)]             // 1.5 × 540,000 (Decree 335/2026, known since 10/2026)
    [InlineData("2026-07", "1984-03-15", "6:severe", 810_000)]       // the news example: 1.5 × 540,000
    // Decree 136/2013 bands: child bands end at 18 months, not 4 years.
    [InlineData("2021-06", "2020-01-10", "1", 675_000)]              // 17 months: 2.5 × 270,000
    [InlineData("2021-06", "2019-01-10", "1", 405_000)]              // 29 months: 1.5 × 270,000
    [InlineData("2021-07", "2019-01-10", "1", 900_000)]              // same child under Decree 20: under 4 → 2.5 × 360,000
    // Combinations (Art. 6.2): highest only, except k4 with k5/k6/k8.
    [InlineData("2024-07", "1954-03-15", "5a,6:severe", 1_000_000)]  // elderly disabled: max(1.5, 2.0)
    [InlineData("2024-07", "1984-03-15", "4:2,6:especially_severe", 2_000_000)] // k4 + k6: 1,000,000 + 1,000,000
    [InlineData("2024-07", "1990-09-01", "4:1,8", 1_250_000)]        // k4 + k8: 500,000 + 750,000
    [InlineData("2024-07", "1960-09-01", "4:1,5a", 1_250_000)]       // k4 + 5a: 500,000 + 750,000
    [InlineData("2024-07", "2004-09-01", "4:1,2", 750_000)]          // k4 + k2 is not cumulative: max(500,000, 750,000)
    [InlineData("2024-07", "1984-03-15", "8,6:severe", 750_000)]     // equal coefficients: one of them
    // Social pension (from 7/2025) and its exclusivity with social assistance.
    [InlineData("2025-07", "1949-06-01", "social_pension", 500_000)] // 76, no other allowance
    [InlineData("2025-07", "1954-06-01", "social_pension:poor", 500_000)] // 71 in a poor household: from 70
    [InlineData("2025-07", "1949-06-01", "social_pension,5a", 750_000)]   // 5a 1.5 × 500,000 is higher
    [InlineData("2025-07", "1949-06-01", "social_pension,6:especially_severe", 1_250_000)]
    [InlineData("2026-07", "1944-06-01", "social_pension,5c", 540_000)]   // 5c at the new base beats 500,000
    public void Evaluate_Table_MatchesTheDecree(string month, string birth, string categories, long expected)
    {
        var result = R.Evaluator().Evaluate(R.Case(month, birth, R.Cats(categories)));

        result.Error.ShouldBeNull();
        result.Total.ShouldBe(new Dong(expected));
        result.Lines.Sum(l => l.Amount.Value).ShouldBe(expected);
        result.Lines.ShouldAllBe(l => Rounding.BaseTimesCoefficient(l.Base, l.Coefficient) == l.Amount);
    }

    [Theory]
    // Art. 8.1: a new band applies from the month the age is reached.
    [InlineData("2026-05", "2022-06-10", "1", 1_250_000)] // 3 years 11 months: 2.5
    [InlineData("2026-06", "2022-06-10", "1", 750_000)]   // turns 4 in June: 1.5 from June
    [InlineData("2026-02", "1946-03-20", "5a", 750_000)]  // 79: 1.5
    [InlineData("2026-03", "1946-03-20", "5a", 1_000_000)] // turns 80 in March: 2.0 from March
    [InlineData("2026-05", "2010-05-31", "6:severe", 750_000)] // disabled child turns 16: adult band from that month
    [InlineData("2026-04", "2010-05-31", "6:severe", 1_000_000)]
    [InlineData("2026-03", "1966-03-01", "6:severe", 1_000_000)] // turns 60: elderly band from that month
    // Art. 7: 5b from the month of turning 75, 5c from turning 80; the social pension from 75.
    [InlineData("2025-09", "1950-09-30", "5b", 500_000)]
    [InlineData("2026-03", "1946-03-31", "5c", 500_000)]
    [InlineData("2025-09", "1950-09-30", "social_pension", 500_000)]
    // Art. 8.2: eligibility lost by age is still paid in the month it is reached.
    [InlineData("2026-05", "2010-05-05", "1", 750_000)]   // turns 16 in May: paid for May
    [InlineData("2026-08", "2023-08-20", "7", 810_000)]   // turns 3 in August: paid for August (1.5 × 540,000)
    [InlineData("2026-02", "2004-02-29", "2", 750_000)]  // born on 29 February: turns 22 in February 2026, still paid
    [InlineData("2030-03", "1950-03-01", "5b", 540_000)]  // turns 80: still 5b that month
    public void Evaluate_BoundaryMonths_FollowTheNamedAgeRules(string month, string birth, string categories, long expected)
    {
        var result = R.Evaluator().Evaluate(R.Case(month, birth, R.Cats(categories)));

        result.Error.ShouldBeNull();
        result.Total.ShouldBe(new Dong(expected));
    }

    [Theory]
    [InlineData("2026-06", "2010-05-05", "1", "rules.age_max:1:192")]           // the month after turning 16
    [InlineData("2024-07", "1980-01-01", "1", "rules.age_max:1:192")]           // an adult as k1
    [InlineData("2026-09", "2023-08-20", "7", "rules.age_max:7:36")]
    [InlineData("2026-03", "2004-02-29", "2", "rules.age_max:2:264")]
    [InlineData("2024-07", "2010-01-01", "2", "rules.age_min:2:192")]
    [InlineData("2025-08", "1950-09-30", "5b", "rules.age_min:5b:900")]                   // the month before turning 75
    [InlineData("2030-04", "1950-03-01", "5b", "rules.age_max:5b:960")]
    [InlineData("2024-07", "1946-03-20", "5c", "rules.age_min:5c:960")]                   // 78
    [InlineData("2024-07", "1970-03-20", "5a", "rules.age_min:5a:720")]
    [InlineData("2021-06", "1946-03-20", "5b", "rules.category_not_in_schedule:5b:Nghị định 136/2013")] // 5b starts with Decree 20
    [InlineData("2021-06", "2020-03-20", "7", "rules.category_not_in_schedule:7:Nghị định 136/2013")]
    [InlineData("2025-06", "1949-06-01", "social_pension", "rules.no_pension_before")]
    [InlineData("2025-07", "1954-06-01", "social_pension", "rules.pension_age:900")]        // 71, not poor
    [InlineData("2025-07", "1959-06-01", "social_pension:poor", "rules.pension_age_poor:840")]   // 66
    [InlineData("2013-12", "1950-03-15", "5a", "rules.no_assistance_rules_before")]
    [InlineData("2024-07", "2024-08-01", "7", "rules.born_after_month")]                         // born after the month
    [InlineData("2024-07", "1950-03-15", "9", "rules.unknown_category:9")]
    [InlineData("2024-07", "1950-03-15", "5A", "rules.unknown_category:5A")]
    [InlineData("2024-07", "1984-03-15", "6", "categories.severity_required")]
    [InlineData("2024-07", "1984-03-15", "6:mild", "rules.severity_invalid:mild")]
    [InlineData("2024-07", "1984-03-15", "4:0", "categories.children_required")]
    [InlineData("2024-07", "1984-03-15", "4", "categories.children_required")]
    [InlineData("2024-07", "1950-03-15", "5a,5a", "rules.duplicate_category:5a")]
    public void Evaluate_FactsTheRulesCannotPay_SayWhy(string month, string birth, string categories, string expectedError)
    {
        var result = R.Evaluator().Evaluate(R.Case(month, birth, R.Cats(categories)));

        result.Error.ShouldNotBeNull();
        R.Describe(result.Error).ShouldStartWith(expectedError);
        result.Total.ShouldBe(Dong.Zero);
    }

    [Fact]
    public void Evaluate_UnknownProvinceOrNoCategory_IsAnError()
    {
        var evaluator = R.Evaluator();

        evaluator.Evaluate(R.Case("2024-07", "1950-03-15", R.Cat("5a")) with { ProvinceCode = "99" }).Error!.Code.ShouldBe("rules.province_unknown");
        evaluator.Evaluate(R.Case("2024-07", "1950-03-15")).Error!.Code.ShouldBe("rules.no_categories");
        evaluator.Evaluate(R.Case("2024-07", "1950-03-15", new CategoryFact("5a", Severity: "severe"))).Error!.Code.ShouldBe("categories.severity_only_disability");
        evaluator.Evaluate(R.Case("2024-07", "1950-03-15", new CategoryFact("5a", Children: 1))).Error!.Code.ShouldBe("categories.children_only_single_parent");
    }

    [Theory]
    [InlineData("2026-10-04", "2026-08", 750_000)] // before Decree 335 came into force: 1.5 × 500,000
    [InlineData("2026-10-05", "2026-08", 810_000)] // from then on the same month is owed 1.5 × 540,000: back pay 60,000
    [InlineData("2024-06-30", "2024-07", 540_000)] // the day before Decree 76: 1.5 × 360,000
    [InlineData("2024-07-01", "2024-07", 750_000)]
    public void Evaluate_RulesKnownOnADay_ReproduceWhatWasPaidThen(string knownOn, string month, long expected)
    {
        var evaluator = R.Evaluator(DateOnly.Parse(knownOn, System.Globalization.CultureInfo.InvariantCulture));

        evaluator.Evaluate(R.Case(month, "1950-03-15", R.Cat("5a"))).Total.ShouldBe(new Dong(expected));
    }

    [Fact]
    public void Evaluate_HighestOnly_ExplainsWhatWasNotAdded()
    {
        var result = R.Evaluator().Evaluate(R.Case("2024-07", "1954-03-15", R.Cats("5a,6:severe")));

        result.Lines.ShouldHaveSingleItem().Code.ShouldBe("6");
        result.Notes.ShouldContain(n => n.Contains("Không cộng nhóm 5a") && n.Contains("Điều 6 khoản 2"));
        result.Lines[0].Explanation.ShouldBe("Nhóm 6 – Người khuyết tật nặng (từ đủ 60 tuổi): hệ số 2,0 × mức chuẩn 500.000 đ = 1.000.000 đ");
        result.Lines[0].Reference.ShouldBe("Nghị định 20/2021/NĐ-CP Điều 6; mức chuẩn: Nghị định 76/2024/NĐ-CP Điều 1 khoản 1 (sửa Điều 4 Nghị định 20)");
    }

    [Fact]
    public void Evaluate_SingleParentWithChildren_ShowsTheCoefficientAppliedToTheBase()
    {
        var line = R.Evaluator().Evaluate(R.Case("2024-07", "1989-05-05", R.Cat("4:3"))).Lines.ShouldHaveSingleItem();

        line.Coefficient.ShouldBe(new Coefficient(30));
        line.Base.ShouldBe(new Dong(500_000));
        line.Explanation.ShouldContain("hệ số 1,0 × 3 con × mức chuẩn 500.000 đ = 1.500.000 đ");
    }

    [Fact]
    public void Evaluate_SocialPensionLower_IsNotedAndNotPaid()
    {
        var result = R.Evaluator().Evaluate(R.Case("2025-07", "1949-06-01", R.Cats("social_pension,5a")));

        result.Lines.ShouldHaveSingleItem().Programme.ShouldBe(Programme.SocialAssistance);
        result.Notes.ShouldContain(n => n.Contains("Không hưởng trợ cấp hưu trí xã hội"));
    }

    [Fact]
    public void Evaluate_SocialPensionAndAssistanceEqual_KeepsTheAssistance()
    {
        var result = R.Evaluator().Evaluate(R.Case("2025-07", "1944-06-01", R.Cats("social_pension,5c")));

        result.Total.ShouldBe(new Dong(500_000));
        result.Lines.ShouldHaveSingleItem().Code.ShouldBe("5c");
    }
}
