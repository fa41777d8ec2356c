using System.Globalization;
using System.Security.Cryptography;
using AnSinh.Core.Payment;
using AnSinh.Core.Payroll;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Payroll;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Features.Registry.Import;
using AnSinh.Web.Hosting;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Disbursement;

/// <summary>
/// A payer's results for a run, in its own format: the post office's list sent back with its result columns filled
/// (xlsx or CSV), a bank's CSV, or ISO 20022 pain.002.001.10. Each is read into the payroll's outcome rows and goes
/// through <see cref="PayrollOutcomes"/> (dry run, all or nothing, idempotent, conflicts refused), with the payer's
/// own checks: every line must be this payer's, amounts must be what was issued, a pain.002 must answer this
/// payer's pain.001 and agree with its count and control sum.
/// </summary>
public static class PayerResults
{
    public const int MaxTransactions = 250_000;

    public static async Task<(OutcomeReport? Report, RegistryError? Error)> ImportAsync(AppDbContext db, PayrollOutcomes outcomes, string province, long runId, long payerId,
        string fileName, byte[] content, bool dryRun, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(content);
        var run = await RunQueries.FindAsync(db, province, runId, ct);
        if (run is null)
        {
            return (null, RegistryError.NotFound("payroll_run"));
        }

        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        var (format, rows, problems) = IsXml(content)
            ? await ReadPain002Async(db, run, payerId, content, ct)
            : ReadTable(fileName, content, run);
        var import = new PayerImport(payerId, format, Path.GetFileName(fileName), sha, problems);
        return await outcomes.RecordAsync(province, runId, rows, PayrollOutcomes.SourceOf(fileName, content), dryRun, actor, ct, import);
    }

    /// <summary>An uploaded results file (page or API): read no further than one byte past the limit, then imported.</summary>
    public static async Task<(OutcomeReport? Report, RegistryError? Error)> UploadAsync(AppDbContext db, PayrollOutcomes outcomes, string province, long runId, long payerId,
        IFormFile? file, bool dryRun, string actor, CancellationToken ct)
    {
        var content = await Scans.ReadBoundedAsync(file, ct, PayrollOutcomes.MaxFileBytes);
        if (content.Length == 0 || content.Length > PayrollOutcomes.MaxFileBytes)
        {
            return (null, RegistryError.Invalid("file", Texts.Get("Outcome.FileTooLarge", PayrollOutcomes.MaxFileBytes / 1024 / 1024)));
        }

        return await ImportAsync(db, outcomes, province, runId, payerId, file!.FileName, content, dryRun, actor, ct);
    }

    private static bool IsXml(byte[] content)
    {
        var i = content.Length >= 3 && content[0] == 0xEF && content[1] == 0xBB && content[2] == 0xBF ? 3 : 0;
        while (i < content.Length && content[i] is (byte)' ' or (byte)'\r' or (byte)'\n' or (byte)'\t')
        {
            i++;
        }

        return i < content.Length && content[i] == '<';
    }

    private static OutcomeProblem FileProblem(string field, string message) => new(0, field, message);

    /// <summary>The post office's list or a bank's CSV, told apart by their columns.</summary>
    private static (string Format, IReadOnlyList<(int, OutcomeRow)> Rows, IReadOnlyList<OutcomeProblem> Problems) ReadTable(string fileName, byte[] content, PayrollRun run)
    {
        RawSheet sheet;
        try
        {
            sheet = ImportReader.Read(fileName, content);
        }
        catch (ImportFormatException e)
        {
            return ("post_table", [], [FileProblem("file", e.Message)]);
        }

        var bank = PayerTables.Index(sheet.Headers, PayerTables.BankColumns);
        if (bank.ContainsKey("status"))
        {
            return ("bank_csv", ReadBankRows(sheet, bank, run, out var bp), bp);
        }

        var post = PayerTables.Index(sheet.Headers, PayerTables.PostColumns);
        var missing = new[] { "line", "amount", "outcome" }.Where(k => !post.ContainsKey(k)).ToList();
        if (missing.Count > 0)
        {
            return ("post_table", [], [new OutcomeProblem(1, "header", Texts.Get("PayerResult.ColumnsMissing",
                string.Join(", ", missing.Select(k => PayerTables.PostColumns.First(c => c.Key == k).Heading))))]);
        }

        var rows = new List<(int, OutcomeRow)>(sheet.Rows.Count);
        var problems = new List<OutcomeProblem>();
        foreach (var (row, cells) in sheet.Rows)
        {
            string? Cell(string key) => post.TryGetValue(key, out var i) && i < cells.Length && !string.IsNullOrWhiteSpace(cells[i]) ? cells[i].Trim() : null;
            var line = int.TryParse(Cell("line"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
            long? amount = long.TryParse(Cell("amount"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a) ? a : null;
            if (amount is null)
            {
                problems.Add(new(row, "amount", Texts.Get("PayerResult.AmountMissing")));
            }

            rows.Add((row, new OutcomeRow(line, PayerTables.OutcomeOf(Cell("outcome")), PayerTables.DateOf(Cell("date")), PayerTables.ReceiverOf(Cell("receiver")), Cell("note"))
            {
                Amount = amount,
            }));
        }

        return ("post_table", rows, problems);
    }

    private static List<(int, OutcomeRow)> ReadBankRows(RawSheet sheet, Dictionary<string, int> index, PayrollRun run, out List<OutcomeProblem> problems)
    {
        problems = [];
        var rows = new List<(int, OutcomeRow)>(sheet.Rows.Count);
        foreach (var (row, cells) in sheet.Rows)
        {
            string? Cell(string key) => index.TryGetValue(key, out var i) && i < cells.Length && !string.IsNullOrWhiteSpace(cells[i]) ? cells[i].Trim() : null;
            var line = LineOf(Cell("end_to_end_id"), run) ?? (int.TryParse(Cell("line"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1);
            long? amount = long.TryParse(Cell("amount"), NumberStyles.None, CultureInfo.InvariantCulture, out var a) ? a : null;
            if (amount is null)
            {
                problems.Add(new(row, "amount", Texts.Get("PayerResult.AmountMissing")));
            }

            var status = Cell("status")?.ToUpperInvariant();
            var outcome = StatusToOutcome(status, Cell("reason"), row, "status", problems, out var reason);
            if (outcome is null)
            {
                continue;
            }

            rows.Add((row, Row(line, outcome, PayerTables.DateOf(Cell("date")), reason, amount)));
        }

        return rows;
    }

    /// <summary>A bank's status as an outcome: paid into the account, or returned with its reason; pending statuses are left for a later report.</summary>
    private static string? StatusToOutcome(string? status, string? reason, int row, string field, List<OutcomeProblem> problems, out string? reasonCode)
    {
        reasonCode = null;
        if (status is not null && BankStatus.Paid.Contains(status))
        {
            return Outcome.Paid;
        }

        if (status == BankStatus.Rejected)
        {
            reasonCode = reason?.Trim().ToUpperInvariant();
            if (!BankStatus.IsReasonCode(reasonCode))
            {
                problems.Add(new(row, "reason", Texts.Get("PayerResult.ReasonMissing")));
            }

            return Outcome.Returned;
        }

        if (status is not null && BankStatus.Pending.Contains(status))
        {
            return null;
        }

        problems.Add(new(row, field, Texts.Get("PayerResult.StatusUnknown", status ?? "")));
        return null;
    }

    private static OutcomeRow Row(int line, string outcome, string? date, string? reason, long? amount) =>
        new(line, outcome, outcome == Outcome.Paid ? date : null, outcome == Outcome.Paid ? Receiver.Self : null,
            reason is null ? null : $"{reason}: {Texts.Get("BankReason." + (BankStatus.KnownReasons.Contains(reason) ? reason : "Other"))}")
        {
            Amount = amount,
            ReasonCode = BankStatus.IsReasonCode(reason) ? reason : null,
        };

    /// <summary>The line of an end-to-end id this province gave for this run's month; null for anything else.</summary>
    public static int? LineOf(string? endToEnd, PayrollRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var prefix = PayerFileKind.EndToEndId(run.ProvinceCode, run.RunMonth, 0)[..^6];
        return endToEnd is not null && endToEnd.StartsWith(prefix, StringComparison.Ordinal)
            && int.TryParse(endToEnd.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
    }

    private static async Task<(string, IReadOnlyList<(int, OutcomeRow)>, IReadOnlyList<OutcomeProblem>)> ReadPain002Async(AppDbContext db, PayrollRun run, long payerId,
        byte[] content, CancellationToken ct)
    {
        using var stream = new MemoryStream(content, writable: false);
        var (report, error) = Iso20022.ReadPain002(stream, PayrollOutcomes.MaxFileBytes, MaxTransactions);
        if (report is null)
        {
            return ("pain002", [], [FileProblem("file", Texts.Get("PayerResult.Pain002Invalid", error ?? ""))]);
        }

        var problems = new List<OutcomeProblem>();
        var original = await PayerFiles.FindByReferenceAsync(db, report.OriginalMessageId ?? "", ct);
        if (original is null || original.RunId != run.Id || original.Kind != PayerFileKind.Pain001)
        {
            problems.Add(FileProblem("OrgnlMsgId", Texts.Get("PayerResult.UnknownMessage", report.OriginalMessageId ?? "")));
        }
        else if (original.PayerId != payerId)
        {
            problems.Add(FileProblem("OrgnlMsgId", Texts.Get("PayerResult.OtherPayerMessage", report.OriginalMessageId ?? "")));
        }
        else
        {
            if (report.OriginalCount is { } n && n != original.LineCount)
            {
                problems.Add(FileProblem("OrgnlNbOfTxs", Texts.Get("PayerResult.CountDiffers", n, original.LineCount ?? 0)));
            }

            if (report.OriginalControlSum is { } s && s != original.ControlTotal)
            {
                problems.Add(FileProblem("OrgnlCtrlSum", Texts.Get("PayerResult.SumDiffers", Display.Money(s), Display.Money(original.ControlTotal ?? 0))));
            }
        }

        var day = report.Created.VietnamDate();
        var rows = new List<(int, OutcomeRow)>(report.Transactions.Count);
        foreach (var t in report.Transactions)
        {
            var line = LineOf(t.EndToEndId, run);
            if (line is null)
            {
                problems.Add(new(t.Position, "OrgnlEndToEndId", Texts.Get("PayerResult.EndToEndUnknown", t.EndToEndId)));
                continue;
            }

            var outcome = StatusToOutcome(t.Status, t.Reason, t.Position, "TxSts", problems, out var reason);
            if (outcome is not null)
            {
                rows.Add((t.Position, Row(line.Value, outcome, (t.Accepted ?? day).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), reason, t.Amount)));
            }
        }

        return ("pain002", rows, problems);
    }
}
