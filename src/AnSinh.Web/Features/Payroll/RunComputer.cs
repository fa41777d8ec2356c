using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using AnSinh.Core;
using AnSinh.Core.Money;
using AnSinh.Core.Payroll;
using AnSinh.Core.Rules;
using AnSinh.Web.Audit;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Rules;
using Npgsql;
using NpgsqlTypes;

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
    public int ChunkSize { get; init; } = 2000;

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
        foreach (var table in new[] { "payroll_item", "payroll_line", "payroll_debt", "payroll_problem", "payroll_confirmation" })
        {
            await ExecAsync(conn, tx, $"DELETE FROM {table} WHERE run_id = @id", ct, ("id", run.Id));
        }

        var overrides = await LoadOverridesAsync(ct);
        var evaluator = rules.Evaluator(overrides, run.CutOff);
        var bankPayers = await BankPayersAsync(conn, tx, run, ct);
        var previous = FullHistory ? null : await PreviousAsync(conn, tx, run, ct);
        var settledBefore = previous is null ? run.From : await SettledBeforeAsync(conn, tx, run, previous, rules.Evaluator(overrides, previous.CutOff), evaluator, ct);
        var timer = System.Diagnostics.Stopwatch.StartNew();
        var people = await CandidatesAsync(conn, tx, run, previous, ct);
        Timings.Add("candidates", timer.Elapsed);
        var writer = new LineWriter(run.Id);
        var reporter = new ProgressReporter(database, run.Id, people.Count, progress);
        await reporter.ReportAsync(0, ct);
        var categoryCache = new Dictionary<string, IReadOnlyList<CategoryFact>>(StringComparer.Ordinal);
        for (var start = 0; start < people.Count; start += ChunkSize)
        {
            var chunk = people.GetRange(start, Math.Min(ChunkSize, people.Count - start));
            var ids = chunk.Select(c => c.PersonId).ToArray();
            timer.Restart();
            var facts = await FactsAsync(conn, tx, run, ids, categoryCache, ct);
            Timings.Add("facts", timer.Elapsed);
            timer.Restart();
            var issued = await IssuedAsync(conn, tx, [.. chunk.Where(c => c.Full).Select(c => c.PersonId)], run.From, ct);
            if (settledBefore < run.Month)
            {
                foreach (var (id, entries) in await IssuedAsync(conn, tx, [.. chunk.Where(c => !c.Full).Select(c => c.PersonId)], settledBefore, ct))
                {
                    issued[id] = entries;
                }
            }

            Timings.Add("issued", timer.Elapsed);
            timer.Restart();
            var funerals = await FuneralsAsync(conn, tx, run, ids, ct);
            var routes = await RoutesAsync(conn, tx, run, ids, ct);
            Timings.Add("funerals and routes", timer.Elapsed);
            timer.Restart();
            foreach (var (personId, commune, full) in chunk)
            {
                var person = facts.GetValueOrDefault(personId);
                if (person is null)
                {
                    continue;
                }

                var from = full ? run.From : settledBefore;
                var problems = new List<OwedProblem>();
                var owed = OwedSchedule.Compute(evaluator, person, from, run.Month, problems);
                var entries = issued.GetValueOrDefault(personId) ?? [];
                FuneralAccount? funeral = null;
                if (funerals.TryGetValue(personId, out var deathMonth))
                {
                    var f = evaluator.EvaluateFuneral(deathMonth, run.Province);
                    if (f.IsError)
                    {
                        problems.Add(new OwedProblem(Programme.Funeral, deathMonth, f.Error!));
                    }
                    else
                    {
                        funeral = IssuedHistory.Funeral(deathMonth, f.Total, f.Lines[0].Reference, entries);
                    }
                }

                var accounts = IssuedHistory.Accounts(personId, from, run.Month, owed, entries, funeral, person.DeathDate);
                var line = Ledger.Settle(accounts, run.Cap);
                routes.TryGetValue(personId, out var route);
                if (route is not null && route.Method == "bank")
                {
                    route = route with { PayerId = bankPayers.GetValueOrDefault(commune) };
                }

                writer.Add(personId, run.Province, commune, line, route, problems);
            }

            Timings.Add("settle", timer.Elapsed);
            timer.Restart();
            await writer.FlushAsync(conn, ct);
            Timings.Add("write", timer.Elapsed);
            await reporter.ReportAsync(start + chunk.Count, ct);
        }

        var hash = writer.FinishHash();
        await ExecAsync(conn, tx, """
            UPDATE payroll_run SET status = 'draft', computed_at = @at, ledger_mark = now(), failure = NULL, people = @lines, lines = @lines, items = @items,
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

    /// <summary>
    /// Who belongs to this run: everyone whose latest period starting by the run's month is in the province (else,
    /// with no period, whose funeral support was decided here), with the commune that period is in. A person who moved
    /// is settled by the province they are in now, for every month: the ledger is the person's, not the place's.
    /// Full: their whole ledger must be read, since something may have changed before the settled months: they had
    /// no line in the previous run or a debt after it, or since it was computed a period, their record, a one-time
    /// payment or a waiver was recorded, or a payer reported money of theirs not paid.
    /// </summary>
    private async Task<List<(long PersonId, string Commune, bool Full)>> CandidatesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ClaimedRun run,
        PreviousRun? previous, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            WITH cand AS (
                SELECT person_id FROM enrolment WHERE province_code = @p AND start_month <= @m AND (end_month IS NULL OR end_month >= @from)
                UNION
                SELECT person_id FROM one_time_payment WHERE province_code = @p AND month BETWEEN @from AND @m
            ), home AS (
                SELECT c.person_id, h.commune_code FROM cand c
                CROSS JOIN LATERAL (
                    SELECT x.province_code, x.commune_code FROM (
                        (SELECT e.province_code, e.commune_code, 0 AS pri FROM enrolment e WHERE e.person_id = c.person_id AND e.start_month <= @m
                         ORDER BY (e.superseded_at IS NULL) DESC, e.start_month DESC, e.id DESC LIMIT 1)
                        UNION ALL
                        (SELECT o.province_code, o.commune_code, 1 FROM one_time_payment o WHERE o.person_id = c.person_id ORDER BY o.id LIMIT 1)
                    ) x ORDER BY x.pri LIMIT 1) h
                WHERE h.province_code = @p
            ), settled AS (
                SELECT person_id FROM payroll_line WHERE run_id = @prev
            ), changed AS (
                SELECT person_id FROM payroll_debt WHERE run_id = @prev
                UNION SELECT person_id FROM ledger_touch WHERE touched_at > @t
            )
            SELECT h.person_id, h.commune_code,
                   @prev = 0 OR NOT EXISTS (SELECT 1 FROM settled s WHERE s.person_id = h.person_id) OR EXISTS (SELECT 1 FROM changed c WHERE c.person_id = h.person_id)
            FROM home h
            ORDER BY h.person_id
            """, conn, tx);
        cmd.Parameters.AddWithValue("p", run.Province);
        cmd.Parameters.AddWithValue("m", run.Month.FirstDay);
        cmd.Parameters.AddWithValue("from", run.From.FirstDay);
        cmd.Parameters.AddWithValue("prev", previous?.Id ?? 0L);
        cmd.Parameters.AddWithValue("t", previous is null ? DateTimeOffset.MinValue : previous.LedgerMark - TouchMargin);
        var list = new List<(long, string, bool)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add((r.GetInt64(0), r.GetString(1), r.GetBoolean(2)));
        }

        return list;
    }

    private static async Task<Dictionary<long, PersonFacts>> FactsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ClaimedRun run, long[] ids,
        Dictionary<string, IReadOnlyList<CategoryFact>> categoryCache, CancellationToken ct)
    {
        var periods = new Dictionary<long, List<PeriodFact>>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT e.person_id, e.programme, e.status, e.start_month, e.end_month, e.province_code, e.categories::text, cp.birth_date
            FROM enrolment e LEFT JOIN person cp ON cp.id = e.cared_person_id
            WHERE e.person_id = ANY(@ids) AND e.superseded_at IS NULL AND e.start_month <= @m AND (e.end_month IS NULL OR e.end_month >= @from)
            ORDER BY e.person_id, e.start_month, e.id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("ids", ids);
            cmd.Parameters.AddWithValue("m", run.Month.FirstDay);
            cmd.Parameters.AddWithValue("from", run.From.FirstDay);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var json = r.GetString(6);
                if (!categoryCache.TryGetValue(json, out var categories))
                {
                    categories = CategoriesJson.Read(json);
                    categoryCache[json] = categories;
                }

                var id = r.GetInt64(0);
                if (!periods.TryGetValue(id, out var list))
                {
                    periods[id] = list = [];
                }

                list.Add(new PeriodFact(r.GetString(1), r.GetString(2) == "active", YearMonth.From(r.GetFieldValue<DateOnly>(3)),
                    r.IsDBNull(4) ? null : YearMonth.From(r.GetFieldValue<DateOnly>(4)), r.GetString(5), categories,
                    r.IsDBNull(7) ? null : r.GetFieldValue<DateOnly>(7)));
            }
        }

        var people = new Dictionary<long, PersonFacts>(ids.Length);
        await using (var cmd = new NpgsqlCommand("SELECT id, birth_date, death_date FROM person WHERE id = ANY(@ids)", conn, tx))
        {
            cmd.Parameters.AddWithValue("ids", ids);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var id = r.GetInt64(0);
                people[id] = new PersonFacts(id, r.GetFieldValue<DateOnly>(1), r.IsDBNull(2) ? null : r.GetFieldValue<DateOnly>(2),
                    periods.TryGetValue(id, out var p) ? p : []);
            }
        }

        return people;
    }

    /// <summary>
    /// The ledger's issued side for these people: the items of every approved run (returned when the line's outcome
    /// was not 'paid'), and waivers, which count as settled.
    /// </summary>
    private static async Task<Dictionary<long, List<IssuedEntry>>> IssuedAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long[] ids, YearMonth from, CancellationToken ct)
    {
        var result = new Dictionary<long, List<IssuedEntry>>();
        if (ids.Length == 0)
        {
            return result;
        }

        await using var cmd = new NpgsqlCommand("""
            SELECT i.person_id, i.programme, i.month, i.amount, coalesce(o.outcome <> 'paid', false), i.owed, i.coefficient, i.base, i.category, i.reference, r.id
            FROM payroll_item i
            JOIN payroll_run r ON r.id = i.run_id AND r.status IN ('approved', 'sent', 'closed')
            LEFT JOIN payroll_outcome o ON o.run_id = i.run_id AND o.line_no = i.line_no
            WHERE i.person_id = ANY(@ids) AND (i.month >= @from OR i.programme = 'funeral')
            UNION ALL
            SELECT w.person_id, w.programme, w.month, -w.amount, false, NULL, NULL, NULL, NULL, NULL, 0
            FROM ledger_waiver w WHERE w.person_id = ANY(@ids) AND w.month >= @from
            """, conn, tx);
        cmd.Parameters.AddWithValue("ids", ids);
        cmd.Parameters.AddWithValue("from", from.FirstDay);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var id = r.GetInt64(0);
            MonthOwed? basis = r.IsDBNull(5) ? null
                : new MonthOwed(new Dong(r.GetInt64(5)), new Coefficient(r.GetInt32(6)), new Dong(r.GetInt64(7)), r.IsDBNull(8) ? null : r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9));
            if (!result.TryGetValue(id, out var list))
            {
                result[id] = list = [];
            }

            list.Add(new IssuedEntry(r.GetString(1), YearMonth.From(r.GetFieldValue<DateOnly>(2)), new Dong(r.GetInt64(3)), r.GetBoolean(4), basis, r.GetInt64(10)));
        }

        return result;
    }

    private static async Task<Dictionary<long, YearMonth>> FuneralsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ClaimedRun run, long[] ids, CancellationToken ct)
    {
        var result = new Dictionary<long, YearMonth>();
        await using var cmd = new NpgsqlCommand(
            "SELECT person_id, month FROM one_time_payment WHERE person_id = ANY(@ids) AND kind = 'funeral' AND month BETWEEN @from AND @m", conn, tx);
        cmd.Parameters.AddWithValue("ids", ids);
        cmd.Parameters.AddWithValue("from", run.From.FirstDay);
        cmd.Parameters.AddWithValue("m", run.Month.FirstDay);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            result[r.GetInt64(0)] = YearMonth.From(r.GetFieldValue<DateOnly>(1));
        }

        return result;
    }

    /// <summary>How the line will be paid: the instruction live in the run's month (the all-programme one first).</summary>
    internal sealed record Route(long InstructionId, string Method, long? PointId, long? PayerId);

    private static async Task<Dictionary<long, Route>> RoutesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ClaimedRun run, long[] ids, CancellationToken ct)
    {
        var result = new Dictionary<long, Route>();
        await using var cmd = new NpgsqlCommand("""
            SELECT DISTINCT ON (i.person_id) i.person_id, i.id, i.method, i.payment_point_id, pp.payer_id
            FROM payment_instruction i LEFT JOIN payment_point pp ON pp.id = i.payment_point_id AND pp.active
            WHERE i.person_id = ANY(@ids) AND i.superseded_at IS NULL AND i.start_month <= @m AND (i.end_month IS NULL OR i.end_month >= @m)
            ORDER BY i.person_id, i.programme NULLS FIRST, i.id
            """, conn, tx);
        cmd.Parameters.AddWithValue("ids", ids);
        cmd.Parameters.AddWithValue("m", run.Month.FirstDay);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            result[r.GetInt64(0)] = new Route(r.GetInt64(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetInt64(3), r.IsDBNull(4) ? null : r.GetInt64(4));
        }

        return result;
    }

    /// <summary>Per commune, the payer of the province's bank-payment contract in force in the run's month.</summary>
    private static async Task<Dictionary<string, long>> BankPayersAsync(NpgsqlConnection conn, NpgsqlTransaction tx, ClaimedRun run, CancellationToken ct)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var cmd = new NpgsqlCommand("""
            SELECT co.code, (SELECT c.payer_id FROM payer_contract c
                             WHERE c.province_code = @p AND c.pays_account AND c.valid_from <= @last AND (c.valid_to IS NULL OR c.valid_to >= @m)
                               AND (NOT EXISTS (SELECT 1 FROM payer_contract_commune cc WHERE cc.contract_id = c.id)
                                    OR EXISTS (SELECT 1 FROM payer_contract_commune cc WHERE cc.contract_id = c.id AND cc.commune_code = co.code))
                             ORDER BY c.id LIMIT 1)
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
                result[r.GetString(0)] = r.GetInt64(1);
            }
        }

        return result;
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

    /// <summary>
    /// Buffers a chunk's lines and writes them by binary COPY; hashes every line and item in the order written, so
    /// the same inputs give the same content hash.
    /// </summary>
    private sealed class LineWriter(long runId)
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly List<(int LineNo, long PersonId, string Province, string Commune, SettledLine Line, Route? Route)> _lines = [];
        private readonly List<(long PersonId, string Province, string Commune, Debt Debt)> _debts = [];
        private readonly List<(long PersonId, string Commune, OwedProblem Problem)> _problems = [];

        public int Lines { get; private set; }
        public int Items { get; private set; }
        public long Total { get; private set; }
        public int Unrouted { get; private set; }

        public void Add(long personId, string province, string commune, SettledLine line, Route? route, List<OwedProblem> problems)
        {
            foreach (var p in problems)
            {
                _problems.Add((personId, commune, p));
            }

            foreach (var d in line.Debts)
            {
                _debts.Add((personId, province, commune, d));
            }

            if (line.IsEmpty)
            {
                return;
            }

            Lines++;
            Items += line.Items.Count;
            Total = checked(Total + line.Total.Value);
            if (route?.PayerId is null)
            {
                Unrouted++;
            }

            _lines.Add((Lines, personId, province, commune, line, route));
            var sb = new StringBuilder();
            sb.Append(CultureInfo.InvariantCulture, $"{Lines}|{personId}|{commune}|{route?.InstructionId}|{route?.Method}|{route?.PayerId}|{line.Total.Value}\n");
            foreach (var i in line.Items)
            {
                sb.Append(CultureInfo.InvariantCulture, $" {i.Programme}|{i.Month}|{i.Kind}|{i.Amount.Value}|{i.Owed.Amount.Value}|{i.Owed.Coefficient.Tenths}|{i.Owed.Base.Value}|{i.Owed.Category}|{i.ReasonCode}\n");
            }

            _hash.AppendData(Encoding.UTF8.GetBytes(sb.ToString()));
        }

        public string FinishHash() => Convert.ToHexStringLower(_hash.GetHashAndReset());

        public async Task FlushAsync(NpgsqlConnection conn, CancellationToken ct)
        {
            if (_lines.Count > 0)
            {
                await using (var w = await conn.BeginBinaryImportAsync("""
                    COPY payroll_line (run_id, line_no, person_id, province_code, commune_code, category, channel, instruction_id, payment_point_id, payer_id,
                                       regular, back_pay, carry_over, funeral, recovery, total) FROM STDIN (FORMAT BINARY)
                    """, ct))
                {
                    foreach (var (lineNo, personId, province, commune, line, route) in _lines)
                    {
                        await w.StartRowAsync(ct);
                        await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
                        await w.WriteAsync(lineNo, NpgsqlDbType.Integer, ct);
                        await w.WriteAsync(personId, NpgsqlDbType.Bigint, ct);
                        await w.WriteAsync(province, NpgsqlDbType.Text, ct);
                        await w.WriteAsync(commune, NpgsqlDbType.Text, ct);
                        await WriteNullableAsync(w, (line.Items.FirstOrDefault(i => i.Kind == ItemKind.Regular) ?? line.Items[0]).Owed.Category, NpgsqlDbType.Text, ct);
                        await WriteNullableAsync(w, route?.Method, NpgsqlDbType.Text, ct);
                        await WriteNullableAsync(w, route?.InstructionId, NpgsqlDbType.Bigint, ct);
                        await WriteNullableAsync(w, route?.PointId, NpgsqlDbType.Bigint, ct);
                        await WriteNullableAsync(w, route?.PayerId, NpgsqlDbType.Bigint, ct);
                        foreach (var kind in ItemKind.All)
                        {
                            await w.WriteAsync(Sum(line, kind), NpgsqlDbType.Bigint, ct);
                        }

                        await w.WriteAsync(line.Total.Value, NpgsqlDbType.Bigint, ct);
                    }

                    await w.CompleteAsync(ct);
                }

                await using (var w = await conn.BeginBinaryImportAsync("""
                    COPY payroll_item (run_id, line_no, person_id, programme, month, kind, amount, owed, coefficient, base, category, reference, reason)
                    FROM STDIN (FORMAT BINARY)
                    """, ct))
                {
                    foreach (var (lineNo, personId, _, _, line, _) in _lines)
                    {
                        foreach (var i in line.Items)
                        {
                            await w.StartRowAsync(ct);
                            await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
                            await w.WriteAsync(lineNo, NpgsqlDbType.Integer, ct);
                            await w.WriteAsync(personId, NpgsqlDbType.Bigint, ct);
                            await w.WriteAsync(i.Programme, NpgsqlDbType.Text, ct);
                            await w.WriteAsync(i.Month.FirstDay, NpgsqlDbType.Date, ct);
                            await w.WriteAsync(i.Kind, NpgsqlDbType.Text, ct);
                            await w.WriteAsync(i.Amount.Value, NpgsqlDbType.Bigint, ct);
                            await w.WriteAsync(i.Owed.Amount.Value, NpgsqlDbType.Bigint, ct);
                            await w.WriteAsync(i.Owed.Coefficient.Tenths, NpgsqlDbType.Integer, ct);
                            await w.WriteAsync(i.Owed.Base.Value, NpgsqlDbType.Bigint, ct);
                            await WriteNullableAsync(w, i.Owed.Category, NpgsqlDbType.Text, ct);
                            await WriteNullableAsync(w, i.Owed.Reference, NpgsqlDbType.Text, ct);
                            await w.WriteAsync(i.ReasonCode, NpgsqlDbType.Text, ct);
                        }
                    }

                    await w.CompleteAsync(ct);
                }
            }

            if (_debts.Count > 0)
            {
                await using var w = await conn.BeginBinaryImportAsync(
                    "COPY payroll_debt (run_id, person_id, province_code, commune_code, programme, month, amount, reason) FROM STDIN (FORMAT BINARY)", ct);
                foreach (var (personId, province, commune, d) in _debts)
                {
                    await w.WriteRowAsync(ct, runId, personId, province, commune, d.Programme, d.Month.FirstDay, d.Amount.Value, d.ReasonCode);
                }

                await w.CompleteAsync(ct);
            }

            if (_problems.Count > 0)
            {
                await using var w = await conn.BeginBinaryImportAsync(
                    "COPY payroll_problem (run_id, person_id, commune_code, programme, month, reason, args) FROM STDIN (FORMAT BINARY)", ct);
                foreach (var (personId, commune, p) in _problems)
                {
                    await w.StartRowAsync(ct);
                    await w.WriteAsync(runId, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(personId, NpgsqlDbType.Bigint, ct);
                    await w.WriteAsync(commune, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(p.Programme, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(p.Month.FirstDay, NpgsqlDbType.Date, ct);
                    await w.WriteAsync(p.Reason.Code, NpgsqlDbType.Text, ct);
                    await w.WriteAsync(ReasonArgs.ToJson(p.Reason.Args), NpgsqlDbType.Jsonb, ct);
                }

                await w.CompleteAsync(ct);
            }

            _lines.Clear();
            _debts.Clear();
            _problems.Clear();
        }

        private static long Sum(SettledLine line, string kind)
        {
            var total = 0L;
            foreach (var i in line.Items)
            {
                if (i.Kind == kind)
                {
                    total = checked(total + i.Amount.Value);
                }
            }

            return total;
        }

        private static async Task WriteNullableAsync<T>(NpgsqlBinaryImporter w, T? value, NpgsqlDbType type, CancellationToken ct)
        {
            if (value is null)
            {
                await w.WriteNullAsync(ct);
            }
            else
            {
                await w.WriteAsync(value, type, ct);
            }
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
