using AnSinh.Core.Money;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;

namespace AnSinh.Core.Payroll;

/// <summary>What a run pays or takes back on a line, stored as these codes.</summary>
public static class ItemKind
{
    /// <summary>The run's own month.</summary>
    public const string Regular = "regular";

    /// <summary>An earlier month owed more than was ever issued for it (truy lĩnh).</summary>
    public const string BackPay = "back_pay";

    /// <summary>An earlier month whose money was issued but came back unpaid (Art. 34.4).</summary>
    public const string CarryOver = "carry_over";

    /// <summary>One-time funeral support (Art. 11).</summary>
    public const string Funeral = "funeral";

    /// <summary>An earlier month issued more than it was owed (truy thu): a negative amount.</summary>
    public const string Recovery = "recovery";

    public static readonly IReadOnlyList<string> All = [Regular, BackPay, CarryOver, Funeral, Recovery];
}

/// <summary>What the rules say one month of one programme is owed, and how (null derivation when nothing is owed).</summary>
public readonly record struct MonthOwed(Dong Amount, Coefficient Coefficient, Dong Base, string? Category, string? Reference)
{
    public static readonly MonthOwed Nothing = new(Dong.Zero, default, Dong.Zero, null, null);

    public bool IsOwed => Amount.Value > 0;
}

/// <summary>
/// What earlier approved runs did for one month of one programme: the money issued and not returned (recoveries
/// and waivers included, so it is net), the money issued and returned unpaid, and what the month was believed to be
/// owed when it was last touched (the basis a new owed amount is compared with to say why it differs).
/// </summary>
public readonly record struct MonthIssued(Dong Net, Dong Returned, MonthOwed? Basis)
{
    public static readonly MonthIssued Nothing = new(Dong.Zero, Dong.Zero, null);

    public bool EverTouched => Basis is not null;
}

/// <summary>One programme of one person over the ledger's months, <see cref="From"/> to the run's month.</summary>
public sealed class ProgrammeAccount(string programme, YearMonth from, MonthOwed[] owed, MonthIssued[] issued, bool suspendedInRunMonth)
{
    public string Programme { get; } = programme;
    public YearMonth From { get; } = from;
    public MonthOwed[] Owed { get; } = owed;
    public MonthIssued[] Issued { get; } = issued;

    /// <summary>Suspended in the run's month: nothing of this programme is settled until payment resumes.</summary>
    public bool SuspendedInRunMonth { get; } = suspendedInRunMonth;
}

/// <summary>Funeral support decided for a person, and what was issued of it (net of returns).</summary>
public sealed record FuneralAccount(YearMonth MonthOfDeath, Dong Owed, Dong IssuedNet, Dong Returned, string Reference);

/// <summary>Everything the ledger knows about one person for one run.</summary>
public sealed record PersonAccounts(long PersonId, YearMonth RunMonth, IReadOnlyList<ProgrammeAccount> Programmes, FuneralAccount? Funeral, YearMonth? MonthOfDeath);

/// <summary>One itemised amount on a payroll line: which month and programme it settles, how it was derived, and why.</summary>
public sealed record LineItem(string Programme, YearMonth Month, string Kind, Dong Amount, MonthOwed Owed, string ReasonCode);

/// <summary>What could not be recovered this run: it stays owed back, with its origin.</summary>
public sealed record Debt(string Programme, YearMonth Month, Dong Amount, string ReasonCode);

/// <summary>The line a person gets in a run (empty when nothing is due), and the debts left after it.</summary>
public sealed record SettledLine(IReadOnlyList<LineItem> Items, Dong Total, IReadOnlyList<Debt> Debts)
{
    public bool IsEmpty => Items.Count == 0;
}

/// <summary>
/// The payroll's one rule: for every month up to the run's month, pay what is owed minus what was issued and not
/// returned. Back pay (a late decision, a raised base, a change of category or age band, a resumption), money
/// returned unpaid, and recoveries of months issued in excess all come out of that difference; no case has code of
/// its own. Recoveries are taken oldest first, up to a share of the line's positive amount; what is left is a debt.
/// </summary>
public static class Ledger
{
    public static SettledLine Settle(PersonAccounts person, RecoveryCap cap)
    {
        ArgumentNullException.ThrowIfNull(person);
        var items = new List<LineItem>();
        var recoveries = new List<LineItem>();
        foreach (var account in person.Programmes)
        {
            if (account.SuspendedInRunMonth)
            {
                continue;
            }

            Settle(person, account, items, recoveries);
        }

        if (person.Funeral is { } f && f.Owed > f.IssuedNet)
        {
            var owed = new MonthOwed(f.Owed, default, Dong.Zero, ItemKind.Funeral, f.Reference);
            items.Add(new LineItem(Rules.Programme.Funeral, f.MonthOfDeath, ItemKind.Funeral, f.Owed - f.IssuedNet, owed,
                f.Returned.Value > 0 ? Reasons.FuneralReturned : Reasons.Funeral));
        }

        var positive = Dong.Sum(items.Select(i => i.Amount));
        var room = cap.Allowance(positive);
        var debts = new List<Debt>();
        foreach (var r in recoveries.OrderBy(r => r.Month).ThenBy(r => r.Programme, StringComparer.Ordinal))
        {
            var wanted = -r.Amount;
            var taken = wanted <= room ? wanted : room;
            if (taken.Value > 0)
            {
                items.Add(r with { Amount = -taken });
                room -= taken;
            }

            if (taken < wanted)
            {
                debts.Add(new Debt(r.Programme, r.Month, wanted - taken, r.ReasonCode));
            }
        }

        return new SettledLine(items, Dong.Sum(items.Select(i => i.Amount)), debts);
    }

    private static void Settle(PersonAccounts person, ProgrammeAccount account, List<LineItem> items, List<LineItem> recoveries)
    {
        var everIssued = false;
        for (var i = 0; i < account.Owed.Length; i++)
        {
            var month = account.From.AddMonths(i);
            var owed = account.Owed[i];
            var issued = account.Issued[i];
            var delta = owed.Amount - issued.Net;
            if (delta.Value > 0)
            {
                if (month == person.RunMonth)
                {
                    items.Add(new LineItem(account.Programme, month, ItemKind.Regular, delta, owed, Reasons.Regular));
                }
                else
                {
                    var carried = issued.Returned < delta ? issued.Returned : delta;
                    if (carried.Value > 0)
                    {
                        items.Add(new LineItem(account.Programme, month, ItemKind.CarryOver, carried, owed, Reasons.CarryOver));
                    }

                    if (delta > carried)
                    {
                        items.Add(new LineItem(account.Programme, month, ItemKind.BackPay, delta - carried, owed, BackPayReason(owed, issued, everIssued)));
                    }
                }
            }
            else if (delta.Value < 0)
            {
                recoveries.Add(new LineItem(account.Programme, month, ItemKind.Recovery, delta, owed, RecoveryReason(owed, issued, month, person.MonthOfDeath)));
            }

            everIssued |= issued.Net.Value > 0 || issued.Returned.Value > 0;
        }
    }

    private static string BackPayReason(MonthOwed owed, MonthIssued issued, bool everIssuedBefore)
    {
        if (issued.Basis is not { IsOwed: true } basis)
        {
            return everIssuedBefore ? Reasons.BackPayResumed : Reasons.BackPayLateDecision;
        }

        return owed.Base > basis.Base ? Reasons.BackPayBaseRaised
            : owed.Coefficient != basis.Coefficient || owed.Category != basis.Category ? Reasons.BackPayCategoryChanged
            : Reasons.BackPayCorrection;
    }

    private static string RecoveryReason(MonthOwed owed, MonthIssued issued, YearMonth month, YearMonth? monthOfDeath)
    {
        if (!owed.IsOwed)
        {
            return monthOfDeath is { } d && d < month ? Reasons.RecoveryDeath : Reasons.RecoveryNotEligible;
        }

        return issued.Basis is { } basis && (owed.Coefficient != basis.Coefficient || owed.Category != basis.Category)
            ? Reasons.RecoveryCategoryChanged
            : Reasons.RecoveryCorrection;
    }

    /// <summary>Why an item exists; the edge words them ("Reason.payroll.…").</summary>
    public static class Reasons
    {
        public const string Regular = "payroll.regular";
        public const string CarryOver = "payroll.carry_over";
        public const string Funeral = "payroll.funeral";
        public const string FuneralReturned = "payroll.funeral_returned";
        public const string BackPayLateDecision = "payroll.back_pay.late_decision";
        public const string BackPayResumed = "payroll.back_pay.resumed";
        public const string BackPayBaseRaised = "payroll.back_pay.base_raised";
        public const string BackPayCategoryChanged = "payroll.back_pay.category_changed";
        public const string BackPayCorrection = "payroll.back_pay.correction";
        public const string RecoveryDeath = "payroll.recovery.death";
        public const string RecoveryNotEligible = "payroll.recovery.not_eligible";
        public const string RecoveryCategoryChanged = "payroll.recovery.category_changed";
        public const string RecoveryCorrection = "payroll.recovery.correction";

        public static readonly IReadOnlyList<string> All =
        [
            Regular, CarryOver, Funeral, FuneralReturned, BackPayLateDecision, BackPayResumed, BackPayBaseRaised, BackPayCategoryChanged,
            BackPayCorrection, RecoveryDeath, RecoveryNotEligible, RecoveryCategoryChanged, RecoveryCorrection,
        ];
    }
}

/// <summary>
/// How much of a line's positive amount recoveries may take in one run: a province setting in whole percent.
/// 100 (the default) means a line never goes below zero; 50 leaves at least half. The allowance rounds down, so a
/// person never loses more than the setting says.
/// </summary>
public readonly record struct RecoveryCap(int Percent)
{
    public static readonly RecoveryCap Default = new(100);

    public Dong Allowance(Dong positive)
    {
        if (Percent is < 0 or > 100)
        {
            throw new InvalidOperationException("A recovery cap is a percentage from 0 to 100.");
        }

        return positive.Value <= 0 ? Dong.Zero : new Dong(checked(positive.Value * Percent) / 100);
    }
}
