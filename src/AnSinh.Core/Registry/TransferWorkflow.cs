namespace AnSinh.Core.Registry;

public enum TransferStatus
{
    Requested,
    Completed,
    Refused,
    Withdrawn,
}

public enum TransferAction
{
    Complete,
    Refuse,
    Withdraw,
}

/// <summary>
/// A move out of the requesting officer's area (domain.md, "Moving"): the old commune requests it, the receiving
/// place's decider completes or refuses it, and the old commune may withdraw it while it waits. Until it is
/// completed nothing changes, so the old place keeps paying and no month is lost; completion closes the old
/// periods the month before the effective month and opens the new ones in it, so none is paid twice.
/// </summary>
public static class TransferWorkflow
{
    /// <returns>The next status, or the reason the step is not allowed (the transfer was already settled).</returns>
    public static (TransferStatus? Next, Reason? Refusal) Apply(TransferStatus current, TransferAction action) =>
        current != TransferStatus.Requested
            ? (null, new Reason("transfer.final." + Code(current), ""))
            : action switch
            {
                TransferAction.Complete => (TransferStatus.Completed, null),
                TransferAction.Refuse => (TransferStatus.Refused, null),
                _ => (TransferStatus.Withdrawn, null),
            };

    /// <summary>Who may take each step: the receiving side completes or refuses, the sending side withdraws.</summary>
    public static bool ForReceiver(TransferAction action) => action is TransferAction.Complete or TransferAction.Refuse;

    public static string Code(TransferStatus s) => s.ToString().ToLowerInvariant();

    public static TransferStatus Parse(string code) => Enum.Parse<TransferStatus>(code, ignoreCase: true);
}
