using System.Diagnostics;
using System.Globalization;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Payroll;
using AnSinh.Web.Features.Places;
using AnSinh.Web.Hosting;
using Npgsql;
using NpgsqlTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console;

namespace AnSinh.Bench;

/// <summary>
/// The payroll at national scale: N people (default 6,000,000) over the 34 provinces and 3,321 communes with the
/// field category mix, a payer, a point per commune and an instruction each, and a year of approved history (one
/// run per province and month, computed by the app's own <see cref="RunComputer"/>, November 2025 to October 2026,
/// each cut off the 20th of the month before, so July to October were paid at the 500,000 base). Then, side by side:
/// (a) an ordinary national month (November 2026, cut off 1/10, before Decree 335 was known), (b) the Decree 335
/// month (the same month cut off 20/10: back pay of July to October for everyone), (c) the largest province alone,
/// and (d) the floor: binary COPY of the same number of lines and items into the same tables, nothing computed.
/// </summary>
public static class PayrollScale
{
    public sealed record Row(string Case, int Runs, int Lines, long Items, long Total, int FullReads, TimeSpan Elapsed, long PeakWorkingSet);

    private static readonly YearMonth FirstMonth = new(2025, 11);
    private static readonly YearMonth BenchMonth = new(2026, 11);

    public static async Task<string> PrepareAsync(string server, int people, bool reuse)
    {
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = "payrollbench", CommandTimeout = 0 }.ConnectionString;
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            var exists = await new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = 'payrollbench'", admin).ExecuteScalarAsync() is not null;
            if (exists && reuse)
            {
                return cs;
            }

            if (exists)
            {
                await new NpgsqlCommand("DROP DATABASE payrollbench", admin).ExecuteNonQueryAsync();
            }

            await new NpgsqlCommand("CREATE DATABASE payrollbench", admin).ExecuteNonQueryAsync();
        }

        await using var ds = NpgsqlDataSource.Create(cs);
        await Migrator.MigrateAsync(ds, Migration.Embedded());
        await PlaceLoader.LoadAsync(ds);
        var sw = Stopwatch.StartNew();
        await LoadPeopleAsync(ds, people);
        AnsiConsole.WriteLine($"{people:N0} people, enrolments and payment instructions loaded in {sw.Elapsed.TotalSeconds:F0} s");
        sw.Restart();
        await using (var app = Build(cs))
        {
            var computer = app.Services.GetRequiredService<RunComputer>();
            var provinces = await ProvincesAsync(ds);
            var months = BenchMonth.MonthsSince(FirstMonth);
            await AnsiConsole.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"A year of approved runs ({months} months × {provinces.Count} provinces)", maxValue: months * provinces.Count);
                for (var m = FirstMonth; m < BenchMonth; m = m.AddMonths(1))
                {
                    foreach (var p in provinces)
                    {
                        var id = await QueueAsync(ds, p, m, m.AddMonths(-1).FirstDay.AddDays(19));
                        await computer.ComputeAsync(id, null, CancellationToken.None);
                        await Exec(ds, $"""
                            UPDATE payroll_run SET status = 'approved', submitted_by = 'bench-submitter', submitted_at = now(),
                                   approved_by = 'bench-approver', approved_at = now() WHERE id = {id}
                            """);
                        task.Increment(1);
                    }
                }
            });
        }

        await Exec(ds, "VACUUM ANALYZE");
        AnsiConsole.WriteLine($"history computed and approved in {sw.Elapsed.TotalSeconds:F0} s");
        return cs;
    }

    /// <summary>The four cases, each computed (or copied) and then removed, so the next starts from the same history.</summary>
    public static async Task<IReadOnlyList<Row>> RunAsync(string cs)
    {
        await using var ds = NpgsqlDataSource.Create(cs);
        await using var app = Build(cs);
        var computer = app.Services.GetRequiredService<RunComputer>();
        var provinces = await ProvincesAsync(ds);
        var largest = (string)(await Scalar(ds, "SELECT province_code FROM person GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"))!;
        var rows = new List<Row>();

        // Warm-up (JIT, plans, caches): one small province's ordinary month, discarded.
        var smallest = (string)(await Scalar(ds, "SELECT province_code FROM person GROUP BY 1 ORDER BY count(*) LIMIT 1"))!;
        await ComputeAsync(ds, computer, [smallest], new DateOnly(2026, 10, 1), "warm-up");
        await DiscardAsync(ds);

        var ordinary = await ComputeAsync(ds, computer, provinces, new DateOnly(2026, 10, 1), "(a) ordinary national month: November 2026, cut off 1/10");
        rows.Add(ordinary);
        await DiscardAsync(ds);
        rows.Add(await FloorAsync(ds, provinces, ordinary, "(d) floor for (a): COPY of the same lines and items"));

        var decree = await ComputeAsync(ds, computer, provinces, new DateOnly(2026, 10, 20), "(b) Decree 335 month: November 2026, cut off 20/10");
        rows.Add(decree);
        await DiscardAsync(ds);
        rows.Add(await FloorAsync(ds, provinces, decree, "(d) floor for (b): COPY of the same lines and items"));

        rows.Add(await ComputeAsync(ds, computer, [largest], new DateOnly(2026, 10, 1), $"(c) largest province ({largest}), ordinary month"));
        await DiscardAsync(ds);
        return rows;
    }

    private static async Task<Row> ComputeAsync(NpgsqlDataSource ds, RunComputer computer, IReadOnlyList<string> provinces, DateOnly cutOff, string name)
    {
        var ids = new List<long>();
        foreach (var p in provinces)
        {
            ids.Add(await QueueAsync(ds, p, BenchMonth, cutOff));
        }

        using var process = Process.GetCurrentProcess();
        GC.Collect();
        computer.Timings.Reset();
        var sw = Stopwatch.StartNew();
        foreach (var id in ids)
        {
            await computer.ComputeAsync(id, null, CancellationToken.None);
        }

        sw.Stop();
        process.Refresh();
        Console.WriteLine($"{name}: " + string.Join(", ", computer.Timings.Snapshot().OrderByDescending(t => t.Value).Select(t => $"{t.Key} {t.Value.TotalSeconds:F1} s")));
        await using var cmd = ds.CreateCommand($"SELECT count(*), sum(lines), sum(items), sum(total), sum(full_reads), count(*) FILTER (WHERE status <> 'draft') FROM payroll_run WHERE id = ANY(@ids)");
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        if (r.GetInt64(5) > 0)
        {
            throw new InvalidOperationException($"{r.GetInt64(5)} runs did not compute");
        }

        return new Row(name, (int)r.GetInt64(0), (int)r.GetInt64(1), r.GetInt64(2), (long)r.GetDecimal(3), (int)r.GetInt64(4), sw.Elapsed, process.PeakWorkingSet64);
    }

    /// <summary>
    /// The same lines and items, written by binary COPY into the same tables, province by province in one transaction
    /// each, for the same people in the same order (so the indexes take the same inserts), nothing read or computed.
    /// </summary>
    private static async Task<Row> FloorAsync(NpgsqlDataSource ds, IReadOnlyList<string> provinces, Row like, string name)
    {
        var perLine = (int)Math.Max(1, like.Items / Math.Max(1, like.Lines));
        var lines = 0;
        var runIds = new List<long>();
        var people = new Dictionary<string, long[]>();
        foreach (var p in provinces)
        {
            await using var cmd = ds.CreateCommand("SELECT array_agg(DISTINCT person_id ORDER BY person_id) FROM enrolment WHERE province_code = @p");
            cmd.Parameters.AddWithValue("p", p);
            people[p] = await cmd.ExecuteScalarAsync() as long[] ?? [];
            runIds.Add(await QueueAsync(ds, p, BenchMonth, new DateOnly(2026, 10, 1)));
        }

        var sw = Stopwatch.StartNew();
        for (var k = 0; k < provinces.Count; k++)
        {
            var id = runIds[k];
            var ids = people[provinces[k]];
            await using var conn = await ds.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await using (var w = await conn.BeginBinaryImportAsync("""
                COPY payroll_line (run_id, line_no, person_id, province_code, commune_code, category, channel, instruction_id, payment_point_id, payer_id,
                                   regular, back_pay, carry_over, funeral, recovery, total) FROM STDIN (FORMAT BINARY)
                """))
            {
                for (var i = 0; i < ids.Length; i++)
                {
                    await w.WriteRowAsync(CancellationToken.None, id, i + 1, ids[i], provinces[k], "01840", "5c", "cash_point", 1L, 1L, 1L, 810_000L, 0L, 0L, 0L, 0L, 810_000L);
                }

                await w.CompleteAsync();
            }

            await using (var w = await conn.BeginBinaryImportAsync("""
                COPY payroll_item (run_id, line_no, person_id, programme, month, kind, amount, owed, coefficient, base, category, reference, reason)
                FROM STDIN (FORMAT BINARY)
                """))
            {
                for (var i = 0; i < ids.Length; i++)
                {
                    for (var j = 0; j < perLine; j++)
                    {
                        await w.StartRowAsync();
                        await w.WriteAsync(id, NpgsqlDbType.Bigint);
                        await w.WriteAsync(i + 1, NpgsqlDbType.Integer);
                        await w.WriteAsync(ids[i], NpgsqlDbType.Bigint);
                        await w.WriteAsync("social_assistance", NpgsqlDbType.Text);
                        await w.WriteAsync(BenchMonth.AddMonths(-j).FirstDay, NpgsqlDbType.Date);
                        await w.WriteAsync(j == 0 ? "regular" : "back_pay", NpgsqlDbType.Text);
                        await w.WriteAsync(j == 0 ? 810_000L : 60_000L, NpgsqlDbType.Bigint);
                        await w.WriteAsync(810_000L, NpgsqlDbType.Bigint);
                        await w.WriteAsync(15, NpgsqlDbType.Integer);
                        await w.WriteAsync(540_000L, NpgsqlDbType.Bigint);
                        await w.WriteAsync("5c", NpgsqlDbType.Text);
                        await w.WriteAsync("Nghị định 20/2021/NĐ-CP Điều 6; mức chuẩn: Nghị định 335/2026/NĐ-CP", NpgsqlDbType.Text);
                        await w.WriteAsync(j == 0 ? "payroll.regular" : "payroll.back_pay.base_raised", NpgsqlDbType.Text);
                    }
                }

                await w.CompleteAsync();
            }

            await tx.CommitAsync();
            lines += ids.Length;
        }

        sw.Stop();
        using var process = Process.GetCurrentProcess();
        await DiscardAsync(ds);
        return new Row(name, provinces.Count, lines, (long)lines * perLine, 0, 0, sw.Elapsed, process.PeakWorkingSet64);
    }

    private static async Task DiscardAsync(NpgsqlDataSource ds)
    {
        await Exec(ds, $"""
        DELETE FROM payroll_item WHERE run_id IN (SELECT id FROM payroll_run WHERE month = '{BenchMonth.FirstDay:yyyy-MM-dd}');
        DELETE FROM payroll_line WHERE run_id IN (SELECT id FROM payroll_run WHERE month = '{BenchMonth.FirstDay:yyyy-MM-dd}');
        DELETE FROM payroll_debt WHERE run_id IN (SELECT id FROM payroll_run WHERE month = '{BenchMonth.FirstDay:yyyy-MM-dd}');
        DELETE FROM payroll_problem WHERE run_id IN (SELECT id FROM payroll_run WHERE month = '{BenchMonth.FirstDay:yyyy-MM-dd}');
        DELETE FROM payroll_progress WHERE run_id IN (SELECT id FROM payroll_run WHERE month = '{BenchMonth.FirstDay:yyyy-MM-dd}');
        DELETE FROM payroll_run WHERE month = '{BenchMonth.FirstDay:yyyy-MM-dd}';
        """);
        await Exec(ds, "VACUUM ANALYZE payroll_line, payroll_item");
    }

    private static async Task<long> QueueAsync(NpgsqlDataSource ds, string province, YearMonth month, DateOnly cutOff)
    {
        await using var cmd = ds.CreateCommand("""
            INSERT INTO payroll_run (province_code, month, cut_off, ledger_from, recovery_cap_percent, status, prepared_by, prepared_at)
            VALUES (@p, @m, @c, @from, 100, 'computing', 'bench-preparer', now()) RETURNING id
            """);
        cmd.Parameters.AddWithValue("p", province);
        cmd.Parameters.AddWithValue("m", month.FirstDay);
        cmd.Parameters.AddWithValue("c", cutOff);
        cmd.Parameters.AddWithValue("from", FirstMonth.FirstDay);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static WebApplication Build(string cs) =>
        AppHost.Build(["--ConnectionStrings:AnSinh=" + cs, "--Logging:LogLevel:Default=Warning"]);

    private static async Task<List<string>> ProvincesAsync(NpgsqlDataSource ds)
    {
        var list = new List<string>();
        await using var cmd = ds.CreateCommand("SELECT code FROM province ORDER BY code");
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            list.Add(r.GetString(0));
        }

        return list;
    }

    /// <summary>
    /// People in the field mix of Chợ Đồn (domain.md: per 1,714 beneficiaries, 16 orphaned children, 8 HIV, 84 single
    /// parents, 553 elderly, 785 disabled, 268 carers), ages kept clear of the band edges where a category would end in
    /// the year (5b stops at 80), all paid from January 2025, set-based in chunks with the indexes built once after.
    /// </summary>
    private static async Task LoadPeopleAsync(NpgsqlDataSource ds, int people)
    {
        const int chunk = 500_000;
        // The registry's search indexes (trigrams per province, Vietnamese order) and the no-overlap constraint cost
        // most of a bulk load and nothing here uses them: the payroll reads by person and province.
        await Exec(ds, """
            DROP INDEX person_search_name_trgm_idx, person_name_vi_idx, enrolment_open_categories_idx;
            DO $$ DECLARE i text; BEGIN FOR i IN SELECT indexname FROM pg_indexes WHERE indexname LIKE 'person_trgm_%' LOOP EXECUTE 'DROP INDEX ' || i; END LOOP; END $$;
            ALTER TABLE enrolment DROP CONSTRAINT enrolment_no_overlap;
            """);
        await AnsiConsole.Progress().StartAsync(async ctx =>
        {
            var task = ctx.AddTask($"Loading {people:N0} people", maxValue: people);
            for (var from = 0; from < people; from += chunk)
            {
                var to = Math.Min(people, from + chunk);
                await Exec(ds, $"""
                    WITH c AS (SELECT array_agg(code ORDER BY code) AS codes, array_agg(province_code ORDER BY code) AS provinces FROM commune),
                    g AS (SELECT g, (g * 7919) % 1714 AS k FROM generate_series({from + 1}::bigint, {to}::bigint) g),
                    kinds AS (SELECT g, CASE WHEN k < 16 THEN '1' WHEN k < 24 THEN '8' WHEN k < 108 THEN '4' WHEN k < 191 THEN '5a'
                                             WHEN k < 246 THEN '5b' WHEN k < 661 THEN '5c' WHEN k < 1171 THEN '6s' WHEN k < 1446 THEN '6e' ELSE 'care' END AS kind FROM g),
                    ages AS (SELECT g, kind, CASE kind WHEN '1' THEN 5 WHEN '8' THEN 20 WHEN '4' THEN 22 WHEN '5a' THEN 62 WHEN '5b' THEN 76
                                                        WHEN '5c' THEN 81 WHEN '6s' THEN 20 WHEN '6e' THEN 20 ELSE 25 END AS lo,
                                              CASE kind WHEN '1' THEN 14 WHEN '8' THEN 55 WHEN '4' THEN 50 WHEN '5a' THEN 78 WHEN '5b' THEN 77
                                                        WHEN '5c' THEN 98 WHEN '6s' THEN 58 WHEN '6e' THEN 58 ELSE 65 END AS hi FROM kinds)
                    INSERT INTO person (citizen_id, full_name, birth_date, sex, province_code, commune_code, hamlet)
                    SELECT '8' || lpad(a.g::text, 11, '0'), 'Người hưởng ' || a.g,
                           date '2024-12-01' - (a.lo * 365 + ((a.g * 2654435761) % greatest(1, (a.hi - a.lo) * 365))::int),
                           (a.g % 2)::smallint, c.provinces[1 + ((a.g * 48271) % 3321)::int], c.codes[1 + ((a.g * 48271) % 3321)::int],
                           'Thôn ' || (1 + a.g % 12)
                    FROM ages a, c;
                    """);
                task.Value = to;
            }
        });

        await Exec(ds, """
            INSERT INTO enrolment (person_id, province_code, commune_code, programme, categories, status, start_month)
            SELECT p.id, p.province_code, p.commune_code, CASE WHEN k = 'care' THEN 'care_support' ELSE 'social_assistance' END,
                   CASE k WHEN '4' THEN jsonb_build_array(jsonb_build_object('code', '4', 'children', 1 + p.id % 3))
                          WHEN '6s' THEN jsonb_build_array(jsonb_build_object('code', '6', 'severity', 'severe'))
                          WHEN '6e' THEN jsonb_build_array(jsonb_build_object('code', '6', 'severity', 'especially_severe'))
                          WHEN 'care' THEN jsonb_build_array(jsonb_build_object('code', 'household_especially_severe'))
                          ELSE jsonb_build_array(jsonb_build_object('code', k)) END,
                   'active', date '2025-01-01'
            FROM (SELECT p.*, CASE WHEN x.k < 16 THEN '1' WHEN x.k < 24 THEN '8' WHEN x.k < 108 THEN '4' WHEN x.k < 191 THEN '5a' WHEN x.k < 246 THEN '5b'
                                   WHEN x.k < 661 THEN '5c' WHEN x.k < 1171 THEN '6s' WHEN x.k < 1446 THEN '6e' ELSE 'care' END AS k
                  FROM person p CROSS JOIN LATERAL (SELECT (substr(p.citizen_id, 2)::bigint * 7919) % 1714 AS k) x) p;
            WITH cared AS (
                SELECT e.person_id, e.commune_code, row_number() OVER (PARTITION BY e.commune_code ORDER BY e.id) AS n, count(*) OVER (PARTITION BY e.commune_code) AS of
                FROM enrolment e WHERE e.categories @> '[{"code":"6","severity":"especially_severe"}]')
            UPDATE enrolment c SET cared_person_id = x.person_id
            FROM cared x WHERE c.programme = 'care_support' AND x.commune_code = c.commune_code AND x.n = 1 + c.id % x.of;
            DELETE FROM enrolment WHERE programme = 'care_support' AND cared_person_id IS NULL;
            INSERT INTO payer (province_code, kind, name, created_by) SELECT code, 'post_office', 'Bưu điện ' || name, 'bench' FROM province;
            INSERT INTO payment_point (province_code, commune_code, payer_id, name, first_day, last_day, created_by)
            SELECT co.province_code, co.code, pa.id, 'Điểm chi trả ' || co.name, 7, 15, 'bench' FROM commune co JOIN payer pa ON pa.province_code = co.province_code;
            INSERT INTO payment_instruction (person_id, province_code, commune_code, method, payment_point_id, start_month, reason, created_by)
            SELECT p.id, p.province_code, p.commune_code, 'cash_point', pp.id, date '2025-01-01', 'bench', 'bench'
            FROM person p JOIN payment_point pp ON pp.commune_code = p.commune_code;
            TRUNCATE ledger_touch;
            """);
        await Exec(ds, "VACUUM ANALYZE");
    }

    internal static async Task Exec(NpgsqlDataSource ds, string sql)
    {
        await using var cmd = ds.CreateCommand(sql);
        cmd.CommandTimeout = 0;
        await cmd.ExecuteNonQueryAsync();
    }

    internal static async Task<object?> Scalar(NpgsqlDataSource ds, string sql)
    {
        await using var cmd = ds.CreateCommand(sql);
        cmd.CommandTimeout = 0;
        return await cmd.ExecuteScalarAsync();
    }

    public static void Print(IReadOnlyList<Row> rows, int people)
    {
        var table = new Table().Title($"Payroll over {people:N0} people, a year of approved history (RunComputer, one process)")
            .AddColumns("case", "runs", "lines", "items", "total (đồng)", "whole ledgers read", "seconds", "lines/s", "peak working set MB");
        foreach (var r in rows)
        {
            table.AddRow(r.Case, r.Runs.ToString(CultureInfo.InvariantCulture), r.Lines.ToString("N0", CultureInfo.InvariantCulture),
                r.Items.ToString("N0", CultureInfo.InvariantCulture), r.Total.ToString("N0", CultureInfo.InvariantCulture),
                r.FullReads.ToString("N0", CultureInfo.InvariantCulture), r.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture),
                (r.Lines / r.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture), (r.PeakWorkingSet / 1_048_576).ToString("N0", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        // The same as a Markdown table, for docs/benchmarks.md (and readable in a narrow terminal).
        Console.WriteLine("| case | runs | lines | items | total (đồng) | whole ledgers read | seconds | lines/s | peak MB |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Case} | {r.Runs} | {r.Lines:N0} | {r.Items:N0} | {r.Total:N0} | {r.FullReads:N0} | {r.Elapsed.TotalSeconds:F1} | {r.Lines / r.Elapsed.TotalSeconds:N0} | {r.PeakWorkingSet / 1_048_576:N0} |"));
        }
    }
}
