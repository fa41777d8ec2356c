using System.Globalization;
using AnSinh.Core.Money;
using AnSinh.Core.Time;

namespace AnSinh.Core.Rules;

/// <summary>
/// Facts + month + province → itemised monthly entitlement. Pure; rules per month and province are resolved
/// once and cached, so a batch of millions of cases costs one dictionary look-up per case for the rules.
/// Not thread-safe: one instance per worker.
/// </summary>
public sealed class EntitlementEvaluator(RuleSet rules, IReadOnlySet<string> provinceCodes, IReadOnlyList<ProvinceOverride> overrides, DateOnly knownOn)
{
    private readonly Dictionary<(YearMonth, string), MonthRules> _cache = [];

    public DateOnly KnownOn => knownOn;

    public MonthRules RulesFor(YearMonth month, string provinceCode)
    {
        if (!_cache.TryGetValue((month, provinceCode), out var r))
        {
            r = rules.For(month, provinceCode, knownOn, overrides);
            _cache[(month, provinceCode)] = r;
        }

        return r;
    }

    public Entitlement Evaluate(CaseFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var month = facts.Month;
        if (!provinceCodes.Contains(facts.ProvinceCode))
        {
            return Entitlement.Fail(new Reason("rules.province_unknown", "province", facts.ProvinceCode));
        }

        if (facts.BirthDate > month.LastDay)
        {
            return Entitlement.Fail(new Reason("rules.born_after_month", "birthDate", facts.BirthDate, month));
        }

        if (facts.Categories.Count == 0)
        {
            return Entitlement.Fail(new Reason("rules.no_categories", "categories"));
        }

        var r = RulesFor(month, facts.ProvinceCode);
        var assistance = new List<EntitlementLine>(facts.Categories.Count);
        EntitlementLine? pension = null;
        for (var i = 0; i < facts.Categories.Count; i++)
        {
            var c = facts.Categories[i];
            for (var j = 0; j < i; j++)
            {
                if (facts.Categories[j].Code == c.Code)
                {
                    return Entitlement.Fail(new Reason("rules.duplicate_category", At(i) + ".code", c.Code));
                }
            }

            Reason? error;
            if (c.Code == CategoryCodes.SocialPension)
            {
                (pension, error) = PensionLine(i, c, facts.BirthDate, r);
            }
            else if (CategoryCodes.SocialAssistance.Contains(c.Code))
            {
                EntitlementLine? line;
                (line, error) = AssistanceLine(i, c, facts.BirthDate, r);
                if (line is not null)
                {
                    assistance.Add(line);
                }
            }
            else
            {
                error = new Reason("rules.unknown_category", At(i) + ".code", c.Code);
            }

            if (error is not null)
            {
                return Entitlement.Fail(error);
            }
        }

        List<string>? notes = null;
        var paid = Combine(assistance, r.Schedule, ref notes);
        var assistanceTotal = Total(paid);
        if (pension is not null)
        {
            // Decree 176/2025: social pension and monthly social assistance are exclusive; the higher is paid.
            // On a tie the person keeps the social assistance they have: no change of programme for nothing.
            if (paid.Count == 0 || pension.Amount > assistanceTotal)
            {
                if (paid.Count > 0)
                {
                    (notes ??= []).Add($"Hưởng trợ cấp hưu trí xã hội {pension.Amount.ToDisplay()} thay cho trợ cấp xã hội {assistanceTotal.ToDisplay()}: chỉ hưởng một chế độ cao hơn.");
                }

                paid = [pension];
            }
            else
            {
                (notes ??= []).Add($"Không hưởng trợ cấp hưu trí xã hội {pension.Amount.ToDisplay()}: trợ cấp xã hội {assistanceTotal.ToDisplay()} không thấp hơn, chỉ hưởng một chế độ.");
            }
        }

        return new Entitlement(Total(paid), paid, (IReadOnlyList<string>?)notes ?? [], null);
    }

    private static Dong Total(List<EntitlementLine> lines)
    {
        var total = Dong.Zero;
        foreach (var l in lines)
        {
            total += l.Amount;
        }

        return total;
    }

    private static string At(int index) => string.Create(CultureInfo.InvariantCulture, $"categories[{index}]");

    /// <summary>Care support (Art. 20) for a carer, by kind, from the cared person's birth date.</summary>
    public Entitlement EvaluateCareSupport(YearMonth month, string provinceCode, string kind, DateOnly caredPersonBirthDate)
    {
        var r = RulesFor(month, provinceCode);
        if (r.Care is null || r.EffectiveBase is null)
        {
            return Entitlement.Fail(new Reason("rules.no_care_rules", "month", month));
        }

        if (!r.Care.Kinds.TryGetValue(kind, out var rule))
        {
            return Entitlement.Fail(new Reason("rules.unknown_care_kind", "kind", kind, r.Care.Source.Reference));
        }

        var ageError = CheckAge("caredPersonBirthDate", rule, caredPersonBirthDate, month, kind);
        if (ageError is not null)
        {
            return Entitlement.Fail(ageError);
        }

        var (band, from) = CategoryRule.Find(rule.Bands!, AgeRules.MonthsReached(caredPersonBirthDate, month));
        var amount = Rounding.BaseTimesCoefficient(r.EffectiveBase.Value, band.Coefficient);
        var line = new EntitlementLine(Programme.CareSupport, kind, band.Coefficient, r.EffectiveBase.Value, amount, r.CareReference,
            l => $"{CategoryCodes.Names[kind]}{BandText(rule.Bands!, band, from)}: hệ số {l.Coefficient.ToDisplay()} × mức chuẩn {l.Base.ToDisplay()} = {l.Amount.ToDisplay()}");
        return new Entitlement(amount, [line], [], null);
    }

    /// <summary>Funeral support (Art. 11): one time, the multiplier times the base in force in the month of death.</summary>
    public Entitlement EvaluateFuneral(YearMonth monthOfDeath, string provinceCode)
    {
        var r = RulesFor(monthOfDeath, provinceCode);
        if (r.Funeral is null || r.FuneralAmount is null)
        {
            return Entitlement.Fail(new Reason("rules.no_funeral_rules", "month", monthOfDeath));
        }

        var coefficient = new Coefficient(r.Funeral.Multiplier * 10);
        var multiplier = r.Funeral.Multiplier;
        var line = new EntitlementLine(Programme.Funeral, "funeral", coefficient, r.EffectiveBase!.Value, r.FuneralAmount.Value,
            $"{r.Funeral.Source.Reference} {r.Funeral.Article}; mức chuẩn: {r.BaseReference}",
            l => $"Hỗ trợ chi phí mai táng (một lần): {multiplier} × mức chuẩn {l.Base.ToDisplay()} = {l.Amount.ToDisplay()}");
        return new Entitlement(r.FuneralAmount.Value, [line], [], null);
    }

    private (EntitlementLine? Line, Reason? Error) AssistanceLine(int index, CategoryFact c, DateOnly birth, MonthRules r)
    {
        if (r.Schedule is null || r.EffectiveBase is null)
        {
            return (null, rules.BaseLevels.Count == 0
                ? new Reason("rules.no_assistance_rules", "month", r.Month)
                : new Reason("rules.no_assistance_rules_before", "month", r.Month, rules.BaseLevels.Min(b => b.From)));
        }

        if (!r.Schedule.Categories.TryGetValue(c.Code, out var rule))
        {
            return (null, new Reason("rules.category_not_in_schedule", At(index) + ".code", c.Code, r.Schedule.Source.Reference, r.Month));
        }

        var fieldError = FieldError(index, c);
        if (fieldError is not null)
        {
            return (null, fieldError);
        }

        var ageError = CheckAge(index, rule, birth, r.Month, c.Code);
        if (ageError is not null)
        {
            return (null, ageError);
        }

        var bands = rule.BandsFor(c.Severity);
        var (band, from) = CategoryRule.Find(bands, AgeRules.MonthsReached(birth, r.Month));
        var coefficient = rule.PerChild ? band.Coefficient * c.Children!.Value : band.Coefficient;
        var amount = Rounding.BaseTimesCoefficient(r.EffectiveBase.Value, coefficient);
        return (new EntitlementLine(Programme.SocialAssistance, c.Code, coefficient, r.EffectiveBase.Value, amount, r.AssistanceReference,
            l => ExplainAssistance(l, c, rule.PerChild, band, bands, from)), null);
    }

    private static string ExplainAssistance(EntitlementLine l, CategoryFact c, bool perChild, Band band, IReadOnlyList<Band> bands, AgeSpan? from)
    {
        var severity = c.Severity is null ? "" : " " + CategoryCodes.SeverityNames[c.Severity];
        var factor = perChild ? $"{band.Coefficient.ToDisplay()} × {c.Children} con" : l.Coefficient.ToDisplay();
        return $"Nhóm {c.Code} – {CategoryCodes.Names[c.Code]}{severity}{BandText(bands, band, from)}: hệ số {factor} × mức chuẩn {l.Base.ToDisplay()} = {l.Amount.ToDisplay()}";
    }

    private static Reason? FieldError(int index, CategoryFact c)
    {
        if (c.Severity is null && c.Children is null && !c.PoorHousehold && c.Code is not (CategoryCodes.Disability or CategoryCodes.SingleParent))
        {
            return null;
        }

        var at = At(index);
        return c.Code switch
        {
            CategoryCodes.Disability when c.Severity is null => new Reason("categories.severity_required", at + ".severity"),
            CategoryCodes.Disability when !CategoryCodes.Severities.Contains(c.Severity) => new Reason("rules.severity_invalid", at + ".severity", c.Severity),
            not CategoryCodes.Disability when c.Severity is not null => new Reason("categories.severity_only_disability", at + ".severity", c.Code),
            CategoryCodes.SingleParent when c.Children is null => new Reason("categories.children_required", at + ".children", 20),
            CategoryCodes.SingleParent when c.Children is < 1 or > 20 => new Reason("categories.children_required", at + ".children", 20),
            not CategoryCodes.SingleParent when c.Children is not null => new Reason("categories.children_only_single_parent", at + ".children", c.Code),
            _ when c.PoorHousehold => new Reason("rules.poor_household_only_pension", at + ".poorHousehold"),
            _ => null,
        };
    }

    private (EntitlementLine? Line, Reason? Error) PensionLine(int index, CategoryFact c, DateOnly birth, MonthRules r)
    {
        if (c.Severity is not null || c.Children is not null)
        {
            return (null, new Reason("rules.pension_no_severity", At(index)));
        }

        if (r.Pension is null || r.PensionAmount is null)
        {
            return (null, rules.SocialPension.Count == 0
                ? new Reason("rules.no_pension", At(index) + ".code", r.Month)
                : new Reason("rules.no_pension_before", At(index) + ".code", r.Month, rules.SocialPension.Min(p => p.From)));
        }

        var min = c.PoorHousehold ? r.Pension.MinAgePoorHousehold : r.Pension.MinAge;
        if (!AgeRules.HasReached(birth, r.Month, min))
        {
            return (null, new Reason(c.PoorHousehold ? "rules.pension_age_poor" : "rules.pension_age", At(index) + ".code", min, AgeRules.YearsReached(birth, r.Month), r.Month));
        }

        var amount = r.PensionAmount.Value;
        var provincial = r.PensionOverride is not null && r.PensionOverride.Amount > r.Pension.Amount;
        var reference = provincial ? $"{r.PensionOverride!.Reference} (mức của tỉnh); {r.Pension.Source.Reference}" : $"{r.Pension.Source.Reference} {r.Pension.Article}";
        return (new EntitlementLine(Programme.SocialPension, CategoryCodes.SocialPension, new Coefficient(10), amount, amount, reference,
            l => $"Trợ cấp hưu trí xã hội{(provincial ? " (mức của tỉnh)" : "")}: {l.Amount.ToDisplay()} một tháng"), null);
    }

    // The field path is formatted only when there is something to report.
    private static Reason? CheckAge(int index, CategoryRule rule, DateOnly birth, YearMonth month, string code) =>
        (rule.MinAge is { } min && !AgeRules.HasReached(birth, month, min)) || (rule.MaxAge is { } max && !AgeRules.StillPayableUnder(birth, month, max))
            ? CheckAge(At(index), rule, birth, month, code)
            : null;

    private static Reason? CheckAge(string at, CategoryRule rule, DateOnly birth, YearMonth month, string code)
    {
        if (rule.MinAge is { } min && !AgeRules.HasReached(birth, month, min))
        {
            return new Reason("rules.age_min", at, code, min, new AgeSpan(AgeRules.MonthsReached(birth, month)), month);
        }

        if (rule.MaxAge is { } max && !AgeRules.StillPayableUnder(birth, month, max))
        {
            return new Reason("rules.age_max", at, code, max, new AgeSpan(AgeRules.MonthsReached(birth, month)), month);
        }

        return null;
    }

    private static List<EntitlementLine> Combine(List<EntitlementLine> lines, Schedule? schedule, ref List<string>? notes)
    {
        if (lines.Count <= 1 || schedule is null || !schedule.HighestOnly)
        {
            return lines;
        }

        // Decree 20 Art. 6.2: the highest only; a single parent (k4) who is also k5, k6 or k8 gets both.
        EntitlementLine? best = null;
        EntitlementLine? singleParent = null;
        foreach (var l in lines)
        {
            if (l.Code == CategoryCodes.SingleParent)
            {
                singleParent = l;
            }
            else if (best is null || l.Amount > best.Amount
                     || (l.Amount == best.Amount && schedule.CumulativeWith4.Contains(l.Code) && !schedule.CumulativeWith4.Contains(best.Code)))
            {
                best = l;
            }
        }

        List<EntitlementLine> paid = singleParent is null ? [best!]
            : best is null ? [singleParent]
            : schedule.CumulativeWith4.Contains(best.Code) ? [singleParent, best]
            : [singleParent.Amount > best.Amount ? singleParent : best];
        notes ??= [];
        foreach (var l in lines.Where(l => !paid.Contains(l)))
        {
            notes.Add($"Không cộng nhóm {l.Code} (hệ số {l.Coefficient.ToDisplay()}): người thuộc nhiều nhóm chỉ hưởng mức cao nhất ({schedule.Source.Reference} Điều 6 khoản 2).");
        }

        if (paid.Count == 2)
        {
            notes.Add($"Người đơn thân nuôi con (nhóm 4) đồng thời thuộc nhóm {best!.Code}: hưởng cả hai mức.");
        }

        return paid;
    }

    private static string BandText(IReadOnlyList<Band> bands, Band band, AgeSpan? from) =>
        bands.Count == 1 ? ""
        : from is null ? $" (dưới {band.To!.Value.ToDisplay()})"
        : band.To is null ? $" (từ đủ {from.Value.ToDisplay()})"
        : $" (từ đủ {from.Value.ToDisplay()} đến dưới {band.To.Value.ToDisplay()})";

    private static string Show(YearMonth m) => string.Create(CultureInfo.InvariantCulture, $"{m.Month:D2}/{m.Year}");
}
