using System.Diagnostics;
using System.Globalization;
using System.Text;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Disbursement;
using AnSinh.Web.Features.Payroll;
using AnSinh.Web.Features.Places;
using AnSinh.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;

namespace AnSinh.Bench;

/// <summary>
/// The payers' side of a large province: five sent months of <c>lines</c> lines each (four in five at the post office's
/// points, one in five into bank accounts), made straight in SQL (the payroll's own speed is PayrollScale's). Then
/// (1) the files of the latest month built by the worker (xlsx, CSV, bank CSV, pain.001 read back through the ISO
/// schema) with the process's peak working set, (2) a point's signature list read as the print view reads it, and
/// (3) the results of all five months imported and reconciled through the same command the pages and API use:
/// post-office CSVs and bank CSVs, committed, every line's outcome written, exceptions raised and runs closed.
/// </summary>
public static class DisbursementScale
{
    public sealed record Row(string Case, long Lines, TimeSpan Elapsed, long PeakWorkingSet, string Note);

    private const int Months = 5;

    public static async Task<string> PrepareAsync(string server, int lines)
    {
        var cs = new NpgsqlConnectionStringBuilder(server) { Database = "disbursementbench", CommandTimeout = 0 }.ConnectionString;
        await using (var admin = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            await admin.OpenAsync();
            await new NpgsqlCommand("DROP DATABASE IF EXISTS disbursementbench", admin).ExecuteNonQueryAsync();
            await new NpgsqlCommand("CREATE DATABASE disbursementbench", admin).ExecuteNonQueryAsync();
        }

        await using var ds = NpgsqlDataSource.Create(cs);
        await Migrator.MigrateAsync(ds, Migration.Embedded());
        await PlaceLoader.LoadAsync(ds);
        var sw = Stopwatch.StartNew();
        await Exec(ds, $"""
            WITH c AS (SELECT array_agg(code ORDER BY code) AS codes FROM commune WHERE province_code = '01')
            INSERT INTO person (citizen_id, full_name, birth_date, sex, province_code, commune_code, hamlet)
            SELECT '8' || lpad(g::text, 11, '0'), 'Người hưởng ' || g, date '1950-01-01' + (g % 3000)::int, (g % 2)::smallint, '01',
                   c.codes[1 + (g % cardinality(c.codes))::int], 'Thôn ' || (1 + g % 12)
            FROM generate_series(1, {lines}) g, c;
            INSERT INTO payer (province_code, kind, name, created_by) VALUES ('01', 'post_office', 'Bưu điện Hà Nội', 'bench');
            INSERT INTO payer (province_code, kind, name, bank_bin, created_by) VALUES ('01', 'bank', 'Agribank Hà Nội', '970405', 'bench');
            INSERT INTO payer_contract (province_code, payer_id, reference, pays_cash, pays_account, fee_basis_points, transfer_day, pay_from_day, pay_to_day, results_day, settlement_day, valid_from, created_by)
            SELECT '01', id, 'HĐ-' || id, kind = 'post_office', kind = 'bank', 55, 24, 7, 15, 18, 20, date '2026-01-01', 'bench' FROM payer;
            INSERT INTO payment_point (province_code, commune_code, payer_id, name, first_day, last_day, created_by)
            SELECT '01', co.code, (SELECT id FROM payer WHERE kind = 'post_office'), 'Điểm chi trả ' || co.name, 7, 15, 'bench' FROM commune co WHERE co.province_code = '01';
            INSERT INTO payment_instruction (person_id, province_code, commune_code, method, payment_point_id, bank_bin, account_number, account_holder, start_month, reason, created_by)
            SELECT p.id, '01', p.commune_code, CASE WHEN p.id % 5 = 0 THEN 'bank' ELSE 'cash_point' END, pp.id,
                   CASE WHEN p.id % 5 = 0 THEN '970436' END, CASE WHEN p.id % 5 = 0 THEN lpad(p.id::text, 12, '0') END, CASE WHEN p.id % 5 = 0 THEN 'NGUOI HUONG ' || p.id END,
                   date '2026-01-01', 'bench', 'bench'
            FROM person p JOIN payment_point pp ON pp.commune_code = p.commune_code;
            """);
        for (var m = 6; m < 6 + Months; m++)
        {
            await Exec(ds, $"""
                WITH r AS (
                    INSERT INTO payroll_run (province_code, month, cut_off, ledger_from, recovery_cap_percent, status, prepared_by, prepared_at)
                    VALUES ('01', date '2026-{m:00}-01', date '2026-{m - 1:00}-20', date '2026-01-01', 100, 'draft', 'bench-preparer', now()) RETURNING id)
                INSERT INTO payroll_line (run_id, line_no, person_id, province_code, commune_code, category, channel, instruction_id, payment_point_id, payer_id,
                                          regular, back_pay, carry_over, funeral, recovery, total)
                SELECT r.id, row_number() OVER (ORDER BY p.id), p.id, '01', p.commune_code, '5b', i.method, i.id, i.payment_point_id,
                       CASE WHEN i.method = 'bank' THEN (SELECT id FROM payer WHERE kind = 'bank') ELSE (SELECT id FROM payer WHERE kind = 'post_office') END,
                       810000, 0, 0, 0, 0, 810000
                FROM r, person p JOIN payment_instruction i ON i.person_id = p.id;
                UPDATE payroll_run SET lines = {lines}, total = {lines}::bigint * 810000, status = 'approved', computed_at = now(), content_hash = 'bench', submitted_by = 'bench-submitter', submitted_at = now(),
                       approved_by = 'bench-approver', approved_at = now() WHERE month = date '2026-{m:00}-01';
                UPDATE payroll_run SET status = 'sent', sent_by = 'bench-preparer', sent_at = now() WHERE month = date '2026-{m:00}-01';
                """);
        }

        await Exec(ds, "VACUUM ANALYZE");
        AnsiConsole.WriteLine($"{Months} sent months of {lines:N0} lines made in {sw.Elapsed.TotalSeconds:F0} s");
        return cs;
    }

    public static async Task<IReadOnlyList<Row>> RunAsync(string cs, int lines)
    {
        await using var ds = NpgsqlDataSource.Create(cs);
        await using var app = AppHost.Build(["--ConnectionStrings:AnSinh=" + cs, "--Logging:LogLevel:Default=Warning", "--Clock:FixedUtc=2026-11-20T03:00:00Z"]);
        var rows = new List<Row>();
        var latest = (long)(await Scalar(ds, "SELECT max(id) FROM payroll_run"))!;

        // (1) The latest month's files, built one by one by the worker, each timed with the process's peak working set.
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await PayerFiles.RequestAsync(db, app.Services.GetRequiredService<TimeProvider>(), "01", latest, "bench", CancellationToken.None);
        }

        var worker = app.Services.GetRequiredService<PayerFileWorker>();
        while (true)
        {
            var kind = (string?)await Scalar(ds, "SELECT kind FROM payer_file WHERE status = 'queued' ORDER BY id LIMIT 1");
            if (kind is null)
            {
                break;
            }

            GC.Collect();
            var before = Process.GetCurrentProcess().WorkingSet64;
            var sw = Stopwatch.StartNew();
            await worker.BuildNextAsync(CancellationToken.None);
            sw.Stop();
            var built = await Scalar(ds, $"SELECT line_count || ' lines, ' || pg_size_pretty(octet_length(content)::bigint) || ', ' || status FROM payer_file WHERE kind = '{kind}' AND run_id = {latest}");
            var n = (long)(await Scalar(ds, $"SELECT coalesce(line_count, 0)::bigint FROM payer_file WHERE kind = '{kind}' AND run_id = {latest}"))!;
            rows.Add(new Row($"(1) file {kind}", n, sw.Elapsed, Process.GetCurrentProcess().PeakWorkingSet64, $"{built}; working set before {before / 1024 / 1024} MB"));
        }

        // (2) The largest point's signature list, read as the print view reads it (the page caps one view at 5,000 lines).
        {
            var point = (long)(await Scalar(ds, $"SELECT payment_point_id FROM payroll_line WHERE run_id = {latest} AND channel = 'cash_point' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"))!;
            var payer = (long)(await Scalar(ds, "SELECT id FROM payer WHERE kind = 'post_office'"))!;
            await using var conn = await ds.OpenConnectionAsync();
            var sw = Stopwatch.StartNew();
            long n = 0;
            long total = 0;
            await foreach (var l in PayerFiles.LinesAsync(conn, null, latest, payer, ["cash_point", "proxy"], "point", point, CancellationToken.None))
            {
                n++;
                total += l.Total;
            }

            rows.Add(new Row("(2) one point's signature list, read", n, sw.Elapsed, Process.GetCurrentProcess().PeakWorkingSet64, $"{total:N0} đồng"));
        }

        // (3) Five months of results: each payer's file built here (not timed), then imported and reconciled (timed).
        var runs = new List<(long Id, DateOnly Month)>();
        await using (var cmd = ds.CreateCommand("SELECT id, month FROM payroll_run ORDER BY month"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                runs.Add((r.GetInt64(0), r.GetFieldValue<DateOnly>(1)));
            }
        }

        var payers = new Dictionary<string, long>();
        await using (var cmd = ds.CreateCommand("SELECT kind, id FROM payer"))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                payers[r.GetString(0)] = r.GetInt64(1);
            }
        }

        var importTime = TimeSpan.Zero;
        long imported = 0;
        foreach (var (id, month) in runs)
        {
            foreach (var (kind, payer) in payers)
            {
                var (name, content) = await ResultsFileAsync(ds, id, month, kind, payer);
                await using var scope = app.Services.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var outcomes = scope.ServiceProvider.GetRequiredService<PayrollOutcomes>();
                var sw = Stopwatch.StartNew();
                var (report, error) = await PayerResults.ImportAsync(db, outcomes, "01", id, payer, name, content, dryRun: false, "bench", CancellationToken.None);
                sw.Stop();
                if (error is not null || report!.Problems.Count > 0 || !report.Committed)
                {
                    throw new InvalidOperationException($"import {name}: {error?.Message ?? string.Join("; ", report!.Problems.Take(3).Select(p => $"{p.Row}/{p.Field}: {p.Message}"))}");
                }

                importTime += sw.Elapsed;
                imported += report.Recorded;
                rows.Add(new Row($"(3) results {month:yyyy-MM} {kind}", report.Recorded, sw.Elapsed, Process.GetCurrentProcess().PeakWorkingSet64,
                    $"{content.Length / 1024 / 1024} MB file{(report.RunClosed ? ", run closed" : "")}"));
            }
        }

        var exceptions = await Scalar(ds, "SELECT count(*) FROM payroll_exception");
        var closed = await Scalar(ds, "SELECT count(*) FROM payroll_run WHERE status = 'closed'");
        rows.Add(new Row("(3) all results imported and reconciled", imported, importTime, Process.GetCurrentProcess().PeakWorkingSet64,
            $"{exceptions} exceptions raised, {closed} of {runs.Count} runs closed"));
        return rows;
    }

    /// <summary>
    /// A payer's results for a month: the post office's list with outcomes (line numbers divisible by 50 not collected,
    /// the rest paid on the 10th to the person), the bank's CSV (line numbers divisible by 200 rejected AC04: one bank
    /// line in forty, since the bank has every fifth line).
    /// </summary>
    private static async Task<(string Name, byte[] Content)> ResultsFileAsync(NpgsqlDataSource ds, long run, DateOnly month, string kind, long payer)
    {
        var sb = new StringBuilder(kind == "bank" ? "Mã giao dịch,Số tiền,Trạng thái,Mã lý do,Ngày\n" : "Số dòng,Tổng,Kết quả,Ngày chi trả,Người nhận tiền,Ghi chú\n");
        await using var cmd = ds.CreateCommand($"SELECT line_no, total FROM payroll_line WHERE run_id = {run} AND payer_id = {payer} ORDER BY line_no");
        await using var r = await cmd.ExecuteReaderAsync();
        var paidOn = month.AddDays(9).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        while (await r.ReadAsync())
        {
            var line = r.GetInt32(0);
            var total = r.GetInt64(1).ToString(CultureInfo.InvariantCulture);
            if (kind == "bank")
            {
                var e2e = AnSinh.Core.Payment.PayerFileKind.EndToEndId("01", AnSinh.Core.Time.YearMonth.From(month), line);
                sb.Append(e2e).Append(',').Append(total).Append(line % 200 == 0 ? ",RJCT,AC04," : ",ACSC,,").Append(paidOn).Append('\n');
            }
            else
            {
                sb.Append(line).Append(',').Append(total).Append(line % 50 == 0 ? ",chưa chi,,,Không đến nhận\n" : $",đã chi,{paidOn},bản thân,\n");
            }
        }

        return ($"ket-qua-{kind}-{month:yyyy-MM}.csv", Encoding.UTF8.GetBytes(sb.ToString()));
    }

    private static Task Exec(NpgsqlDataSource ds, string sql) => PayrollScale.Exec(ds, sql);

    private static Task<object?> Scalar(NpgsqlDataSource ds, string sql) => PayrollScale.Scalar(ds, sql);

    public static void Print(IReadOnlyList<Row> rows, int lines)
    {
        var table = new Table().Title($"Payers' files and results: a province of {lines:N0} lines a month, five sent months (one process)")
            .AddColumns("case", "lines", "seconds", "lines/s", "peak working set MB", "note");
        foreach (var r in rows)
        {
            table.AddRow(r.Case, r.Lines.ToString("N0", CultureInfo.InvariantCulture), r.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                r.Elapsed.TotalSeconds > 0 ? (r.Lines / r.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture) : "",
                (r.PeakWorkingSet / 1024 / 1024).ToString(CultureInfo.InvariantCulture), r.Note);
        }

        AnsiConsole.Write(table);
    }
}
