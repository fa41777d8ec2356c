using AnSinh.Core.Time;

namespace AnSinh.Core.Registry;

/// <summary>One live enrolment period: months Start..End inclusive (End null: open), paid when Active.</summary>
public sealed record EnrolmentPeriod(long Id, YearMonth Start, YearMonth? End, bool Active)
{
    public bool Covers(YearMonth m) => Start <= m && (End is null || m <= End.Value);
}

/// <summary>What a change does to the open period: close it after a month and/or open the next from a month.</summary>
public sealed record PeriodChange(YearMonth? CloseAfter, bool SupersedeOpen, YearMonth? OpenFrom);

/// <summary>
/// The months a person is owed, and how each kind of change reshapes the periods so that no month is paid
/// twice or lost: a change effective from month M closes the open period after M−1 and opens the next at M.
/// </summary>
public static class EnrolmentTimeline
{
    public static bool IsPayable(IReadOnlyList<EnrolmentPeriod> periods, YearMonth month)
    {
        ArgumentNullException.ThrowIfNull(periods);
        return periods.Any(p => p.Active && p.Covers(month));
    }

    public static IReadOnlyList<YearMonth> PayableMonths(IReadOnlyList<EnrolmentPeriod> periods, YearMonth from, YearMonth to)
    {
        var months = new List<YearMonth>();
        for (var m = from; m <= to; m = m.AddMonths(1))
        {
            if (IsPayable(periods, m))
            {
                months.Add(m);
            }
        }

        return months;
    }

    /// <summary>
    /// A change of facts (category, severity, commune) from month M: the open period ends at M−1 and a new one
    /// starts at M. If M is the open period's own first month the open period is superseded (a correction).
    /// </summary>
    public static (PeriodChange? Change, Reason? Refusal) ChangeFrom(EnrolmentPeriod open, YearMonth effective)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (open.End is not null)
        {
            return (null, new Reason("timeline.ended", ""));
        }

        if (effective < open.Start)
        {
            return (null, new Reason("timeline.before_start", "EffectiveMonth", effective, open.Start));
        }

        return effective == open.Start
            ? (new PeriodChange(null, true, effective), null)
            : (new PeriodChange(effective.AddMonths(-1), false, effective), null);
    }

    /// <summary>Stop (death, loss of eligibility, voluntary stop, termination): paid through <paramref name="lastPaidMonth"/>, nothing after (Art. 8.2).</summary>
    public static (PeriodChange? Change, Reason? Refusal) StopAfter(EnrolmentPeriod open, YearMonth lastPaidMonth)
    {
        ArgumentNullException.ThrowIfNull(open);
        if (open.End is not null)
        {
            return (null, new Reason("timeline.ended", ""));
        }

        if (lastPaidMonth < open.Start)
        {
            return (new PeriodChange(null, true, null), null);
        }

        return (new PeriodChange(lastPaidMonth, false, null), null);
    }
}
