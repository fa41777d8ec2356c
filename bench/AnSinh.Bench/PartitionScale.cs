using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;

namespace AnSinh.Bench;

/// <summary>
/// One step toward distributing by province (docs/scaling.md): the payroll ledger's lines as one table, and as a table
/// partitioned by LIST (province_code), 34 partitions. The same national data in both: a month already paid, then
/// the month being run, written province by province (one binary COPY each, as each province's run writes its lines).
/// Measured: the national month's writing, a province's month read as the dashboard reads it (sums by commune and
/// channel), a province's recompute (its run's lines deleted and written again), and a province's old month removed.
/// </summary>
public static class PartitionScale
{
    public sealed record Result(string Layout, TimeSpan NationalWrite, TimeSpan ProvinceRead, TimeSpan ProvinceRecompute, TimeSpan OldMonthRemoved, long Bytes);

    private const int Provinces = 34;

    public static async Task<Result> RunAsync(string connectionString, int linesPerMonth, bool partitioned)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var layout = partitioned ? "partitioned" : "one table";
        await ExecAsync(conn, "DROP TABLE IF EXISTS bench_line");
        await ExecAsync(conn, $"""
            CREATE TABLE bench_line (
                run_id bigint NOT NULL, line_no integer NOT NULL, province_code text NOT NULL, commune_code text NOT NULL,
                person_id bigint NOT NULL, month date NOT NULL, category text NOT NULL, channel text NOT NULL,
                regular bigint NOT NULL, back_pay bigint NOT NULL, carry_over bigint NOT NULL, funeral bigint NOT NULL,
                recovery bigint NOT NULL, total bigint NOT NULL,
                PRIMARY KEY ({(partitioned ? "province_code, " : "")}run_id, line_no))
            {(partitioned ? "PARTITION BY LIST (province_code)" : "")}
            """);
        if (partitioned)
        {
            for (var p = 0; p < Provinces; p++)
            {
                await ExecAsync(conn, $"CREATE TABLE bench_line_{Code(p)} PARTITION OF bench_line FOR VALUES IN ('{Code(p)}')");
            }
        }

        await ExecAsync(conn, "CREATE INDEX ON bench_line (person_id, month)"); // the ledger's read: a person's months

        // October, already paid: every province's run (ids 1..34).
        for (var p = 0; p < Provinces; p++)
        {
            await CopyAsync(conn, runId: p + 1, p, new DateOnly(2026, 10, 1), linesPerMonth / Provinces);
        }

        await ExecAsync(conn, "ANALYZE bench_line");

        // November, the national month: runs 101..134, province after province.
        var write = Stopwatch.StartNew();
        for (var p = 0; p < Provinces; p++)
        {
            await CopyAsync(conn, runId: 101 + p, p, new DateOnly(2026, 11, 1), linesPerMonth / Provinces);
        }

        write.Stop();
        await ExecAsync(conn, "ANALYZE bench_line");

        // A province's month as the dashboard sums it (median of five).
        var reads = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            var sw = Stopwatch.StartNew();
            await ExecAsync(conn, "SELECT commune_code, channel, count(*), sum(total) FROM bench_line WHERE province_code = '19' AND run_id = 119 GROUP BY 1, 2");
            reads.Add(sw.Elapsed);
        }

        // The province recomputes: its run's lines deleted and written again, in one transaction.
        var recompute = Stopwatch.StartNew();
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await ExecAsync(conn, "DELETE FROM bench_line WHERE province_code = '19' AND run_id = 119", tx);
            await CopyAsync(conn, 119, 19 - 1, new DateOnly(2026, 11, 1), linesPerMonth / Provinces);
            await tx.CommitAsync();
        }

        recompute.Stop();

        // A province's oldest month leaves the table (archived elsewhere).
        var remove = Stopwatch.StartNew();
        await ExecAsync(conn, "DELETE FROM bench_line WHERE province_code = '19' AND run_id = 19");
        remove.Stop();

        var bytes = await ScalarAsync(conn, "SELECT sum(pg_total_relation_size(c.oid))::bigint FROM pg_class c WHERE c.relname LIKE 'bench_line%' AND c.relkind IN ('r', 'p')");
        await ExecAsync(conn, "DROP TABLE bench_line");
        return new Result(layout, write.Elapsed, reads.Order().ElementAt(2), recompute.Elapsed, remove.Elapsed, bytes);
    }

    private static string Code(int p) => (p + 1).ToString("D2", CultureInfo.InvariantCulture);

    private static async Task CopyAsync(NpgsqlConnection conn, long runId, int province, DateOnly month, int lines)
    {
        var code = Code(province);
        var categories = new[] { "1", "4", "5a", "5c", "6", "8" };
        var amounts = new long[] { 750_000, 810_000, 1_080_000, 540_000, 1_350_000 };
        await using var w = await conn.BeginBinaryImportAsync(
            "COPY bench_line (run_id, line_no, province_code, commune_code, person_id, month, category, channel, regular, back_pay, carry_over, funeral, recovery, total) FROM STDIN (FORMAT BINARY)");
        for (var i = 0; i < lines; i++)
        {
            var amount = amounts[i % amounts.Length];
            await w.StartRowAsync();
            await w.WriteAsync(runId, NpgsqlDbType.Bigint);
            await w.WriteAsync(i + 1, NpgsqlDbType.Integer);
            await w.WriteAsync(code, NpgsqlDbType.Text);
            await w.WriteAsync(code + (i % 100).ToString("D3", CultureInfo.InvariantCulture), NpgsqlDbType.Text);
            await w.WriteAsync((province * 1_000_000L) + i, NpgsqlDbType.Bigint);
            await w.WriteAsync(month, NpgsqlDbType.Date);
            await w.WriteAsync(categories[i % categories.Length], NpgsqlDbType.Text);
            await w.WriteAsync(i % 5 == 0 ? "bank" : "cash_point", NpgsqlDbType.Text);
            await w.WriteAsync(amount, NpgsqlDbType.Bigint);
            await w.WriteAsync(0L, NpgsqlDbType.Bigint);
            await w.WriteAsync(0L, NpgsqlDbType.Bigint);
            await w.WriteAsync(0L, NpgsqlDbType.Bigint);
            await w.WriteAsync(0L, NpgsqlDbType.Bigint);
            await w.WriteAsync(amount, NpgsqlDbType.Bigint);
        }

        await w.CompleteAsync();
    }

    private static async Task ExecAsync(NpgsqlConnection conn, string sql, NpgsqlTransaction? tx = null)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx) { CommandTimeout = 0 };
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long> ScalarAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
