using AnSinh.Core.Money;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;

namespace AnSinh.Core.Payroll;

/// <summary>
/// One entry of the ledger's issued side: an item of an approved run (returned when its line came back unpaid), or
/// an approver's waiver of a debt (no basis). <see cref="Sequence"/> orders entries in time, so the latest basis wins.
/// </summary>
public sealed record IssuedEntry(string Programme, YearMonth Month, Dong Amount, bool Returned, MonthOwed? Basis, long Sequence);

/// <summary>Builds a person's accounts from what the rules owe now and what was issued before.</summary>
public static class IssuedHistory
{
    public static PersonAccounts Accounts(long personId, YearMonth from, YearMonth runMonth, IReadOnlyList<ProgrammeOwed> owed,
        IEnumerable<IssuedEntry> entries, FuneralAccount? funeral, DateOnly? deathDate)
    {
        ArgumentNullException.ThrowIfNull(owed);
        ArgumentNullException.ThrowIfNull(entries);
        var length = runMonth.MonthsSince(from) + 1;
        var issued = new Dictionary<string, MonthIssued[]>(StringComparer.Ordinal);
        var latest = new Dictionary<(string, int), long>();
        foreach (var e in entries.Where(e => e.Programme != Programme.Funeral && e.Month >= from && e.Month <= runMonth))
        {
            if (!issued.TryGetValue(e.Programme, out var months))
            {
                months = new MonthIssued[length];
                Array.Fill(months, MonthIssued.Nothing);
                issued[e.Programme] = months;
            }

            var i = e.Month.MonthsSince(from);
            var m = months[i];
            var basis = m.Basis;
            if (e.Basis is { } b && (!latest.TryGetValue((e.Programme, i), out var seen) || e.Sequence >= seen))
            {
                basis = b;
                latest[(e.Programme, i)] = e.Sequence;
            }

            months[i] = e.Returned
                ? m with { Returned = m.Returned + e.Amount, Basis = basis }
                : m with { Net = m.Net + e.Amount, Basis = basis };
        }

        var accounts = new List<ProgrammeAccount>();
        foreach (var o in owed)
        {
            accounts.Add(new ProgrammeAccount(o.Programme, from, o.Months, issued.Remove(o.Programme, out var i) ? i : Empty(length), o.SuspendedInRunMonth));
        }

        // Issued for a programme the person no longer has a period in: everything of it is recovered.
        foreach (var (programme, months) in issued)
        {
            var nothing = new MonthOwed[length];
            Array.Fill(nothing, MonthOwed.Nothing);
            accounts.Add(new ProgrammeAccount(programme, from, nothing, months, false));
        }

        accounts.Sort((a, b) => string.CompareOrdinal(a.Programme, b.Programme));
        return new PersonAccounts(personId, runMonth, accounts, funeral, deathDate is { } d ? YearMonth.From(d) : null);
    }

    private static MonthIssued[] Empty(int length)
    {
        var a = new MonthIssued[length];
        Array.Fill(a, MonthIssued.Nothing);
        return a;
    }

    /// <summary>The funeral's issued side from the same entries (net of returns).</summary>
    public static FuneralAccount? Funeral(YearMonth monthOfDeath, Dong owed, string reference, IEnumerable<IssuedEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var net = Dong.Zero;
        var returned = Dong.Zero;
        foreach (var e in entries.Where(e => e.Programme == Programme.Funeral))
        {
            if (e.Returned)
            {
                returned += e.Amount;
            }
            else
            {
                net += e.Amount;
            }
        }

        return new FuneralAccount(monthOfDeath, owed, net, returned, reference);
    }
}
