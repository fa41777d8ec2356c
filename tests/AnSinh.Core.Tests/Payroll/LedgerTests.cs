using AnSinh.Core.Money;
using AnSinh.Core.Payroll;
using AnSinh.Core.Rules;
using AnSinh.Core.Tests.Rules;
using AnSinh.Core.Time;
using Shouldly;

namespace AnSinh.Core.Tests.Payroll;

/// <summary>
/// The ledger's scenarios (issue 8 §2), run after run as a province would: each run settles owed minus issued, and
/// its items become the issued side of the next. Every amount is worked out by hand in the comment beside it.
/// Bases: 500,000 until 6/2026, 540,000 from 7/2026 by Decree 335, known from 5/10/2026.
/// </summary>
public sealed class LedgerTests
{
    private static readonly YearMonth From = M("2026-01");

    private static YearMonth M(string s) => YearMonth.Parse(s);

    private static DateOnly D(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);

    private static PeriodFact Period(string start, string? end, string categories, bool active = true, string province = "19") =>
        new(Programme.SocialAssistance, active, M(start), end is null ? null : M(end), province, R.Cats(categories), null);

    /// <summary>One person's ledger across runs, kept the way the database keeps it: items of approved runs.</summary>
    private sealed class Book(DateOnly birth, params PeriodFact[] periods)
    {
        private readonly List<(YearMonth Run, IssuedEntry Entry)> _entries = [];
        private long _sequence;

        public PersonFacts Facts { get; set; } = new(1, birth, null, periods);

        public (YearMonth Month, Dong Owed, string Reference)? Funeral { get; set; }

        public SettledLine Run(string month, string cutOff, int capPercent = 100)
        {
            var runMonth = M(month);
            var problems = new List<OwedProblem>();
            var owed = OwedSchedule.Compute(R.Evaluator(D(cutOff)), Facts, From, runMonth, problems);
            problems.ShouldBeEmpty();
            var entries = _entries.Select(e => e.Entry).ToList();
            var funeral = Funeral is { } f ? IssuedHistory.Funeral(f.Month, f.Owed, f.Reference, entries) : null;
            var line = Ledger.Settle(IssuedHistory.Accounts(1, From, runMonth, owed, entries, funeral, Facts.DeathDate), new RecoveryCap(capPercent));
            _sequence++;
            foreach (var i in line.Items)
            {
                _entries.Add((runMonth, new IssuedEntry(i.Programme, i.Month, i.Amount, false, i.Owed, _sequence)));
            }

            return line;
        }

        /// <summary>The payer reports the run's line unpaid: its items stay in the ledger as returned money.</summary>
        public void Unpaid(string runMonth)
        {
            for (var i = 0; i < _entries.Count; i++)
            {
                if (_entries[i].Run == M(runMonth))
                {
                    _entries[i] = _entries[i] with { Entry = _entries[i].Entry with { Returned = true } };
                }
            }
        }

        public void Waive(string programme, string month, long amount) =>
            _entries.Add((M(month), new IssuedEntry(programme, M(month), new Dong(-amount), false, null, ++_sequence)));
    }

    private static string Describe(SettledLine line) =>
        string.Join(" ", line.Items.Select(i => $"{i.Month}:{i.Kind}:{i.Amount.Value}"));

    [Fact]
    public void Settle_OrdinaryMonths_PayEachMonthOnce()
    {
        var book = new Book(D("1950-03-15"), Period("2026-01", null, "5a"));
        // 5a aged 76: 1.5 × 500,000 = 750,000 a month; nothing owed twice.
        Describe(book.Run("2026-01", "2025-12-20")).ShouldBe("2026-01:regular:750000");
        Describe(book.Run("2026-02", "2026-01-20")).ShouldBe("2026-02:regular:750000");
        book.Run("2026-03", "2026-02-20").Total.ShouldBe(new Dong(750_000));
    }

    [Fact]
    public void Settle_LateDecision_PaysTheEarlierMonthsAsBackPay()
    {
        var book = new Book(D("1950-03-15"));
        book.Run("2026-08", "2026-07-20").IsEmpty.ShouldBeTrue();
        book.Run("2026-09", "2026-08-20").IsEmpty.ShouldBeTrue();
        // Decided in October, from August: the October run (cut off 10/10, Decree 335 known) pays October and back
        // pay for August and September, each 1.5 × 540,000 = 810,000: 2,430,000 in all.
        book.Facts = book.Facts with { Periods = [Period("2026-08", null, "5a")] };
        var line = book.Run("2026-10", "2026-10-10");
        Describe(line).ShouldBe("2026-08:back_pay:810000 2026-09:back_pay:810000 2026-10:regular:810000");
        line.Items.Take(2).ShouldAllBe(i => i.ReasonCode == Ledger.Reasons.BackPayLateDecision);
        line.Total.ShouldBe(new Dong(2_430_000));
    }

    [Fact]
    public void Settle_Decree335KnownAfterJuly_PaysTheDifferenceForEveryMonthPaidAtTheOldBase()
    {
        var book = new Book(D("1984-03-15"), Period("2026-06", null, "6:severe"));
        // Severe disability, 1.5: 750,000 at the 500,000 base for June to October (runs cut off before 5/10).
        foreach (var (month, cutOff) in new[] { ("2026-06", "2026-05-20"), ("2026-07", "2026-06-20"), ("2026-08", "2026-07-20"), ("2026-09", "2026-08-20"), ("2026-10", "2026-09-20") })
        {
            book.Run(month, cutOff).Total.ShouldBe(new Dong(750_000));
        }

        // The first run cut off after 5/10: November at 810,000, plus 40,000 × 1.5 = 60,000 for each of July to
        // October (June stays at 500,000): 810,000 + 4 × 60,000 = 1,050,000.
        var line = book.Run("2026-11", "2026-10-20");
        Describe(line).ShouldBe("2026-07:back_pay:60000 2026-08:back_pay:60000 2026-09:back_pay:60000 2026-10:back_pay:60000 2026-11:regular:810000");
        line.Items.Where(i => i.Kind == ItemKind.BackPay).ShouldAllBe(i => i.ReasonCode == Ledger.Reasons.BackPayBaseRaised && i.Owed.Base == new Dong(540_000));
        line.Total.ShouldBe(new Dong(1_050_000));
        // And the next month owes nothing more.
        Describe(book.Run("2026-12", "2026-11-20")).ShouldBe("2026-12:regular:810000");
    }

    [Fact]
    public void Settle_DeathRecordedLate_PaysFuneralAndRecoversTheMonthsAfterIt()
    {
        var book = new Book(D("1950-03-15"), Period("2026-07", null, "5a"));
        foreach (var month in new[] { "2026-08", "2026-09", "2026-10" })
        {
            book.Run(month, "2026-10-10").Total.ShouldBe(new Dong(month == "2026-08" ? 1_620_000 : 810_000));
        }

        // Died 12/8, recorded 2/11: paid until August (the period ends with the month of death), funeral support of
        // 20 × 540,000 = 10,800,000, less September and October at 810,000 each: 10,800,000 − 1,620,000 = 9,180,000.
        book.Facts = book.Facts with { DeathDate = D("2026-08-12"), Periods = [Period("2026-07", "2026-08", "5a")] };
        book.Funeral = (M("2026-08"), new Dong(10_800_000), "Nghị định 20/2021/NĐ-CP Điều 11");
        var line = book.Run("2026-11", "2026-11-05");
        Describe(line).ShouldBe("2026-08:funeral:10800000 2026-09:recovery:-810000 2026-10:recovery:-810000");
        line.Items.Where(i => i.Kind == ItemKind.Recovery).ShouldAllBe(i => i.ReasonCode == Ledger.Reasons.RecoveryDeath);
        line.Total.ShouldBe(new Dong(9_180_000));
        line.Debts.ShouldBeEmpty();
        book.Run("2026-12", "2026-11-20").IsEmpty.ShouldBeTrue();
    }

    [Fact]
    public void Settle_ChildTurnedFourEarlierThanRecorded_RecoversTheHigherBand()
    {
        // Recorded as born 20/7/2022: 2.5 × 500,000 = 1,250,000 for June 2026 (still 3).
        var book = new Book(D("2022-07-20"), Period("2026-06", null, "1"));
        book.Run("2026-06", "2026-05-20").Total.ShouldBe(new Dong(1_250_000));
        // The birth date is corrected to 15/6/2022: 4 in June, so 1.5 from June (Art. 8.1). July, at 540,000 once
        // Decree 335 is known: 1.5 × 540,000 = 810,000; June is recovered 1,250,000 − 750,000 = 500,000.
        book.Facts = book.Facts with { BirthDate = D("2022-06-15") };
        var line = book.Run("2026-07", "2026-10-10");
        Describe(line).ShouldBe("2026-07:regular:810000 2026-06:recovery:-500000");
        line.Items[1].ReasonCode.ShouldBe(Ledger.Reasons.RecoveryCategoryChanged);
        line.Total.ShouldBe(new Dong(310_000));
    }

    [Fact]
    public void Settle_SuspensionLiftedWithBackPay_PaysTheSuspendedMonths()
    {
        var book = new Book(D("1950-03-15"), Period("2026-08", "2026-08", "5a"), Period("2026-09", null, "5a", active: false));
        book.Run("2026-08", "2026-10-10").Total.ShouldBe(new Dong(810_000));
        book.Run("2026-09", "2026-10-10").IsEmpty.ShouldBeTrue();
        book.Run("2026-10", "2026-10-10").IsEmpty.ShouldBeTrue();
        // Resumed from September with back pay: the suspended period becomes paid. November pays November and, for
        // September and October, 810,000 each as resumed back pay: 2,430,000.
        book.Facts = book.Facts with { Periods = [Period("2026-08", null, "5a")] };
        var line = book.Run("2026-11", "2026-10-20");
        Describe(line).ShouldBe("2026-09:back_pay:810000 2026-10:back_pay:810000 2026-11:regular:810000");
        line.Items[0].ReasonCode.ShouldBe(Ledger.Reasons.BackPayResumed);
    }

    [Fact]
    public void Settle_WhileSuspended_HoldsCarriedMoneyUntilResumed()
    {
        var book = new Book(D("1950-03-15"), Period("2026-08", null, "5a"));
        book.Run("2026-08", "2026-10-10");
        book.Unpaid("2026-08");
        // Suspended from September without back pay: the unpaid August waits.
        book.Facts = book.Facts with { Periods = [Period("2026-08", "2026-08", "5a"), Period("2026-09", "2026-10", "5a", active: false), Period("2026-11", null, "5a")] };
        book.Run("2026-09", "2026-10-10").IsEmpty.ShouldBeTrue();
        // Resumed in November: November and the carried August, 810,000 each.
        Describe(book.Run("2026-11", "2026-10-20")).ShouldBe("2026-08:carry_over:810000 2026-11:regular:810000");
    }

    [Fact]
    public void Settle_LineReturnedUnpaid_CarriesItsMoneyIntoTheNextRun()
    {
        var book = new Book(D("1950-03-15"), Period("2026-09", null, "5a"));
        book.Run("2026-09", "2026-10-10");
        book.Run("2026-10", "2026-10-10");
        book.Unpaid("2026-10");
        // October came back unpaid: November pays 810,000 for itself and carries October's 810,000.
        var line = book.Run("2026-11", "2026-10-20");
        Describe(line).ShouldBe("2026-10:carry_over:810000 2026-11:regular:810000");
        line.Total.ShouldBe(new Dong(1_620_000));
        // Paid this time: nothing is carried again.
        Describe(book.Run("2026-12", "2026-11-20")).ShouldBe("2026-12:regular:810000");
    }

    [Fact]
    public void Settle_RecoveryOverTheCap_LeavesADebtRecoveredInLaterRuns()
    {
        var book = new Book(D("1950-03-15"), Period("2026-07", null, "5a"));
        foreach (var month in new[] { "2026-07", "2026-08", "2026-09" })
        {
            book.Run(month, "2026-10-10");
        }

        // Category corrected from 5a (1.5) to 5b (1.0) since July: 270,000 too much for each of three months =
        // 810,000 to recover. October pays 1.0 × 540,000 = 540,000; with a 50 % cap at most 270,000 is taken.
        book.Facts = book.Facts with { Periods = [Period("2026-07", null, "5b")] };
        var october = book.Run("2026-10", "2026-10-10", capPercent: 50);
        Describe(october).ShouldBe("2026-10:regular:540000 2026-07:recovery:-270000");
        october.Debts.Select(d => $"{d.Month}:{d.Amount.Value}").ShouldBe(["2026-08:270000", "2026-09:270000"]);
        // November takes the next 270,000; December the last.
        Describe(book.Run("2026-11", "2026-10-20", capPercent: 50)).ShouldBe("2026-11:regular:540000 2026-08:recovery:-270000");
        var december = book.Run("2026-12", "2026-11-20", capPercent: 50);
        Describe(december).ShouldBe("2026-12:regular:540000 2026-09:recovery:-270000");
        december.Debts.ShouldBeEmpty();
    }

    [Fact]
    public void Settle_DefaultCap_NeverTakesALineBelowZero()
    {
        var book = new Book(D("1950-03-15"), Period("2026-07", null, "5a"));
        book.Run("2026-07", "2026-10-10");
        book.Run("2026-08", "2026-10-10");
        // Stopped from July (not eligible), recorded late: nothing positive to deduct from, so no line; the debt stays.
        book.Facts = book.Facts with { Periods = [] };
        var line = book.Run("2026-09", "2026-10-10");
        line.IsEmpty.ShouldBeTrue();
        line.Debts.Select(d => $"{d.Month}:{d.Amount.Value}:{d.ReasonCode}").ShouldBe(
            ["2026-07:810000:payroll.recovery.not_eligible", "2026-08:810000:payroll.recovery.not_eligible"]);
        // An approver waives July: only August remains.
        book.Waive(Programme.SocialAssistance, "2026-07", 810_000);
        book.Run("2026-10", "2026-10-10").Debts.Select(d => d.Month.ToString()).ShouldBe(["2026-08"]);
    }

    [Fact]
    public void Settle_MoveBetweenProvinces_PaysEachMonthOnce()
    {
        // Paid in province 19 until October; moved to 01 from November. The ledger is the person's, not the
        // province's: November is owed once, at the new province's rules, and October is not paid again.
        var book = new Book(D("1950-03-15"), Period("2026-09", "2026-10", "5a"));
        book.Run("2026-09", "2026-10-10");
        book.Run("2026-10", "2026-10-10");
        book.Facts = book.Facts with { Periods = [Period("2026-09", "2026-10", "5a"), Period("2026-11", null, "5a", province: "01")] };
        Describe(book.Run("2026-11", "2026-10-20")).ShouldBe("2026-11:regular:810000");
    }

    [Theory]
    [InlineData(100, 1_000_000, 1_000_000)]
    [InlineData(50, 1_000_001, 500_000)] // rounds down: never more than the share
    [InlineData(0, 1_000_000, 0)]
    [InlineData(100, 0, 0)]
    public void RecoveryCap_Allowance_IsTheShareRoundedDown(int percent, long positive, long expected) =>
        new RecoveryCap(percent).Allowance(new Dong(positive)).ShouldBe(new Dong(expected));

    [Fact]
    public void RunWorkflow_PreparerOrSubmitter_CannotApprove()
    {
        RunWorkflow.CheckApprover("tinh19", "TINH19", null).ShouldNotBeNull();
        RunWorkflow.CheckApprover("lanhdao19", "tinh19", "lanhdao19").ShouldNotBeNull();
        RunWorkflow.CheckApprover("lanhdao19", "tinh19", "tinh19").ShouldBeNull();
        RunWorkflow.Apply(RunStatus.Approved, RunAction.Recompute).Refusal!.Code.ShouldBe("payroll.step_not_allowed");
        RunWorkflow.Apply(RunStatus.Submitted, RunAction.Approve).Next.ShouldBe(RunStatus.Approved);
    }
}
