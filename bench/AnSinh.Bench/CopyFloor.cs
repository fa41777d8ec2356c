using System.Diagnostics;
using Npgsql;
using NpgsqlTypes;

namespace AnSinh.Bench;

/// <summary>
/// The floor under any payroll run: how fast N payroll-line-shaped rows can be written with binary
/// COPY. Generating the rows is part of the timing (it is cheap next to the wire and the server).
/// </summary>
public static class CopyFloor
{
    public sealed record Result(TimeSpan Elapsed, long Bytes);

    public static async Task<Result> RunAsync(string connectionString, int rows, bool logged)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var table = logged ? "bench_payroll_line" : "bench_payroll_line_unlogged";
        await using (var create = new NpgsqlCommand($"""
            DROP TABLE IF EXISTS {table};
            CREATE {(logged ? "" : "UNLOGGED")} TABLE {table} (
                run_id bigint NOT NULL, line_no integer NOT NULL, province_code text NOT NULL, commune_code text NOT NULL,
                person_id bigint NOT NULL, month date NOT NULL, programme text NOT NULL, category_code text NOT NULL,
                amount bigint NOT NULL, channel smallint NOT NULL, payment_point integer, status smallint NOT NULL)
            """, conn))
        {
            await create.ExecuteNonQueryAsync();
        }

        var categories = new[] { "1", "4", "5a", "5c", "6", "8" };
        var amounts = new long[] { 750_000, 810_000, 1_080_000, 540_000, 1_350_000 };
        long bytes = 0;
        var sw = Stopwatch.StartNew();
        await using (var w = await conn.BeginBinaryImportAsync(
            $"COPY {table} (run_id, line_no, province_code, commune_code, person_id, month, programme, category_code, amount, channel, payment_point, status) FROM STDIN (FORMAT BINARY)"))
        {
            var month = new DateOnly(2026, 7, 1);
            for (var i = 0; i < rows; i++)
            {
                await w.StartRowAsync();
                await w.WriteAsync(1L, NpgsqlDbType.Bigint);
                await w.WriteAsync(i, NpgsqlDbType.Integer);
                await w.WriteAsync("19", NpgsqlDbType.Text);
                await w.WriteAsync("01840", NpgsqlDbType.Text);
                await w.WriteAsync(1_000_000L + i, NpgsqlDbType.Bigint);
                await w.WriteAsync(month, NpgsqlDbType.Date);
                await w.WriteAsync("social_assistance", NpgsqlDbType.Text);
                await w.WriteAsync(categories[i % categories.Length], NpgsqlDbType.Text);
                await w.WriteAsync(amounts[i % amounts.Length], NpgsqlDbType.Bigint);
                await w.WriteAsync((short)(i % 3), NpgsqlDbType.Smallint);
                await w.WriteAsync(i % 110, NpgsqlDbType.Integer);
                await w.WriteAsync((short)0, NpgsqlDbType.Smallint);
            }

            await w.CompleteAsync();
        }

        sw.Stop();
        await using (var size = new NpgsqlCommand($"SELECT pg_relation_size('{table}')", conn))
        {
            bytes = (long)(await size.ExecuteScalarAsync())!;
        }

        await using (var check = new NpgsqlCommand($"SELECT count(*) FROM {table}", conn))
        {
            var count = (long)(await check.ExecuteScalarAsync())!;
            if (count != rows)
            {
                throw new InvalidOperationException($"COPY wrote {count} rows, expected {rows}.");
            }
        }

        await using (var drop = new NpgsqlCommand($"DROP TABLE {table}", conn))
        {
            await drop.ExecuteNonQueryAsync();
        }

        return new Result(sw.Elapsed, bytes);
    }
}
