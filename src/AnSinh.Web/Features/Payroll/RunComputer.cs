using System.Globalization;
using System.Text.Json;
using AnSinh.Core.Payroll;
using AnSinh.Core.Rules;
using AnSinh.Web.Audit;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Rules;
using Npgsql;

namespace AnSinh.Web.Features.Payroll;

/// <summary>How far a computation has got: people settled of those in the province's run.</summary>
public readonly record struct RunProgress(int Done, int Total);

/// <summary>
/// Computes a run: claims it (a row lock, so one process computes it however many run), settles every person of the
/// province through Core's ledger chunk by chunk, writes lines and items by binary COPY, and commits the lines with
/// the run's new status in one transaction. Killed halfway, nothing was written and the run is still 'computing', so
/// the next claim starts it again from the beginning.
/// </summary>
public sealed partial class RunComputer(DatabaseConnection database, RulesCatalog rules, IServiceScopeFactory scopes, TimeProvider time, ILogger<RunComputer> log)
{
    /// <summary>People per chunk: bounds memory whatever the province's size.</summary>
    public int ChunkSize { get; init; } = 10_000;

    /// <summary>Where computing time went, by phase, summed over every run this instance computed (for benchmarks).</summary>
    public PhaseTimings Timings { get; } = new();

    /// <summary>Read every person's whole history, skipping no settled month: slower, the same lines (tests compare the two).</summary>
    public bool FullHistory { get; set; }

    /// <summary>
    /// How long before the previous run began a change still counts as new: a write that began before it and
    /// committed after it read that person was not seen. An hour is far longer than any registry write takes.
    /// </summary>
    public TimeSpan TouchMargin { get; set; } = TimeSpan.FromHours(1);

    /// <returns>False when the run is not waiting to be computed or another process holds it.</returns>
    public async Task<bool> ComputeAsync(long runId, IProgress<RunProgress>? progress, CancellationToken ct)
    {
        await using var conn = await database.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var run = await ClaimAsync(conn, tx, runId, ct);
        if (run is null)
        {
            return false;
        }

        try
        {
            var summary = await ComputeClaimedAsync(conn, tx, run, progress, ct);
            await tx.CommitAsync(ct);
            LogComputed(log, runId, summary.Lines, summary.Total);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException && !(ex is NpgsqlException { IsTransient: true }))
        {
            // A fault in the data, the query or the code, not a lost connection: record it, so the run does not loop forever.
            await tx.RollbackAsync(CancellationToken.None);
            LogFailed(log, runId, ex);
            await using var fail = database.DataSource.CreateCommand("UPDATE payroll_run SET status = 'failed', failure = @f WHERE id = @id AND status = 'computing'");
            fail.Parameters.AddWithValue("id", runId);
            fail.Parameters.AddWithValue("f", ex.GetType().Name + ": " + ex.Message);
            await fail.ExecuteNonQueryAsync(CancellationToken.None);
            return true;
        }
    }

    private sealed record ClaimedRun(long Id, string Province, YearMonth Month, DateOnly CutOff, YearMonth From, RecoveryCap Cap, string PreparedBy);

    private sealed record Summary(int Lines, int Items, long Total, int Unrouted, string Hash);

    private static async Task<ClaimedRun?> ClaimAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long runId, CancellationToken ct)
    {
        // NO KEY UPDATE, not UPDATE: the progress rows written on another connection reference the run, and their
        // foreign-key check takes a key-share lock that a full update lock would block for the whole computation.
        await using var cmd = new NpgsqlCommand("""
            SELECT province_code, month, cut_off, ledger_from, recovery_cap_percent, prepared_by FROM payroll_run
            WHERE id = @id AND status = 'computing' FOR NO KEY UPDATE SKIP LOCKED
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", runId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new ClaimedRun(runId, r.GetString(0), YearMonth.From(r.GetFieldValue<DateOnly>(1)), r.GetFieldValue<DateOnly>(2),
                YearMonth.From(r.GetFieldValue<DateOnly>(3)), new RecoveryCap(r.GetInt32(4)), r.GetString(5))
            : null;
    }

    private async Task<Summary> ComputeClaimedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ClaimedRun run, IProgress<RunProgress>? progress, CancellationToken ct)
    {
        // Plans here are hash joins over a province's rows; compiling them to machine code costs more than it saves.
        // They sort a province's rows: in memory, not in temporary files. And every row of their cursors is read, so
        // plans are chosen for the whole result, not for the first rows (a fast-start plan loops over CTEs).
        await ExecAsync(conn, tx, "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'; SET LOCAL cursor_tuple_fraction = 1.0", ct);
        foreach (var table in new[] { "payroll_item", "payroll_line", "payroll_debt", "payroll_problem", "payroll_confirmation" })
        {
            await ExecAsync(conn, tx, $"DELETE FROM {table} WHERE run_id = @id", ct, ("id", run.Id));
        }

        var overrides = await LoadOverridesAsync(ct);
        var evaluator = rules.Evaluator(overrides, run.CutOff);
        var payers = await ContractPayersAsync(conn, tx, run, ct);
        var reissues = await ReissuesAsync(conn, tx, run, ct);
        var previous = FullHistory ? null : await PreviousAsync(conn, tx, run, ct);
        var settledBefore = previous is null ? run.From : await SettledBeforeAsync(conn, tx, run, previous, rules.Evaluator(overrides, previous.CutOff), evaluator, ct);
        var timer = System.Diagnostics.Stopwatch.StartNew();
        var reader = new LedgerReader(conn, tx, new Dictionary<string, IReadOnlyList<CategoryFact>>(StringComparer.Ordinal));
        var people = await reader.CandidatesAsync(run.Province, run.Month, run.From, previous?.Id ?? 0,
            previous is null ? DateTimeOffset.MinValue : previous.LedgerMark - TouchMargin, ct);
        if (previous is null)
        {
            people = [.. people.Select(c => c with { Full = true })];
        }

        YearMonth FromOf(Candidate c) => c.Full ? run.From : settledBefore;
        await reader.OpenAsync(run.Province, people, FromOf, run.From, run.Month, everyoneByPerson: false, ct);
        Timings.Add("candidates", timer.Elapsed);
        var writer = new LineWriter(run.Id);
        var reporter = new ProgressReporter(database, run.Id, people.Count, progress);
        await reporter.ReportAsync(0, ct);
        var done = 0;
        var missing = new List<Candidate>();
        timer.Restart();
        foreach (var candidate in people)
        {
            var input = await reader.NextAsync(candidate, ct);
            if (input is not null)
            {
                writer.Add(candidate.PersonId, run.Province, candidate.Commune, Settle(input, FromOf(candidate), run, evaluator, out var problems), RouteOf(input, payers, reissues), problems);
            }
            else
            {
                missing.Add(candidate);
            }

            if (++done % ChunkSize == 0 || done == people.Count)
            {
                Timings.Add("read and settle", timer.Elapsed);
                timer.Restart();
                await writer.FlushAsync(conn, ct);
                Timings.Add("write", timer.Elapsed);
                await reporter.ReportAsync(done, ct);
                timer.Restart();
            }
        }

        await reader.CloseAsync(ct);
        if (missing.Count > 0)
        {
            // Filed in another province without periods there (a record corrected by hand): read them one by one, last.
            await reader.OpenAsync(run.Province, missing, FromOf, run.From, run.Month, everyoneByPerson: true, ct);
            foreach (var candidate in missing)
            {
                var input = await reader.NextAsync(candidate, ct) ?? throw new InvalidOperationException($"Person {candidate.PersonId} has no record.");
                writer.Add(candidate.PersonId, run.Province, candidate.Commune, Settle(input, FromOf(candidate), run, evaluator, out var problems), RouteOf(input, payers, reissues), problems);
            }

            await writer.FlushAsync(conn, ct);
            await reader.CloseAsync(ct);
        }
        var hash = writer.FinishHash();
        await ExecAsync(conn, tx, """
            UPDATE payroll_run SET status = 'draft', computed_at = @at, ledger_mark = now(), failure = NULL, lines = @lines, items = @items,
                   total = @total, unrouted_lines = @unrouted, full_reads = @full, content_hash = @hash
            WHERE id = @id
            """, ct, ("id", run.Id), ("at", time.GetUtcNow()), ("lines", writer.Lines), ("items", writer.Items), ("total", writer.Total),
            ("unrouted", writer.Unrouted), ("full", people.Count(x => x.Full)), ("hash", hash));
        var summary = new Summary(writer.Lines, writer.Items, writer.Total, writer.Unrouted, hash);
        await AuditLog.AppendAsync(conn, tx,
            [new AuditEntryDraft("compute", "payroll_run", run.Id.ToString(CultureInfo.InvariantCulture), run.Province, null,
                JsonSerializer.Serialize(new { month = run.Month.ToString(), cutOff = run.CutOff, summary.Lines, summary.Items, summary.Total, summary.Unrouted, summary.Hash }))],
            run.PreparedBy, null, time.GetUtcNow(), ct);
        return summary;
    }

    private async Task<IReadOnlyList<ProvinceOverride>> LoadOverridesAsync(CancellationToken ct)
    {
        using var scope = scopes.CreateScope();
        return await RulesCatalog.LoadOverridesAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), ct);
    }

    /// <summary>The province's latest approved run before this one: what the ledger was settled to, and when.</summary>
    private sealed record PreviousRun(long Id, YearMonth Month, DateOnly CutOff, DateTimeOffset LedgerMark);

    private static async Task<PreviousRun?> PreviousAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ClaimedRun run, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT id, month, cut_off, ledger_mark FROM payroll_run
            WHERE province_code = @p AND month < @m AND status IN ('approved', 'sent', 'closed') ORDER BY month DESC LIMIT 1
            """, conn, tx);
        cmd.Parameters.AddWithValue("p", run.Province);
        cmd.Parameters.AddWithValue("m", run.Month.FirstDay);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct)
            ? new PreviousRun(r.GetInt64(0), YearMonth.From(r.GetFieldValue<DateOnly>(1)), r.GetFieldValue<DateOnly>(2), r.GetFieldValue<DateTimeOffset>(3))
            : null;
    }

    /// <summary>
    /// The first month that may owe something new to someone whose facts did not change since the previous run: the
    /// run's month, or earlier when the province skipped months, when rules became known since (Decree 335's
    /// July), or when a province level was recorded since. Before it, that person's ledger is settled: every month
    /// was issued what it is owed, so it need not be read. Anyone else is read from the ledger's first month.
    /// </summary>
    private async Task<YearMonth> SettledBeforeAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ClaimedRun run, PreviousRun previous,
        EntitlementEvaluator then, EntitlementEvaluator now, CancellationToken ct)
    {
        var first = previous.Month.AddMonths(1) < run.Month ? previous.Month.AddMonths(1) : run.Month;
        for (var m = run.From; m < first; m = m.AddMonths(1))
        {
            if (!then.RulesFor(m, run.Province).SameRulesAs(now.RulesFor(m, run.Province)))
            {
                first = m;
                break;
            }
        }

        await using var cmd = new NpgsqlCommand(
            "SELECT min(from_month) FROM province_rule_override WHERE province_code = @p AND created_at > @t", conn, tx);
        cmd.Parameters.AddWithValue("p", run.Province);
        cmd.Parameters.AddWithValue("t", previous.LedgerMark - TouchMargin);
        if (await cmd.ExecuteScalarAsync(ct) is DateOnly overridden && YearMonth.From(overridden) < first)
        {
            first = YearMonth.From(overridden) < run.From ? run.From : YearMonth.From(overridden);
        }

        return first;
    }

    /// <summary>How the line will be paid: the instruction live in the run's month (the all-programme one first), and its payer.</summary>
    public sealed record Route(long InstructionId, string Method, long? PointId, long? PayerId);

    /// <summary>One person through Core: the rules month by month from their first unsettled month, their issued money, the ledger.</summary>
    private static SettledLine Settle(PersonInput input, YearMonth from, ClaimedRun run, EntitlementEvaluator evaluator, out List<OwedProblem> problems)
    {
        problems = [];
        var owed = OwedSchedule.Compute(evaluator, input.Facts, from, run.Month, problems);
        FuneralAccount? funeral = null;
        if (input.DeathMonthFuneral is { } deathMonth)
        {
            var f = evaluator.EvaluateFuneral(deathMonth, run.Province);
            if (f.IsError)
            {
                problems.Add(new OwedProblem(Programme.Funeral, deathMonth, f.Error!));
            }
            else
            {
                funeral = IssuedHistory.Funeral(deathMonth, f.Total, f.Lines[0].Reference, input.Issued);
            }
        }

        return Ledger.Settle(IssuedHistory.Accounts(input.Candidate.PersonId, from, run.Month, owed, input.Issued, funeral, input.Facts.DeathDate), run.Cap);
    }

    /// <summary>
    /// Who pays the line: a point's payer for cash at the point or a proxy there; for an account, the contract paying
    /// into accounts in the commune; at home, the contract paying cash in the commune (the post office goes to the house).
    /// </summary>
    private static Route? RouteOf(PersonInput input, (Dictionary<string, long> Account, Dictionary<string, long> Cash) payers,
        Dictionary<long, (long Point, long? Payer)> reissues) => input.Route switch
    {
        { } r when reissues.TryGetValue(input.Candidate.PersonId, out var cash) => r with { Method = "cash_point", PointId = cash.Point, PayerId = cash.Payer },
        { Method: "bank" } r => r with { PayerId = payers.Account.TryGetValue(input.Candidate.Commune, out var payer) ? payer : null },
        { Method: "home" } r => r with { PayerId = payers.Cash.TryGetValue(input.Candidate.Commune, out var payer) ? payer : null },
        var r => r,
    };

    /// <summary>People whose money a reconciliation exception sent back to a payment point this month (a rejected account): point and its payer.</summary>
    private static async Task<Dictionary<long, (long Point, long? Payer)>> ReissuesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ClaimedRun run, CancellationToken ct)
    {
        var reissues = new Dictionary<long, (long, long?)>();
        await using var cmd = new NpgsqlCommand("""
            SELECT r.person_id, r.payment_point_id, pt.payer_id FROM payroll_reissue r JOIN payment_point pt ON pt.id = r.payment_point_id
            WHERE r.province_code = @p AND r.month = @m
            """, conn, tx);
        cmd.Parameters.AddWithValue("p", run.Province);
        cmd.Parameters.AddWithValue("m", run.Month.FirstDay);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            reissues[r.GetInt64(0)] = (r.GetInt64(1), r.IsDBNull(2) ? null : r.GetInt64(2));
        }

        return reissues;
    }

    /// <summary>Per commune, the payer of the contract in force in the run's month that pays into accounts, and the one that pays cash.</summary>
    private static async Task<(Dictionary<string, long> Account, Dictionary<string, long> Cash)> ContractPayersAsync(NpgsqlConnection conn, NpgsqlTransaction tx,
        ClaimedRun run, CancellationToken ct)
    {
        var account = new Dictionary<string, long>(StringComparer.Ordinal);
        var cash = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand("""
            WITH contracts AS (
                SELECT c.id, c.payer_id, c.pays_account, c.pays_cash FROM payer_contract c
                WHERE c.province_code = @p AND c.valid_from <= @last AND (c.valid_to IS NULL OR c.valid_to >= @m))
            SELECT co.code,
                   (SELECT c.payer_id FROM contracts c WHERE c.pays_account AND (NOT EXISTS (SELECT 1 FROM payer_contract_commune cc WHERE cc.contract_id = c.id)
                        OR EXISTS (SELECT 1 FROM payer_contract_commune cc WHERE cc.contract_id = c.id AND cc.commune_code = co.code)) ORDER BY c.id LIMIT 1),
                   (SELECT c.payer_id FROM contracts c WHERE c.pays_cash AND (NOT EXISTS (SELECT 1 FROM payer_contract_commune cc WHERE cc.contract_id = c.id)
                        OR EXISTS (SELECT 1 FROM payer_contract_commune cc WHERE cc.contract_id = c.id AND cc.commune_code = co.code)) ORDER BY c.id LIMIT 1)
            FROM commune co WHERE co.province_code = @p
            """, conn, tx);
        cmd.Parameters.AddWithValue("p", run.Province);
        cmd.Parameters.AddWithValue("m", run.Month.FirstDay);
        cmd.Parameters.AddWithValue("last", run.Month.LastDay);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            if (!r.IsDBNull(1))
            {
                account[r.GetString(0)] = r.GetInt64(1);
            }

            if (!r.IsDBNull(2))
            {
                cash[r.GetString(0)] = r.GetInt64(2);
            }
        }

        return (account, cash);
    }

    private static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct, params (string Name, object Value)[] args)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var (name, value) in args)
        {
            cmd.Parameters.AddWithValue(name, value);
        }

        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Payroll run {RunId} computed: {Lines} lines, {Total} đồng")]
    private static partial void LogComputed(ILogger logger, long runId, int lines, long total);

    [LoggerMessage(Level = LogLevel.Error, Message = "Payroll run {RunId} failed")]
    private static partial void LogFailed(ILogger logger, long runId, Exception ex);

    /// <summary>Progress goes to its own table on its own connection, so others see it while the run's transaction is open.</summary>
    private sealed class ProgressReporter(DatabaseConnection database, long runId, int total, IProgress<RunProgress>? progress)
    {
        public async Task ReportAsync(int done, CancellationToken ct)
        {
            progress?.Report(new RunProgress(done, total));
            await using var cmd = database.DataSource.CreateCommand("""
                INSERT INTO payroll_progress (run_id, done, total, updated_at) VALUES (@id, @done, @total, now())
                ON CONFLICT (run_id) DO UPDATE SET done = excluded.done, total = excluded.total, updated_at = now()
                """);
            cmd.Parameters.AddWithValue("id", runId);
            cmd.Parameters.AddWithValue("done", done);
            cmd.Parameters.AddWithValue("total", total);
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }
}

/// <summary>Elapsed time by phase, added to by one computation at a time.</summary>
public sealed class PhaseTimings
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _ticks = new(StringComparer.Ordinal);

    public void Add(string phase, TimeSpan elapsed) => _ticks.AddOrUpdate(phase, elapsed.Ticks, (_, t) => t + elapsed.Ticks);

    public IReadOnlyDictionary<string, TimeSpan> Snapshot() => _ticks.ToDictionary(kv => kv.Key, kv => TimeSpan.FromTicks(kv.Value));

    public void Reset() => _ticks.Clear();
}
