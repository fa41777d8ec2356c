using System.Diagnostics;
using System.Globalization;
using AnSinh.Bench;
using Spectre.Console;

// Benchmarks print tables; their figures are recorded in docs/benchmarks.md. Never a timed unit test.
var command = args.FirstOrDefault() ?? "copy";
if (command == "load-prepare")
{
    // load-prepare URL CONNECTION-STRING DIR SESSIONS PASSWORD (bench/load/run.sh calls it)
    await LoadPrepare.RunAsync(args[1], args[2], args[3], int.Parse(args[4], CultureInfo.InvariantCulture), args[5]);
    return 0;
}

if (command == "rules")
{
    var n = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 1_000_000;
    var cases = EvaluateRules.MakeCases(n);
    EvaluateRules.Run(EvaluateRules.MakeCases(50_000)); // warm-up: JIT and tiering, not measured
    var runs = Enumerable.Range(0, 3).Select(_ => EvaluateRules.Run(cases)).ToList();
    var table = new Table().Title("Entitlement evaluation: one thread, pure Core evaluator")
        .AddColumns("run", "cases", "seconds", "cases/s", "errors", "total (đồng)", "bytes allocated/case");
    foreach (var (r, i) in runs.Select((r, i) => (r, i + 1)))
    {
        table.AddRow(i.ToString(CultureInfo.InvariantCulture), r.Cases.ToString("N0", CultureInfo.InvariantCulture),
            r.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture),
            (r.Cases / r.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture),
            r.Errors.ToString("N0", CultureInfo.InvariantCulture), r.TotalDong.ToString("N0", CultureInfo.InvariantCulture),
            (r.AllocatedBytes / r.Cases).ToString("N0", CultureInfo.InvariantCulture));
    }

    AnsiConsole.Write(table);
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
    return 0;
}

var connection = Environment.GetEnvironmentVariable("ANSINH_BENCH_PG") ?? Environment.GetEnvironmentVariable("ANSINH_TEST_PG");
if (command == "search" && connection is not null)
{
    var people = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 6_000_000;
    var loadTimer = Stopwatch.StartNew();
    var cs = await SearchScale.PrepareAsync(connection, people, reuse: args.Contains("--reuse"));
    Console.WriteLine($"database ready in {loadTimer.Elapsed.TotalSeconds:F0} s");
    var rows = await SearchScale.RunAsync(cs, 100);
    var table = new Table().Title($"Registry search over {people:N0} people (RegistryQueries.SearchAsync, page of 20)")
        .AddColumns("query", "runs", "p50 ms", "p95 ms", "max ms", "rows");
    foreach (var r in rows)
    {
        table.AddRow(r.Kind, r.Runs.ToString(CultureInfo.InvariantCulture), r.P50.ToString("F1", CultureInfo.InvariantCulture),
            r.P95.ToString("F1", CultureInfo.InvariantCulture), r.Max.ToString("F1", CultureInfo.InvariantCulture), r.Hits.ToString(CultureInfo.InvariantCulture));
    }

    AnsiConsole.Write(table);
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
    return 0;
}

if (command == "disbursement" && connection is not null)
{
    var lines = args.Length > 1 && !args[1].StartsWith('-') ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
    var cs = await DisbursementScale.PrepareAsync(connection, lines);
    DisbursementScale.Print(await DisbursementScale.RunAsync(cs, lines), lines);
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
    return 0;
}

if (command == "oversight" && connection is not null)
{
    var lines = args.Length > 1 && !args[1].StartsWith('-') ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
    string cs;
    if (args.Contains("--reuse")) // the database of an earlier run, as it was left
    {
        cs = new Npgsql.NpgsqlConnectionStringBuilder(connection) { Database = "disbursementbench", CommandTimeout = 0 }.ConnectionString;
    }
    else
    {
        cs = await DisbursementScale.PrepareAsync(connection, lines);
        await OversightScale.PrepareAsync(cs, lines);
    }

    OversightScale.Print(await OversightScale.RunAsync(cs, 20), lines);
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
    return 0;
}

if (command == "payroll" && connection is not null)
{
    var people = args.Length > 1 && !args[1].StartsWith('-') ? int.Parse(args[1], CultureInfo.InvariantCulture) : 6_000_000;
    var loadTimer = Stopwatch.StartNew();
    var cs = await PayrollScale.PrepareAsync(connection, people, reuse: args.Contains("--reuse"));
    Console.WriteLine($"database ready in {loadTimer.Elapsed.TotalSeconds:F0} s");
    PayrollScale.Print(await PayrollScale.RunAsync(cs), people);
    Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
    return 0;
}

if (connection is null)
{
    Console.Error.WriteLine("Set ANSINH_BENCH_PG (or run ./bench.sh, which starts a throwaway PostgreSQL).");
    return 2;
}

switch (command)
{
    case "partition":
        var perMonth = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 6_000_000;
        var layouts = new Table().Title($"Payroll lines: one table or partitioned by province ({perMonth:N0} lines a month, two months)")
            .AddColumns("layout", "national month written (s)", "a province's month read (ms)", "a province recomputed (s)", "a province's old month removed (s)", "size (MB)");
        foreach (var partitioned in new[] { false, true })
        {
            var r = await PartitionScale.RunAsync(connection, perMonth, partitioned);
            layouts.AddRow(r.Layout, r.NationalWrite.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture), r.ProvinceRead.TotalMilliseconds.ToString("F0", CultureInfo.InvariantCulture),
                r.ProvinceRecompute.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture), r.OldMonthRemoved.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                (r.Bytes / 1_048_576).ToString("N0", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(layouts);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
        return 0;
    case "copy":
        var sizes = args.Skip(1).Select(a => int.Parse(a, CultureInfo.InvariantCulture)).DefaultIfEmpty(100_000).ToArray();
        if (args.Length < 2)
        {
            sizes = [100_000, 1_000_000];
        }

        var table = new Table().Title("COPY floor: payroll-shaped rows into PostgreSQL (binary COPY)")
            .AddColumns("table", "rows", "seconds", "rows/s", "MB/s (table on disk)");
        await CopyFloor.RunAsync(connection, 20_000, logged: true); // warm-up: JIT and connection, not measured
        foreach (var n in sizes)
        {
            foreach (var logged in new[] { true, false })
            {
                var r = await CopyFloor.RunAsync(connection, n, logged);
                table.AddRow(logged ? "logged" : "unlogged", n.ToString("N0", CultureInfo.InvariantCulture),
                    r.Elapsed.TotalSeconds.ToString("F2", CultureInfo.InvariantCulture),
                    (n / r.Elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture),
                    (r.Bytes / 1_048_576.0 / r.Elapsed.TotalSeconds).ToString("F1", CultureInfo.InvariantCulture));
            }
        }

        AnsiConsole.Write(table);
        Console.WriteLine($"machine: {Environment.ProcessorCount} cores, .NET {Environment.Version}, {DateTime.UtcNow:yyyy-MM-dd}");
        return 0;
    default:
        Console.Error.WriteLine($"Unknown benchmark '{command}'. Available: copy [rows…], rules [cases], search [people] [--reuse], payroll [people] [--reuse], disbursement [lines], oversight [people] [--reuse], partition [lines a month]");
        return 2;
}
