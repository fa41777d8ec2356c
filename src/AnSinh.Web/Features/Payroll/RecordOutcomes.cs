using System.Globalization;
using System.Security.Cryptography;
using AnSinh.Core.Payroll;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Features.Registry.Import;
using AnSinh.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace AnSinh.Web.Features.Payroll;

/// <summary>A payer's outcome for one line: paid (with the day and who took it), unpaid, or returned.</summary>
public sealed record OutcomeRow(int LineNo, string? Outcome, string? Date, string? Receiver, string? Note)
{
    /// <summary>The amount the payer says the line carried, where its file repeats it: it must be what was issued.</summary>
    public long? Amount { get; init; }

    /// <summary>A bank's reason for a rejection (ISO 20022, e.g. AC04).</summary>
    public string? ReasonCode { get; init; }
}

/// <summary>
/// A payer's results file: its lines must be that payer's, and the file's own problems (header totals, unreadable
/// rows) come with it. The same file committed twice for a run is recognised by its hash and changes nothing.
/// </summary>
public sealed record PayerImport(long PayerId, string Format, string FileName, string Sha256, IReadOnlyList<OutcomeProblem> FileProblems);

/// <summary>A row's problem, named by its row in the file (or its index in the request) and its field.</summary>
public sealed record OutcomeProblem(int Row, string Field, string Message);

/// <summary>What a results file did (or would do, on a dry run): new outcomes, ones already recorded the same, problems.</summary>
public sealed record OutcomeReport(int Rows, int Recorded, int Unchanged, IReadOnlyList<OutcomeProblem> Problems, bool Committed, bool RunClosed)
{
    /// <summary>This very file was committed before: nothing is written again.</summary>
    public bool Replay { get; init; }
}

/// <summary>
/// Records payers' outcomes: all or nothing (any problem and nothing is written), idempotent (a row already recorded
/// the same way is counted, not written again), and a row that contradicts a recorded outcome is a conflict, never an
/// overwrite. The generic CSV (line, outcome, date, receiver, note) comes through here; payer formats will too.
/// When every line has an outcome the run closes.
/// </summary>
public sealed class PayrollOutcomes(AppDbContext db, TimeProvider time)
{
    public const int MaxFileBytes = 20 * 1024 * 1024;
    public const int MaxNoteLength = 300;
    private static readonly string[] Columns = ["line", "outcome", "date", "receiver", "note"];

    /// <summary>The generic results file: a header row with the five columns, one row per line.</summary>
    public static (IReadOnlyList<(int Row, OutcomeRow Outcome)> Rows, OutcomeProblem? Error) ReadFile(string fileName, byte[] content)
    {
        RawSheet sheet;
        try
        {
            sheet = ImportReader.Read(fileName, content);
        }
        catch (ImportFormatException e)
        {
            return ([], new OutcomeProblem(0, "file", e.Message));
        }

        var index = Columns.Select(c => sheet.Headers.ToList().IndexOf(c)).ToArray();
        if (index[0] < 0 || index[1] < 0)
        {
            return ([], new OutcomeProblem(1, "header", Texts.Get("Outcome.HeaderMissing", string.Join(", ", Columns))));
        }

        string? Cell(string[] cells, int i) => i >= 0 && i < cells.Length && !string.IsNullOrWhiteSpace(cells[i]) ? cells[i].Trim() : null;
        var rows = new List<(int, OutcomeRow)>(sheet.Rows.Count);
        foreach (var (row, cells) in sheet.Rows)
        {
            var line = int.TryParse(Cell(cells, index[0]), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
            rows.Add((row, new OutcomeRow(line, Cell(cells, index[1])?.ToLowerInvariant(), Cell(cells, index[2]), Cell(cells, index[3])?.ToLowerInvariant(), Cell(cells, index[4]))));
        }

        return (rows, null);
    }

    public Task<(OutcomeReport? Report, RegistryError? Error)> RecordAsync(string province, long runId, IReadOnlyList<(int Row, OutcomeRow Outcome)> rows,
        string source, bool dryRun, string actor, CancellationToken ct, PayerImport? payer = null) =>
        // Idempotent (outcomes already recorded are skipped), so a repeat after a lost connection is safe.
        LostConnection.RetryAsync(db, _ => RecordOnceAsync(province, runId, rows, source, dryRun, actor, ct, payer), ct);

    private async Task<(OutcomeReport? Report, RegistryError? Error)> RecordOnceAsync(string province, long runId, IReadOnlyList<(int Row, OutcomeRow Outcome)> rows,
        string source, bool dryRun, string actor, CancellationToken ct, PayerImport? payer)
    {
        ArgumentNullException.ThrowIfNull(rows);
        await using var tx = await db.TransactionAsync(ct);
        var run = await db.PayrollRuns.FromSql($"SELECT * FROM payroll_run WHERE id = {runId} FOR UPDATE").FirstOrDefaultAsync(ct);
        if (run is null || run.ProvinceCode != province)
        {
            return (null, RegistryError.NotFound("payroll_run"));
        }

        // A closed run still answers a file sent again: every row is then unchanged or a conflict.
        if (run.State is not (RunStatus.Sent or RunStatus.Closed))
        {
            return (null, RegistryError.Conflict(Texts.Get("Outcome.RunNotSent")));
        }

        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        var recorded = new Dictionary<int, (string Outcome, DateOnly? Date, string? Receiver)>();
        var lines = new Dictionary<int, (long? Payer, long Total)>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT l.line_no, o.outcome, o.paid_on, o.receiver, l.payer_id, l.total FROM payroll_line l LEFT JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no
            WHERE l.run_id = @id AND l.line_no = ANY (@lines)
            """, conn))
        {
            // Only the file's lines: a commune's results against a province's run read hundreds of rows, not the run's
            // tens of thousands (640 ms → see docs/benchmarks.md, load).
            cmd.Parameters.AddWithValue("id", runId);
            cmd.Parameters.AddWithValue("lines", rows.Select(r => r.Outcome.LineNo).Distinct().ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                lines[r.GetInt32(0)] = (r.IsDBNull(4) ? null : r.GetInt64(4), r.GetInt64(5));
                if (!r.IsDBNull(1))
                {
                    recorded[r.GetInt32(0)] = (r.GetString(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateOnly>(2), r.IsDBNull(3) ? null : r.GetString(3));
                }
            }
        }

        var problems = new List<OutcomeProblem>(payer?.FileProblems ?? []);
        var replay = payer is not null && await db.Database.SqlQuery<bool>(
            $"SELECT EXISTS (SELECT 1 FROM payer_result WHERE run_id = {runId} AND payer_id = {payer.PayerId} AND sha256 = {payer.Sha256}) AS \"Value\"").FirstAsync(ct);
        var fresh = new List<(OutcomeRow Row, DateOnly? Date)>();
        var seen = new HashSet<int>();
        var unchanged = 0;
        var earliest = run.RunMonth.AddMonths(-1).FirstDay;
        var today = time.VietnamToday();
        foreach (var (rowNo, o) in rows)
        {
            var before = problems.Count;
            if (!lines.TryGetValue(o.LineNo, out var line))
            {
                problems.Add(new(rowNo, "line", Texts.Get("Outcome.LineUnknown", o.LineNo)));
                continue;
            }

            if (payer is not null && line.Payer != payer.PayerId)
            {
                problems.Add(new(rowNo, "line", Texts.Get("Outcome.LineOtherPayer", o.LineNo)));
                continue;
            }

            if (o.Amount is { } amount && amount != line.Total)
            {
                problems.Add(new(rowNo, "amount", Texts.Get("Outcome.AmountDiffers", Display.Money(amount), Display.Money(line.Total))));
            }

            if (!seen.Add(o.LineNo))
            {
                problems.Add(new(rowNo, "line", Texts.Get("Outcome.LineTwice", o.LineNo)));
                continue;
            }

            if (o.Outcome is null || !Outcome.All.Contains(o.Outcome))
            {
                problems.Add(new(rowNo, "outcome", Texts.Get("Outcome.OutcomeInvalid")));
            }

            DateOnly? date = null;
            if (o.Date is not null)
            {
                if (DateOnly.TryParseExact(o.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) && d >= earliest && d <= today)
                {
                    date = d;
                }
                else
                {
                    problems.Add(new(rowNo, "date", Texts.Get("Outcome.DateInvalid", Display.Date(earliest), Display.Date(today))));
                }
            }

            var paid = o.Outcome == Outcome.Paid;
            if (paid && date is null && o.Date is null)
            {
                problems.Add(new(rowNo, "date", Texts.Get("Outcome.DateRequired")));
            }

            if (paid ? o.Receiver is null || !Receiver.All.Contains(o.Receiver) : o.Receiver is not null)
            {
                problems.Add(new(rowNo, "receiver", Texts.Get(paid ? "Outcome.ReceiverInvalid" : "Outcome.ReceiverOnlyPaid")));
            }

            if (o.Note is { Length: > MaxNoteLength })
            {
                problems.Add(new(rowNo, "note", Texts.Get("Outcome.NoteTooLong", MaxNoteLength)));
            }

            if (problems.Count > before)
            {
                continue;
            }

            var storedDate = paid ? date : null;
            if (recorded.TryGetValue(o.LineNo, out var existing))
            {
                if (existing == (o.Outcome!, storedDate, paid ? o.Receiver : null))
                {
                    unchanged++;
                }
                else
                {
                    problems.Add(new(rowNo, "outcome", Texts.Get("Outcome.Conflict", o.LineNo, Texts.Get("Outcome." + existing.Outcome))));
                }

                continue;
            }

            fresh.Add((o, storedDate));
        }

        if (problems.Count > 0 || dryRun || replay)
        {
            return (new OutcomeReport(rows.Count, problems.Count == 0 ? fresh.Count : 0, unchanged, problems, false, false) { Replay = replay }, null);
        }

        var now = time.GetUtcNow();
        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY payroll_outcome (run_id, line_no, outcome, paid_on, receiver, note, reason_code, source, recorded_by, recorded_at) FROM STDIN (FORMAT BINARY)", ct))
        {
            foreach (var (o, date) in fresh)
            {
                await w.StartRowAsync(ct);
                await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
                await w.WriteAsync(o.LineNo, NpgsqlDbType.Integer, ct);
                await w.WriteAsync(o.Outcome!, NpgsqlDbType.Text, ct);
                await w.WriteNullableAsync(date, NpgsqlDbType.Date, ct);
                await w.WriteNullableAsync(o.Outcome == Outcome.Paid ? o.Receiver : null, NpgsqlDbType.Text, ct);
                await w.WriteNullableAsync(o.Note, NpgsqlDbType.Text, ct);
                await w.WriteNullableAsync(o.ReasonCode, NpgsqlDbType.Text, ct);
                await w.WriteAsync(source, NpgsqlDbType.Text, ct);
                await w.WriteAsync(actor, NpgsqlDbType.Text, ct);
                await w.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
            }

            await w.CompleteAsync(ct);
        }

        var (_, ntx) = db.Raw();
        if (payer is not null)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO payer_result (run_id, province_code, payer_id, format, file_name, sha256, rows, recorded, unchanged, imported_by, imported_at)
                VALUES ({runId}, {province}, {payer.PayerId}, {payer.Format}, {payer.FileName}, {payer.Sha256}, {rows.Count}, {fresh.Count}, {unchanged}, {actor}, {now})
                """, ct);
        }

        // Reconciliation reads the whole run; a file that records nothing new (sent again) changes none of its facts.
        var closes = false;
        if (fresh.Count > 0)
        {
            await Disbursement.Reconciliation.RaiseAsync(conn, ntx, runId, now, ct);
            closes = await Disbursement.Reconciliation.TryCloseAsync(conn, ntx, runId, now, ct);
        }

        // The audit row last: appending takes the chain's lock, held until the commit, and every audited write waits
        // for it; the run-wide reconciliation above must not run under it (docs/benchmarks.md, load).
        await db.AppendAuditAsync("outcomes", "payroll_run", runId.ToString(CultureInfo.InvariantCulture), province,
            new { source, payer = payer?.PayerId, recorded = fresh.Count, unchanged, paid = fresh.Count(f => f.Row.Outcome == Outcome.Paid) }, actor, null, now, ct);
        await tx.CommitAsync(ct);
        return (new OutcomeReport(rows.Count, fresh.Count, unchanged, [], true, closes), null);
    }

    /// <summary>A name for where outcomes came from: the file's name and the start of its SHA-256.</summary>
    public static string SourceOf(string fileName, byte[] content) =>
        $"{Path.GetFileName(fileName)} sha256:{Convert.ToHexStringLower(SHA256.HashData(content))[..16]}";
}
