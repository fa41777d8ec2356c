using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using AnSinh.Core.Payment;
using AnSinh.Core.Time;
using AnSinh.Web.Audit;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Payroll;
using CsvHelper;
using Npgsql;
using NpgsqlTypes;

namespace AnSinh.Web.Features.Disbursement;

/// <summary>
/// Builds queued payer files, one at a time, each in one transaction that holds its row (FOR NO KEY UPDATE SKIP LOCKED):
/// another instance passes it over, and a build that dies leaves it queued for the next. The bytes go to a temporary
/// file, never to memory; a pain.001 is read back through the schema before it is kept, and a file that fails is kept
/// as failed with the reason. Every quarter of an hour it also raises the reconciliation exceptions whose deadlines
/// have passed.
/// </summary>
public sealed partial class PayerFileWorker(DatabaseConnection database, TimeProvider time, FileQueue queue, Hosting.AppMetrics metrics, ILogger<PayerFileWorker> log) : BackgroundService
{
    public const int ProgressEvery = 5_000;

    /// <summary>Deadlines are days: looking for passed ones every quarter of an hour is soon enough, and each look scans every sent run.</summary>
    public static readonly TimeSpan DueEvery = TimeSpan.FromMinutes(15);

    private DateTimeOffset _lastDueLook = DateTimeOffset.MinValue;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await BuildNextAsync(stoppingToken))
                {
                    metrics.FilesBuilt.Add(1);
                }

                if (time.GetUtcNow() - _lastDueLook >= DueEvery)
                {
                    await Reconciliation.RaiseDueAsync(database.DataSource, time, stoppingToken);
                    await Grievances.GrievanceCommands.EscalateDueAsync(database.DataSource, time, stoppingToken);
                    _lastDueLook = time.GetUtcNow();
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                metrics.JobFailures.Add(1, new KeyValuePair<string, object?>("worker", "payer_files"));
                LogLookFailed(log, ex);
            }

            await queue.WaitAsync(PayrollWorker.LookEvery, stoppingToken);
        }
    }

    private sealed record Claimed(long Id, long RunId, string Province, string ProvinceName, DateOnly Month, string RunStatus, long PayerId, string PayerName,
        string? PayerBin, string? PayerBic, string Kind, string Reference, long? ContractId, string? ContractReference, short PayFrom);

    /// <summary>Builds the oldest queued file no one else is building; false when there is none.</summary>
    public async Task<bool> BuildNextAsync(CancellationToken ct)
    {
        await using var conn = await database.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        Claimed? f = null;
        await using (var cmd = new NpgsqlCommand("""
            SELECT f.id, f.run_id, f.province_code, pv.name, r.month, r.status, f.payer_id, p.name, p.bank_bin, b.swift, f.kind, f.reference, c.id, c.reference, c.pay_from_day
            FROM payer_file f JOIN payroll_run r ON r.id = f.run_id JOIN payer p ON p.id = f.payer_id JOIN province pv ON pv.code = f.province_code
            LEFT JOIN bank b ON b.bin = p.bank_bin
            LEFT JOIN LATERAL payer_contract_in_force(f.payer_id, r.month) c ON true
            WHERE f.status = 'queued' ORDER BY f.id LIMIT 1 FOR NO KEY UPDATE OF f SKIP LOCKED
            """, conn, tx))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            if (await r.ReadAsync(ct))
            {
                f = new Claimed(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateOnly>(4), r.GetString(5), r.GetInt64(6), r.GetString(7),
                    r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9), r.GetString(10), r.GetString(11),
                    r.IsDBNull(12) ? null : r.GetInt64(12), r.IsDBNull(13) ? null : r.GetString(13), r.IsDBNull(14) ? (short)1 : r.GetInt16(14));
            }
        }

        if (f is null)
        {
            return false;
        }

        var tempPath = Path.Combine(Path.GetTempPath(), $"ansinh-file-{f.Id}-{Guid.NewGuid():N}.tmp");
        try
        {
            if (!PayerFiles.Ready(Core.Payroll.RunWorkflow.Parse(f.RunStatus)))
            {
                await FailAsync(conn, tx, f.Id, "run not approved", ct);
                await tx.CommitAsync(ct);
                return true;
            }

            var (count, sum) = await CountAsync(conn, tx, f, ct);
            await ProgressAsync(f.Id, 0, count, ct);
            var built = await WriteAsync(conn, tx, f, count, sum, tempPath, ct);
            if (built.Count != count || built.Sum != sum)
            {
                throw new InvalidOperationException($"File {f.Id}: wrote {built.Count} lines for {built.Sum} đ, expected {count} for {sum}.");
            }

            string? invalid = null;
            if (f.Kind == PayerFileKind.Pain001)
            {
                await using var check = File.OpenRead(tempPath);
                invalid = Iso20022.Validate(check, pain001: true, maxCharacters: long.MaxValue);
            }

            if (invalid is not null)
            {
                await FailAsync(conn, tx, f.Id, "schema: " + invalid, ct);
                await tx.CommitAsync(ct);
                return true;
            }

            string hash;
            await using (var read = File.OpenRead(tempPath))
            {
                hash = Convert.ToHexStringLower(await SHA256.HashDataAsync(read, ct));
            }

            var fileName = f.Reference + PayerFiles.Extension(f.Kind);
            await using (var content = File.OpenRead(tempPath))
            await using (var update = new NpgsqlCommand("""
                UPDATE payer_file SET status = 'ready', content = @content, line_count = @count, control_total = @sum, sha256 = @hash, file_name = @name,
                       contract_id = @contract, built_at = @at, failure = NULL
                WHERE id = @id
                """, conn, tx))
            {
                update.Parameters.Add(new NpgsqlParameter("content", NpgsqlDbType.Bytea) { Value = content });
                update.Parameters.AddWithValue("count", count);
                update.Parameters.AddWithValue("sum", sum);
                update.Parameters.AddWithValue("hash", hash);
                update.Parameters.AddWithValue("name", fileName);
                update.Parameters.Add(new NpgsqlParameter("contract", NpgsqlDbType.Bigint) { Value = (object?)f.ContractId ?? DBNull.Value });
                update.Parameters.AddWithValue("at", time.GetUtcNow());
                update.Parameters.AddWithValue("id", f.Id);
                await update.ExecuteNonQueryAsync(ct);
            }

            await AuditLog.AppendAsync(conn, tx,
                [new AuditEntryDraft("build", "payer_file", f.Id.ToString(CultureInfo.InvariantCulture), f.Province, null,
                    System.Text.Json.JsonSerializer.Serialize(new { f.RunId, f.PayerId, f.Kind, lines = count, total = sum, sha256 = hash }))],
                "system", null, time.GetUtcNow(), ct);
            await tx.CommitAsync(ct);
            await ProgressAsync(f.Id, count, count, ct);
            return true;
        }
        finally
        {
            File.Delete(tempPath);
        }
    }

    private static async Task FailAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long id, string failure, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("UPDATE payer_file SET status = 'failed', failure = @f WHERE id = @id", conn, tx);
        cmd.Parameters.AddWithValue("f", failure.Length > 1000 ? failure[..1000] : failure);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static async Task<(int Count, long Sum)> CountAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Claimed f, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT count(*)::int, coalesce(sum(total), 0)::bigint FROM payroll_line WHERE run_id = @run AND payer_id = @payer AND channel = ANY(@channels)", conn, tx);
        cmd.Parameters.AddWithValue("run", f.RunId);
        cmd.Parameters.AddWithValue("payer", f.PayerId);
        cmd.Parameters.AddWithValue("channels", PayerFileKind.Channels(f.Kind).ToArray());
        await using var r = await cmd.ExecuteReaderAsync(ct);
        await r.ReadAsync(ct);
        return (r.GetInt32(0), r.GetInt64(1));
    }

    /// <summary>Progress goes through a connection of its own, outside the build's transaction, so pages see it while it builds.</summary>
    private async Task ProgressAsync(long id, int done, int all, CancellationToken ct)
    {
        await using var cmd = database.DataSource.CreateCommand("""
            INSERT INTO payer_file_progress (file_id, done_lines, all_lines) VALUES ($1, $2, $3)
            ON CONFLICT (file_id) DO UPDATE SET done_lines = excluded.done_lines, all_lines = excluded.all_lines
            """);
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = done });
        cmd.Parameters.Add(new NpgsqlParameter<int> { TypedValue = all });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<(int Count, long Sum)> WriteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Claimed f, int count, long sum, string path, CancellationToken ct)
    {
        var month = YearMonth.From(f.Month);
        var written = 0;
        long total = 0;
        async IAsyncEnumerable<FileLine> Counted(string order)
        {
            await foreach (var l in PayerFiles.LinesAsync(conn, tx, f.RunId, f.PayerId, PayerFileKind.Channels(f.Kind), order, null, ct))
            {
                written++;
                total = checked(total + l.Total);
                if (written % ProgressEvery == 0)
                {
                    await ProgressAsync(f.Id, written, count, ct);
                }

                yield return l;
            }
        }

        string E2E(FileLine l) => PayerFileKind.EndToEndId(f.Province, month, l.LineNo);
        var remittance = $"Tro cap XH thang {Display.Month(month)}";
        // Every writer streams into this file: the xlsx entry by entry, the CSV and XML as they go.
        await using var output = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, FileOptions.Asynchronous);
        switch (f.Kind)
        {
            case PayerFileKind.CashXlsx or PayerFileKind.HomeXlsx:
                var sheet = f.Kind == PayerFileKind.CashXlsx ? "Danh sach chi tra" : "Chi tra tai nha";
                await XlsxWriter.WriteAsync(output, [(sheet, Rows(PayerTables.PostColumns.Select(c => c.Heading).ToArray(),
                    Counted(f.Kind == PayerFileKind.CashXlsx ? "point" : "hamlet"), l => PayerTables.PostRow(l, E2E(l))))], ct);
                break;
            case PayerFileKind.CashCsv:
                await WriteCsvAsync(output, PayerTables.PostColumns, Counted("point"), l => PayerTables.PostRow(l, E2E(l)), ct);
                break;
            case PayerFileKind.BankCsv:
                await WriteCsvAsync(output, PayerTables.BankColumns, Counted("line"), l => PayerTables.BankRow(l, E2E(l), remittance), ct);
                break;
            case PayerFileKind.Pain001:
                var header = new Iso20022.Pain001Header(f.Reference, time.GetUtcNow().ToOffset(VietnamTime.Offset), count, sum, $"AnSinh - {f.ProvinceName}",
                    month.FirstDay.AddDays(f.PayFrom - 1), f.ProvinceName, f.ContractReference ?? f.Reference, f.PayerBic, f.PayerBin);
                await Iso20022.WritePain001Async(output, header, Payments(Counted("line")), ct);
                break;
            default:
                throw new InvalidOperationException($"Unknown file kind {f.Kind}.");
        }

        return (written, total);

        async IAsyncEnumerable<Iso20022.Pain001Payment> Payments(IAsyncEnumerable<FileLine> lines)
        {
            await foreach (var l in lines)
            {
                yield return new Iso20022.Pain001Payment(E2E(l), l.Total, l.BankBin ?? "", l.Holder ?? l.FullName, l.CitizenId, l.Account ?? "", remittance);
            }
        }
    }

    private static async IAsyncEnumerable<string[]> Rows(string[] header, IAsyncEnumerable<FileLine> lines, Func<FileLine, string[]> row)
    {
        yield return header;
        await foreach (var l in lines)
        {
            yield return row(l);
        }
    }

    /// <summary>CSV in UTF-8 with a byte-order mark, which Excel needs to read Vietnamese.</summary>
    private static async Task WriteCsvAsync(Stream output, IReadOnlyList<PayerTables.Column> columns, IAsyncEnumerable<FileLine> lines, Func<FileLine, string[]> row,
        CancellationToken ct)
    {
        await using var text = new StreamWriter(output, new UTF8Encoding(true), 1 << 16, leaveOpen: true);
        await using var csv = new CsvWriter(text, CultureInfo.InvariantCulture);
        foreach (var c in columns)
        {
            csv.WriteField(c.Heading);
        }

        await csv.NextRecordAsync();
        await foreach (var l in lines.WithCancellation(ct))
        {
            foreach (var cell in row(l))
            {
                csv.WriteField(cell);
            }

            await csv.NextRecordAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Building payer files or raising due exceptions failed; trying again shortly")]
    private static partial void LogLookFailed(ILogger logger, Exception ex);
}

/// <summary>Wakes the file worker when files are queued (a queue of its own: one signal wakes one waiter).</summary>
public sealed class FileQueue : RunQueue;
