using AnSinh.Core.Money;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;
using Shouldly;

namespace AnSinh.Core.Tests.Rules;

public sealed class ProvinceOverrideTests
{
    private static ProvinceOverride Base(long amount, string from, string? to = null, string decided = "2024-12-15", string province = "19") =>
        new(province, ProvinceOverride.BaseLevelKind, YearMonth.Parse(from), to is null ? null : YearMonth.Parse(to), new Dong(amount),
            "Nghị quyết 12/2024/NQ-HĐND", DateOnly.Parse(decided, System.Globalization.CultureInfo.InvariantCulture));

    [Theory]
    [InlineData("2025-03", 900_000)]   // 1.5 × 600,000 (the province's own base)
    [InlineData("2024-12", 750_000)]   // before the override's period: national
    [InlineData("2026-07", 900_000)]   // the province's 600,000 is still above the national 540,000
    public void Evaluate_ProvinceHigherBase_Applies(string month, long expected)
    {
        var evaluator = R.Evaluator(null, Base(600_000, "2025-01"));

        var result = evaluator.Evaluate(R.Case(month, "1950-03-15", R.Cat("5a")));

        result.Total.ShouldBe(new Dong(expected));
    }

    [Fact]
    public void Evaluate_OverrideOfAnotherProvince_DoesNotApply() =>
        R.Evaluator(null, Base(600_000, "2025-01", province: "01")).Evaluate(R.Case("2025-03", "1950-03-15", R.Cat("5a"))).Total.ShouldBe(new Dong(750_000));

    [Fact]
    public void Evaluate_NationalRisesAboveTheProvince_NationalApplies()
    {
        // 520,000 from 2025-01 was above 500,000; from 2026-07 the national 540,000 is higher and applies.
        var evaluator = R.Evaluator(null, Base(520_000, "2025-01"));

        evaluator.Evaluate(R.Case("2026-06", "1950-03-15", R.Cat("5a"))).Total.ShouldBe(new Dong(780_000));
        evaluator.Evaluate(R.Case("2026-07", "1950-03-15", R.Cat("5a"))).Total.ShouldBe(new Dong(810_000));
    }

    [Fact]
    public void Evaluate_OverrideDecidedLater_IsNotKnownToAnEarlierRun() =>
        R.Evaluator(new DateOnly(2024, 12, 1), Base(600_000, "2024-07", decided: "2024-12-15"))
            .Evaluate(R.Case("2024-09", "1950-03-15", R.Cat("5a"))).Total.ShouldBe(new Dong(750_000));

    [Theory]
    [InlineData(405_500, 608_250)]  // 1.5 × 405,500 is whole
    [InlineData(500_005, 750_008)]  // 750,007.5 rounds half up
    [InlineData(500_003, 750_005)]  // 750,004.5 rounds half up
    public void Evaluate_ProvinceBaseNotARoundNumber_RoundsOnceHalfUp(long @base, long expected)
    {
        var evaluator = R.Evaluator(null, Base(@base, "2021-01", decided: "2020-12-01"));

        evaluator.Evaluate(R.Case("2021-03", "1950-03-15", R.Cat("5a"))).Total.ShouldBe(new Dong(expected));
    }

    [Fact]
    public void Evaluate_ProvinceTopsUpTheSocialPension()
    {
        var topUp = new ProvinceOverride("19", ProvinceOverride.SocialPensionKind, YearMonth.Parse("2025-07"), null, new Dong(650_000), "Nghị quyết 05/2025/NQ-HĐND", new DateOnly(2025, 6, 20));

        var result = R.Evaluator(null, topUp).Evaluate(R.Case("2025-08", "1944-06-01", R.Cats("social_pension,5c")));

        result.Total.ShouldBe(new Dong(650_000)); // the province's pension beats 5c's 500,000
        result.Lines.ShouldHaveSingleItem().Reference.ShouldContain("Nghị quyết 05/2025/NQ-HĐND");
    }

    [Theory]
    [InlineData("2024-07", 10_000_000)] // 20 × 500,000
    [InlineData("2021-06", 5_400_000)]  // 20 × 270,000
    [InlineData("2026-07", 10_800_000)] // 20 × 540,000
    public void Funeral_IsTwentyTimesTheBaseOfTheMonthOfDeath(string month, long expected) =>
        R.Evaluator().EvaluateFuneral(YearMonth.Parse(month), "19").Total.ShouldBe(new Dong(expected));

    [Fact]
    public void Funeral_WithAProvinceBase_UsesIt() =>
        R.Evaluator(null, Base(600_000, "2025-01")).EvaluateFuneral(YearMonth.Parse("2025-05"), "19").Total.ShouldBe(new Dong(12_000_000));

    [Theory]
    [InlineData("carer_k1_child", "2022-09-01", 1_250_000)]          // cared child under 4: 2.5
    [InlineData("carer_k1_child", "2018-09-01", 750_000)]            // 4–16: 1.5
    [InlineData("carer_5d_elder", "1950-09-01", 750_000)]            // 1.5
    [InlineData("disabled_parent_one_child", "1990-09-01", 750_000)] // 1.5
    [InlineData("disabled_parent_pregnant_with_child_or_two_children", "1990-09-01", 1_000_000)] // 2.0
    [InlineData("household_especially_severe", "1970-09-01", 500_000)] // 1.0
    [InlineData("foster_especially_severe", "2012-09-01", 1_250_000)]  // a child: 2.5
    [InlineData("foster_especially_severe", "1970-09-01", 750_000)]    // an adult: 1.5
    public void CareSupport_ByKindAndAge(string kind, string caredBirth, long expected) =>
        R.Evaluator().EvaluateCareSupport(YearMonth.Parse("2024-07"), "19", kind, DateOnly.Parse(caredBirth, System.Globalization.CultureInfo.InvariantCulture))
            .Total.ShouldBe(new Dong(expected));

    [Fact]
    public void CareSupport_BeforeDecree20OrUnknownKind_IsAnError()
    {
        R.Evaluator().EvaluateCareSupport(YearMonth.Parse("2021-06"), "19", "carer_k1_child", new DateOnly(2020, 1, 1)).Error!.Code.ShouldBe("rules.no_care_rules");
        R.Evaluator().EvaluateCareSupport(YearMonth.Parse("2024-07"), "19", "babysitter", new DateOnly(2020, 1, 1)).Error!.Args.ShouldBe(["babysitter", "Nghị định 20/2021/NĐ-CP"]);
    }
}
