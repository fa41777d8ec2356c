using AnSinh.Core.Money;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;

namespace AnSinh.Core.Payroll;

/// <summary>One recorded period of a programme, as the registry holds it now (end month inclusive, null = open).</summary>
public sealed record PeriodFact(string Programme, bool Active, YearMonth Start, YearMonth? End, string ProvinceCode,
    IReadOnlyList<CategoryFact> Categories, DateOnly? CaredBirthDate)
{
    public bool Covers(YearMonth month) => Start <= month && (End is null || End.Value >= month);
}

/// <summary>A person as the ledger needs them: birth date and the live periods of every programme.</summary>
public sealed record PersonFacts(long PersonId, DateOnly BirthDate, DateOnly? DeathDate, IReadOnlyList<PeriodFact> Periods);

/// <summary>A month the rules could not price, with why: the line goes without it and the run lists it for the officer.</summary>
public sealed record OwedProblem(string Programme, YearMonth Month, Reason Reason);

/// <summary>What one programme is owed, month by month from the ledger's first month to the run's month.</summary>
public sealed record ProgrammeOwed(string Programme, MonthOwed[] Months, bool SuspendedInRunMonth);

/// <summary>
/// The rules evaluated on a person's live periods for every month of the ledger's window: social assistance and
/// the social pension together (the rules pay only the higher), care support on the cared person's age. A month
/// no active period covers is owed nothing.
/// </summary>
public static class OwedSchedule
{
    public static IReadOnlyList<ProgrammeOwed> Compute(EntitlementEvaluator evaluator, PersonFacts person, YearMonth from, YearMonth runMonth,
        List<OwedProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(person);
        ArgumentNullException.ThrowIfNull(problems);
        var length = runMonth.MonthsSince(from) + 1;
        var result = new Dictionary<string, MonthOwed[]>(StringComparer.Ordinal);
        MonthOwed[] For(string programme)
        {
            if (!result.TryGetValue(programme, out var months))
            {
                months = new MonthOwed[length];
                Array.Fill(months, MonthOwed.Nothing);
                result[programme] = months;
            }

            return months;
        }

        foreach (var p in person.Periods)
        {
            For(p.Programme);
        }

        var categories = new List<CategoryFact>(4);
        for (var i = 0; i < length; i++)
        {
            var month = from.AddMonths(i);
            categories.Clear();
            string? province = null;
            foreach (var p in person.Periods)
            {
                if (!p.Active || !p.Covers(month))
                {
                    continue;
                }

                if (p.Programme == Programme.CareSupport)
                {
                    Care(evaluator, p, month, For(p.Programme), i, problems);
                }
                else
                {
                    province ??= p.ProvinceCode;
                    categories.AddRange(p.Categories);
                }
            }

            if (province is null)
            {
                continue;
            }

            var e = evaluator.Evaluate(new CaseFacts(month, province, person.BirthDate, categories)); // read, not kept: the list is reused next month
            if (e.IsError)
            {
                problems.Add(new OwedProblem(Programme.SocialAssistance, month, e.Error!));
                continue;
            }

            foreach (var group in e.Lines.GroupBy(l => l.Programme, StringComparer.Ordinal))
            {
                For(group.Key)[i] = Combine(group);
            }
        }

        return [.. result.Select(kv => new ProgrammeOwed(kv.Key, kv.Value,
            person.Periods.Any(p => p.Programme == kv.Key && !p.Active && p.Covers(runMonth))))];
    }

    private static void Care(EntitlementEvaluator evaluator, PeriodFact p, YearMonth month, MonthOwed[] months, int i, List<OwedProblem> problems)
    {
        if (p.CaredBirthDate is not { } born || p.Categories.Count == 0)
        {
            problems.Add(new OwedProblem(p.Programme, month, new Reason("registry.cared_person_missing", "caredPersonId")));
            return;
        }

        var e = evaluator.EvaluateCareSupport(month, p.ProvinceCode, p.Categories[0].Code, born);
        if (e.IsError)
        {
            problems.Add(new OwedProblem(p.Programme, month, e.Error!));
            return;
        }

        months[i] = Combine(e.Lines);
    }

    /// <summary>One programme's lines as one month's owed amount: coefficients add up (they share the month's base).</summary>
    private static MonthOwed Combine(IEnumerable<EntitlementLine> lines)
    {
        var amount = Dong.Zero;
        var tenths = 0;
        string? category = null;
        EntitlementLine? first = null;
        foreach (var l in lines)
        {
            first ??= l;
            amount += l.Amount;
            tenths = checked(tenths + l.Coefficient.Tenths);
            category = category is null ? l.Code : category + "+" + l.Code;
        }

        return first is null ? MonthOwed.Nothing : new MonthOwed(amount, new Coefficient(tenths), first.Base, category, first.Reference);
    }
}
