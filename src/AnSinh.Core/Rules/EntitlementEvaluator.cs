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
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi-VN");
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
            return Entitlement.Fail($"province: không có tỉnh/thành phố mã '{facts.ProvinceCode}' trong danh mục từ 1/7/2025 (mã 2 chữ số, ví dụ 19)");
        }

        if (facts.BirthDate > month.LastDay)
        {
            return Entitlement.Fail($"birthDate: ngày sinh {facts.BirthDate.ToString("dd/MM/yyyy", Vi)} sau tháng {Show(month)}");
        }

        if (facts.Categories.Count == 0)
        {
            return Entitlement.Fail("categories: chưa có nhóm đối tượng nào");
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
                    return Entitlement.Fail($"{At(i)}.code: nhóm '{c.Code}' được ghi hai lần");
                }
            }

            string? error;
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
                error = $"{At(i)}.code: không có mã nhóm '{c.Code}' (dùng 1, 2, 3, 4, 5a, 5b, 5c, 5d, 6, 7, 8 hoặc social_pension)";
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
            return Entitlement.Fail($"month: chưa có quy định hỗ trợ chăm sóc, nuôi dưỡng cho tháng {Show(month)}");
        }

        if (!r.Care.Kinds.TryGetValue(kind, out var rule))
        {
            return Entitlement.Fail($"kind: không có loại hỗ trợ chăm sóc '{kind}' trong {r.Care.Source.Reference}");
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
            return Entitlement.Fail($"month: chưa có quy định hỗ trợ mai táng cho tháng {Show(monthOfDeath)}");
        }

        var coefficient = new Coefficient(r.Funeral.Multiplier * 10);
        var multiplier = r.Funeral.Multiplier;
        var line = new EntitlementLine(Programme.Funeral, "funeral", coefficient, r.EffectiveBase!.Value, r.FuneralAmount.Value,
            $"{r.Funeral.Source.Reference} {r.Funeral.Article}; mức chuẩn: {r.BaseReference}",
            l => $"Hỗ trợ chi phí mai táng (một lần): {multiplier} × mức chuẩn {l.Base.ToDisplay()} = {l.Amount.ToDisplay()}");
        return new Entitlement(r.FuneralAmount.Value, [line], [], null);
    }

    private (EntitlementLine? Line, string? Error) AssistanceLine(int index, CategoryFact c, DateOnly birth, MonthRules r)
    {
        if (r.Schedule is null || r.EffectiveBase is null)
        {
            var first = rules.BaseLevels.Count == 0 ? "" : $" (quy định sớm nhất áp dụng từ {Show(rules.BaseLevels.Min(b => b.From))})";
            return (null, $"month: chưa có quy định trợ cấp xã hội nào áp dụng cho tháng {Show(r.Month)}{first}");
        }

        if (!r.Schedule.Categories.TryGetValue(c.Code, out var rule))
        {
            return (null, $"{At(index)}.code: nhóm '{c.Code}' không có trong {r.Schedule.Source.Reference}, văn bản áp dụng cho tháng {Show(r.Month)}");
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

    private static string? FieldError(int index, CategoryFact c)
    {
        if (c.Severity is null && c.Children is null && !c.PoorHousehold && c.Code is not (CategoryCodes.Disability or CategoryCodes.SingleParent))
        {
            return null;
        }

        var at = At(index);
        return c.Code switch
        {
            CategoryCodes.Disability when c.Severity is null => $"{at}.severity: nhóm 6 cần mức độ khuyết tật (severe hoặc especially_severe)",
            CategoryCodes.Disability when !CategoryCodes.Severities.Contains(c.Severity) => $"{at}.severity: mức độ '{c.Severity}' không hợp lệ (severe hoặc especially_severe)",
            not CategoryCodes.Disability when c.Severity is not null => $"{at}.severity: chỉ nhóm 6 (người khuyết tật) có mức độ khuyết tật",
            CategoryCodes.SingleParent when c.Children is null => $"{at}.children: nhóm 4 cần số con đang nuôi",
            CategoryCodes.SingleParent when c.Children is < 1 or > 20 => $"{at}.children: số con đang nuôi phải từ 1 đến 20 (ghi {c.Children})",
            not CategoryCodes.SingleParent when c.Children is not null => $"{at}.children: chỉ nhóm 4 (đơn thân nuôi con) ghi số con",
            _ when c.PoorHousehold => $"{at}.poorHousehold: chỉ dùng cho trợ cấp hưu trí xã hội",
            _ => null,
        };
    }

    private (EntitlementLine? Line, string? Error) PensionLine(int index, CategoryFact c, DateOnly birth, MonthRules r)
    {
        if (c.Severity is not null || c.Children is not null)
        {
            return (null, $"{At(index)}: trợ cấp hưu trí xã hội không có mức độ khuyết tật hay số con");
        }

        if (r.Pension is null || r.PensionAmount is null)
        {
            var first = rules.SocialPension.Count == 0 ? "" : $" (có từ {Show(rules.SocialPension.Min(p => p.From))})";
            return (null, $"{At(index)}.code: chưa có trợ cấp hưu trí xã hội trong tháng {Show(r.Month)}{first}");
        }

        var min = c.PoorHousehold ? r.Pension.MinAgePoorHousehold : r.Pension.MinAge;
        if (!AgeRules.HasReached(birth, r.Month, min))
        {
            return (null, $"{At(index)}.code: trợ cấp hưu trí xã hội từ đủ {min.ToDisplay()}{(c.PoorHousehold ? " (hộ nghèo, cận nghèo)" : "")}; người này {AgeRules.YearsReached(birth, r.Month)} tuổi trong tháng {Show(r.Month)}");
        }

        var amount = r.PensionAmount.Value;
        var provincial = r.PensionOverride is not null && r.PensionOverride.Amount > r.Pension.Amount;
        var reference = provincial ? $"{r.PensionOverride!.Reference} (mức của tỉnh); {r.Pension.Source.Reference}" : $"{r.Pension.Source.Reference} {r.Pension.Article}";
        return (new EntitlementLine(Programme.SocialPension, CategoryCodes.SocialPension, new Coefficient(10), amount, amount, reference,
            l => $"Trợ cấp hưu trí xã hội{(provincial ? " (mức của tỉnh)" : "")}: {l.Amount.ToDisplay()} một tháng"), null);
    }

    // The field path is formatted only when there is something to report.
    private static string? CheckAge(int index, CategoryRule rule, DateOnly birth, YearMonth month, string code) =>
        (rule.MinAge is { } min && !AgeRules.HasReached(birth, month, min)) || (rule.MaxAge is { } max && !AgeRules.StillPayableUnder(birth, month, max))
            ? CheckAge(At(index), rule, birth, month, code)
            : null;

    private static string? CheckAge(string at, CategoryRule rule, DateOnly birth, YearMonth month, string code)
    {
        if (rule.MinAge is { } min && !AgeRules.HasReached(birth, month, min))
        {
            return $"{at}: nhóm '{code}' dành cho người từ đủ {min.ToDisplay()}; người này {AgeDisplay(birth, month)} trong tháng {Show(month)}";
        }

        if (rule.MaxAge is { } max && !AgeRules.StillPayableUnder(birth, month, max))
        {
            return $"{at}: nhóm '{code}' chỉ đến khi đủ {max.ToDisplay()} (thôi hưởng từ tháng sau tháng đủ tuổi); người này {AgeDisplay(birth, month)} trong tháng {Show(month)}";
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

    private static string AgeDisplay(DateOnly birth, YearMonth month)
    {
        var months = AgeRules.MonthsReached(birth, month);
        return months < 24 ? $"{months} tháng tuổi" : $"{months / 12} tuổi";
    }

    private static string Show(YearMonth m) => string.Create(CultureInfo.InvariantCulture, $"{m.Month:D2}/{m.Year}");
}
