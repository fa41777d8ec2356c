using AnSinh.Core.Time;

namespace AnSinh.Core.Payment;

/// <summary>The files a payer receives for an approved run, by what they carry.</summary>
public static class PayerFileKind
{
    public const string CashXlsx = "cash_xlsx";
    public const string CashCsv = "cash_csv";
    public const string HomeXlsx = "home_xlsx";
    public const string BankCsv = "bank_csv";
    public const string Pain001 = "pain001";

    public static readonly IReadOnlyList<string> All = [CashXlsx, CashCsv, HomeXlsx, BankCsv, Pain001];

    /// <summary>The channels of the lines a file lists: cash at a point (in person or by a proxy), at home, into an account.</summary>
    public static IReadOnlyList<string> Channels(string kind) => kind switch
    {
        CashXlsx or CashCsv => ["cash_point", "proxy"],
        HomeXlsx => ["home"],
        BankCsv or Pain001 => ["bank"],
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>The files for a payer whose lines use these channels.</summary>
    public static IReadOnlyList<string> For(IReadOnlyCollection<string> channels)
    {
        ArgumentNullException.ThrowIfNull(channels);
        return [.. All.Where(k => Channels(k).Any(channels.Contains))];
    }

    /// <summary>The reference of a payer file (ISO 20022 message id, at most 35 characters): province, month, payer, kind.</summary>
    public static string Reference(string province, YearMonth month, long payerId, string kind) =>
        $"AS{province}-{month.Year:0000}{month.Month:00}-P{payerId}-{kind.ToUpperInvariant()}";

    /// <summary>A line's end-to-end id (ISO 20022, at most 35 characters): unique across runs, since a province has one run a month.</summary>
    public static string EndToEndId(string province, YearMonth month, int lineNo) => $"AS{province}-{month.Year:0000}{month.Month:00}-{lineNo:000000}";
}

/// <summary>
/// What a bank said about one payment (ISO 20022 ExternalPaymentTransactionStatus1Code and ExternalStatusReason1Code):
/// settled or accepted is paid into the account; rejected is money returned to the office, with its reason.
/// </summary>
public static class BankStatus
{
    public static readonly IReadOnlyList<string> Paid = ["ACSC", "ACCC", "ACSP", "ACWC", "ACCP", "ACTC"];
    public const string Rejected = "RJCT";
    public static readonly IReadOnlyList<string> Pending = ["PDNG", "RCVD"];

    /// <summary>The reasons we explain in words; any other four-character code is kept and shown as it is.</summary>
    public static readonly IReadOnlyList<string> KnownReasons = ["AC01", "AC03", "AC04", "AC06", "AC13", "AG01", "AM04", "AM05", "BE01", "DUPL", "MS03", "NARR", "RR01"];

    public static bool IsReasonCode(string? code) => code is { Length: 4 } && code.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c));
}

/// <summary>What reconciliation raises for a person to look at.</summary>
public static class ExceptionKind
{
    /// <summary>A bank rejected the payment (closed account, wrong number, …): the money came back.</summary>
    public const string BankRejected = "bank_rejected";

    /// <summary>A line reported paid on or after the person's recorded death.</summary>
    public const string PaidAfterDeath = "paid_after_death";

    /// <summary>A line paid to a proxy whose authorisation had expired or been revoked on the payment day.</summary>
    public const string ProxyExpired = "proxy_expired";

    /// <summary>The contract's results day has passed and some of a payer's lines have no result.</summary>
    public const string ResultsMissing = "results_missing";

    /// <summary>Money transferred to a payer differs from what its lines needed (less what it already held).</summary>
    public const string TransferMismatch = "transfer_mismatch";

    public static readonly IReadOnlyList<string> All = [BankRejected, PaidAfterDeath, ProxyExpired, ResultsMissing, TransferMismatch];
}

/// <summary>How an exception is resolved; each kind allows its own actions, and writing off needs an approver.</summary>
public static class ExceptionAction
{
    /// <summary>Pay the returned money again next month in cash at a payment point instead of into the account.</summary>
    public const string ReissueCash = "reissue_cash";

    /// <summary>The money is to be recovered from whoever took it; kept open in the debts until it is.</summary>
    public const string Recover = "recover";

    /// <summary>Accept the loss; only an approver, never the officer who asks.</summary>
    public const string WriteOff = "write_off";

    /// <summary>Leave the money with the ledger: lines without a result are recorded unpaid, carried to the next run.</summary>
    public const string Carry = "carry";

    /// <summary>Checked and found in order (the proxy was in fact authorised; the transfer difference is explained).</summary>
    public const string Confirm = "confirm";

    public static readonly IReadOnlyList<string> All = [ReissueCash, Recover, WriteOff, Carry, Confirm];

    public static IReadOnlyList<string> For(string kind) => kind switch
    {
        ExceptionKind.BankRejected => [ReissueCash, Carry, WriteOff],
        ExceptionKind.PaidAfterDeath => [Recover, Confirm, WriteOff],
        ExceptionKind.ProxyExpired => [Confirm, Recover, WriteOff],
        ExceptionKind.ResultsMissing => [Carry],
        ExceptionKind.TransferMismatch => [Confirm, WriteOff],
        _ => [],
    };

    public static bool NeedsApprover(string action) => action == WriteOff;

    /// <summary>Whether this person may resolve this exception this way: the action must fit the kind; a write-off needs an approver.</summary>
    public static Reason? Check(string kind, string action, bool isApprover, bool resolved)
    {
        if (resolved)
        {
            return new Reason("exception.resolved", "");
        }

        if (!For(kind).Contains(action))
        {
            return new Reason("exception.action_not_allowed", "action", action, kind);
        }

        return NeedsApprover(action) && !isApprover ? new Reason("exception.approver_needed", "action") : null;
    }
}

/// <summary>
/// The settlement (quyết toán) of one contract for one run: what the payer had (transferred now, plus unpaid money it
/// held from the previous run), what it paid, returned and still holds, its fee, and the balance that should be zero.
/// </summary>
public sealed record Settlement(long Transferred, long HeldBefore, long Issued, long Paid, long Returned, long Held, long Pending, int FeeBasisPoints)
{
    /// <summary>
    /// The fee (Circular 76/2021 Art. 3.7): the contract's percentage of the money actually paid, in basis points,
    /// rounded half up to the whole đồng (rule "fee.half_up"): 1,234,567 đ at 0.55 % is 6,790.1185 → 6,790 đ.
    /// </summary>
    public long Fee => checked(Paid * FeeBasisPoints + 5_000) / 10_000;

    public const string FeeRounding = "fee.half_up";

    /// <summary>What the payer had to work with.</summary>
    public long Available => checked(Transferred + HeldBefore);

    /// <summary>Available money not accounted for by paid, returned, held or still pending lines: zero when the books agree.</summary>
    public long Balance => checked(Available - Paid - Returned - Held - Pending);
}
