using AnSinh.Core.Money;
using AnSinh.Core.Payroll;
using AnSinh.Core.Rules;
using AnSinh.Web.Database;
using Npgsql;

namespace AnSinh.Web.Features.Payroll;

/// <summary>Who a run settles: a person, the commune their line belongs to, whether their whole ledger is read, and whether funeral support was decided for them.</summary>
public readonly record struct Candidate(long PersonId, string Commune, bool Full, bool Funeral);

/// <summary>Everything the ledger needs about one person, read in one pass.</summary>
public sealed record PersonInput(Candidate Candidate, PersonFacts Facts, RunComputer.Route? Route, YearMonth? DeathMonthFuneral, IReadOnlyList<IssuedEntry> Issued);

/// <summary>
/// Reads a run's people in person order through two server-side cursors on the run's own connection and
/// transaction (facts with the payment route, and the issued side of the ledger), merged person by person: a
/// province is never held in memory, only its people's ids and a few thousand rows at a time, and the database answers
/// with set-based plans instead of one look-up per person.
/// </summary>
public sealed class LedgerReader(NpgsqlConnection conn, NpgsqlTransaction tx, Dictionary<string, IReadOnlyList<CategoryFact>> categoryCache)
{
    public const int FetchSize = 5000;

    /// <summary>
    /// Who belongs to the run: everyone whose latest period starting by the run's month is in the province (else,
    /// with no period, whose funeral support was decided here), with that period's commune. A person who moved is
    /// settled by the province they are in now, for every month: the ledger is the person's, not the place's. Full:
    /// their whole ledger is read, since something may have changed before the settled months: no line in the
    /// previous run or a debt after it, or touched since it began (a period, their record, a one-time payment, a
    /// waiver, money reported not paid).
    /// </summary>
    public async Task<List<Candidate>> CandidatesAsync(string province, YearMonth month, YearMonth from, long previousRun, DateTimeOffset touchedAfter, CancellationToken ct)
    {
        // By province, in bulk: someone whose periods are all in this province has their latest one here; only people
        // who moved between provinces (person_elsewhere) are looked up across provinces.
        await using var cmd = new NpgsqlCommand("""
            WITH mine AS MATERIALIZED (
                SELECT person_id, commune_code, start_month, end_month, superseded_at, id FROM enrolment WHERE province_code = @p AND start_month <= @m
            ), touching AS (
                SELECT DISTINCT person_id FROM mine WHERE end_month IS NULL OR end_month >= @from
                UNION
                SELECT person_id FROM one_time_payment WHERE province_code = @p AND month BETWEEN @from AND @m
            ), moved AS MATERIALIZED (
                SELECT t.person_id FROM touching t JOIN person_elsewhere pe ON pe.person_id = t.person_id
            ), latest_here AS (
                SELECT DISTINCT ON (person_id) person_id, commune_code FROM mine
                ORDER BY person_id, (superseded_at IS NULL) DESC, start_month DESC, id DESC
            ), latest_moved AS (
                SELECT DISTINCT ON (e.person_id) e.person_id, e.province_code, e.commune_code
                FROM moved x JOIN enrolment e ON e.person_id = x.person_id
                WHERE e.start_month <= @m
                ORDER BY e.person_id, (e.superseded_at IS NULL) DESC, e.start_month DESC, e.id DESC
            ), home AS (
                SELECT t.person_id, coalesce(l.commune_code, o.commune_code) AS commune_code
                FROM touching t
                LEFT JOIN latest_here l ON l.person_id = t.person_id
                LEFT JOIN LATERAL (SELECT commune_code FROM one_time_payment o WHERE o.person_id = t.person_id AND o.province_code = @p ORDER BY o.id LIMIT 1) o
                       ON l.person_id IS NULL
                WHERE NOT EXISTS (SELECT 1 FROM moved m WHERE m.person_id = t.person_id)
                UNION ALL
                SELECT person_id, commune_code FROM latest_moved WHERE province_code = @p
            ), settled AS (
                SELECT DISTINCT person_id FROM payroll_line WHERE run_id = @prev
            ), changed AS (
                SELECT person_id FROM payroll_debt WHERE run_id = @prev
                UNION SELECT person_id FROM ledger_touch WHERE touched_at > @t
            ), funeral AS (
                SELECT DISTINCT person_id FROM one_time_payment WHERE kind = 'funeral' AND month BETWEEN @from AND @m
            )
            SELECT h.person_id, h.commune_code, s.person_id IS NULL OR c.person_id IS NOT NULL, f.person_id IS NOT NULL
            FROM home h
            LEFT JOIN settled s ON s.person_id = h.person_id
            LEFT JOIN changed c ON c.person_id = h.person_id
            LEFT JOIN funeral f ON f.person_id = h.person_id
            ORDER BY h.person_id
            """, conn, tx);
        cmd.Parameters.AddWithValue("p", province);
        cmd.Parameters.AddWithValue("m", month.FirstDay);
        cmd.Parameters.AddWithValue("from", from.FirstDay);
        cmd.Parameters.AddWithValue("prev", previousRun);
        cmd.Parameters.AddWithValue("t", touchedAfter);
        var list = new List<Candidate>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new Candidate(r.GetInt64(0), r.GetString(1), r.GetBoolean(2), r.GetBoolean(3)));
        }

        return list;
    }

    /// <summary>
    /// Opens the two cursors. The province's own rows are read by province, in bulk, and joined to its people by hash;
    /// only people with rows in other provinces (moved) are looked up one by one. <paramref name="from"/> gives each
    /// person's first month of issued money to read: the ledger's first month for a full read, else the first
    /// unsettled month (the run's own in an ordinary month, so nothing is read for them at all).
    /// </summary>
    /// <param name="everyoneByPerson">Look everyone up person by person: for the rare person whose record is filed in another province.</param>
    public async Task OpenAsync(string province, IReadOnlyList<Candidate> people, Func<Candidate, YearMonth> from, YearMonth ledgerFrom, YearMonth month,
        bool everyoneByPerson, CancellationToken ct)
    {
        var ids = people.Select(p => p.PersonId).ToArray();
        await using (var cmd = new NpgsqlCommand("""
            DECLARE ledger_facts NO SCROLL CURSOR FOR
            WITH ids AS MATERIALIZED (SELECT unnest(@ids) AS id),
            elsewhere AS MATERIALIZED (
                SELECT x.id FROM ids x JOIN person_elsewhere pe ON pe.person_id = x.id WHERE NOT @all
                UNION ALL SELECT x.id FROM ids x WHERE @all),
            people AS MATERIALIZED (
                SELECT p.id, p.birth_date, p.death_date FROM person p WHERE p.province_code = @p
                UNION ALL
                SELECT p.id, p.birth_date, p.death_date FROM elsewhere x JOIN person p ON p.id = x.id WHERE p.province_code <> @p),
            periods AS MATERIALIZED (
                SELECT e.id, e.person_id, e.programme, e.status, e.start_month, e.end_month, e.province_code, e.categories, e.cared_person_id
                FROM enrolment e WHERE e.province_code = @p AND e.superseded_at IS NULL AND e.start_month <= @m AND (e.end_month IS NULL OR e.end_month >= @from)
                UNION ALL
                SELECT e.id, e.person_id, e.programme, e.status, e.start_month, e.end_month, e.province_code, e.categories, e.cared_person_id
                FROM elsewhere x JOIN enrolment e ON e.person_id = x.id
                WHERE e.province_code <> @p AND e.superseded_at IS NULL AND e.start_month <= @m AND (e.end_month IS NULL OR e.end_month >= @from)),
            cared AS MATERIALIZED (
                SELECT x.id, c.birth_date FROM (SELECT DISTINCT cared_person_id AS id FROM periods WHERE cared_person_id IS NOT NULL) x
                CROSS JOIN LATERAL (SELECT birth_date FROM person c WHERE c.id = x.id LIMIT 1) c),
            routes AS MATERIALIZED (
                SELECT DISTINCT ON (i.person_id) i.person_id, i.id, i.method, i.payment_point_id
                FROM payment_instruction i
                WHERE i.province_code = @p AND i.superseded_at IS NULL AND i.start_month <= @m AND (i.end_month IS NULL OR i.end_month >= @m)
                ORDER BY i.person_id, i.programme NULLS FIRST, i.id)
            SELECT x.id, p.birth_date, p.death_date, e.programme, e.status, e.start_month, e.end_month, e.province_code, e.categories::text, cp.birth_date,
                   r.id, r.method, r.payment_point_id, pp.payer_id, f.month
            FROM ids x
            JOIN people p ON p.id = x.id
            LEFT JOIN periods e ON e.person_id = x.id
            LEFT JOIN cared cp ON cp.id = e.cared_person_id
            LEFT JOIN routes r ON r.person_id = x.id
            LEFT JOIN payment_point pp ON pp.id = r.payment_point_id AND pp.active
            LEFT JOIN one_time_payment f ON f.person_id = x.id AND f.kind = 'funeral' AND f.month BETWEEN @ledger AND @m
            ORDER BY x.id, e.start_month, e.id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("ids", ids);
            cmd.Parameters.AddWithValue("p", province);
            cmd.Parameters.AddWithValue("m", month.FirstDay);
            cmd.Parameters.AddWithValue("from", people.Count == 0 ? month.FirstDay : people.Min(p => from(p)).FirstDay);
            cmd.Parameters.AddWithValue("ledger", ledgerFrom.FirstDay);
            cmd.Parameters.AddWithValue("all", everyoneByPerson);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        // Everyone with a month to read; those read in full, with a funeral, or with rows elsewhere are looked up person
        // by person, the rest come from the province's own runs since the first unsettled month, read run by run.
        var reading = people.Where(p => from(p) < month || p.Funeral).ToList();
        var scanFrom = reading.Where(p => !p.Full && !p.Funeral).Select(p => from(p)).DefaultIfEmpty(month).Min();
        await using (var cmd = new NpgsqlCommand("""
            DECLARE ledger_issued NO SCROLL CURSOR FOR
            WITH want AS MATERIALIZED (
                SELECT w.id, w.from_month, w.funeral, w.probe OR pe.person_id IS NOT NULL AS probe
                FROM unnest(@ids, @froms, @funerals, @probes) AS w(id, from_month, funeral, probe)
                LEFT JOIN person_elsewhere pe ON pe.person_id = w.id),
            runs AS MATERIALIZED (SELECT id FROM payroll_run WHERE province_code = @p AND status IN ('approved', 'sent', 'closed') AND month >= @scan),
            scanned AS (
                SELECT i.* FROM runs r JOIN payroll_item i ON i.run_id = r.id
                WHERE NOT EXISTS (SELECT 1 FROM want w WHERE w.id = i.person_id AND w.probe)),
            probed AS (
                SELECT i.* FROM want w JOIN payroll_item i ON i.person_id = w.id
                JOIN payroll_run r ON r.id = i.run_id AND r.status IN ('approved', 'sent', 'closed')
                WHERE w.probe),
            items AS (SELECT * FROM scanned UNION ALL SELECT * FROM probed),
            unpaid AS MATERIALIZED (
                SELECT o.run_id, o.line_no FROM runs r JOIN payroll_outcome o ON o.run_id = r.id WHERE o.outcome <> 'paid'
                UNION
                SELECT o.run_id, o.line_no FROM want w JOIN payroll_line l ON l.person_id = w.id
                JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no
                WHERE w.probe AND o.outcome <> 'paid')
            SELECT w.id, i.programme, i.month, i.amount, u.run_id IS NOT NULL, i.owed, i.coefficient, i.base, i.category, i.reference, i.run_id
            FROM want w
            JOIN items i ON i.person_id = w.id AND (i.month >= w.from_month OR (w.funeral AND i.programme = 'funeral'))
            LEFT JOIN unpaid u ON u.run_id = i.run_id AND u.line_no = i.line_no
            UNION ALL
            SELECT w.person_id, w.programme, w.month, -w.amount, false, NULL, NULL, NULL, NULL, NULL, 0
            FROM unnest(@ids, @froms) AS x(id, from_month) JOIN ledger_waiver w ON w.person_id = x.id AND w.month >= x.from_month
            ORDER BY 1
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("ids", reading.Select(p => p.PersonId).ToArray());
            cmd.Parameters.AddWithValue("froms", reading.Select(p => from(p).FirstDay).ToArray());
            cmd.Parameters.AddWithValue("funerals", reading.Select(p => p.Funeral).ToArray());
            cmd.Parameters.AddWithValue("probes", reading.Select(p => everyoneByPerson || p.Full || p.Funeral).ToArray());
            cmd.Parameters.AddWithValue("p", province);
            cmd.Parameters.AddWithValue("scan", scanFrom.FirstDay);
            await cmd.ExecuteNonQueryAsync(ct);
        }

        _facts = new CursorBuffer(conn, tx, "ledger_facts");
        _issued = new CursorBuffer(conn, tx, "ledger_issued");
    }

    private CursorBuffer? _facts;
    private CursorBuffer? _issued;

    /// <summary>The next person's input, in the order of the candidates (which is person order).</summary>
    public async Task<PersonInput?> NextAsync(Candidate candidate, CancellationToken ct)
    {
        var periods = new List<PeriodFact>(2);
        DateOnly birth = default;
        DateOnly? death = null;
        RunComputer.Route? route = null;
        YearMonth? funeral = null;
        var found = false;
        while (await _facts!.PeekAsync(ct) is { } row && (long)row[0]! < candidate.PersonId)
        {
            _facts.Take(); // a row for a person the candidates did not keep: cannot happen, but never loop on it
        }

        while (await _facts.PeekAsync(ct) is { } row && (long)row[0]! == candidate.PersonId)
        {
            _facts.Take();
            found = true;
            birth = (DateOnly)row[1]!;
            death = (DateOnly?)row[2];
            if (row[3] is string programme)
            {
                var json = (string)row[8]!;
                if (!categoryCache.TryGetValue(json, out var categories))
                {
                    categories = CategoriesJson.Read(json);
                    categoryCache[json] = categories;
                }

                periods.Add(new PeriodFact(programme, (string)row[4]! == "active", YearMonth.From((DateOnly)row[5]!),
                    row[6] is DateOnly end ? YearMonth.From(end) : null, (string)row[7]!, categories, (DateOnly?)row[9]));
            }

            if (row[10] is long instruction)
            {
                route = new RunComputer.Route(instruction, (string)row[11]!, (long?)row[12], (long?)row[13]);
            }

            if (row[14] is DateOnly died)
            {
                funeral = YearMonth.From(died);
            }
        }

        var issued = new List<IssuedEntry>();
        while (await _issued!.PeekAsync(ct) is { } row && (long)row[0]! <= candidate.PersonId)
        {
            _issued.Take();
            if ((long)row[0]! != candidate.PersonId)
            {
                continue;
            }

            MonthOwed? basis = row[5] is long owed
                ? new MonthOwed(new Dong(owed), new Coefficient((int)row[6]!), new Dong((long)row[7]!), (string?)row[8], (string?)row[9])
                : null;
            issued.Add(new IssuedEntry((string)row[1]!, YearMonth.From((DateOnly)row[2]!), new Dong((long)row[3]!), (bool)row[4]!, basis, (long)row[10]!));
        }

        return found ? new PersonInput(candidate, new PersonFacts(candidate.PersonId, birth, death, periods), route, funeral, issued) : null;
    }

    public async Task CloseAsync(CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("CLOSE ledger_facts; CLOSE ledger_issued", conn, tx);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Rows of a cursor, fetched a few thousand at a time between the run's other commands on the same connection.</summary>
    private sealed class CursorBuffer(NpgsqlConnection conn, NpgsqlTransaction tx, string name)
    {
        private readonly List<object?[]> _rows = new(FetchSize);
        private int _next;
        private bool _done;

        public async Task<object?[]?> PeekAsync(CancellationToken ct)
        {
            if (_next < _rows.Count)
            {
                return _rows[_next];
            }

            if (_done)
            {
                return null;
            }

            _rows.Clear();
            _next = 0;
            await using var cmd = new NpgsqlCommand($"FETCH {FetchSize} FROM {name}", conn, tx);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            var isDate = Enumerable.Range(0, r.FieldCount).Select(i => r.GetDataTypeName(i) == "date").ToArray();
            while (await r.ReadAsync(ct))
            {
                var values = new object?[r.FieldCount];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = r.IsDBNull(i) ? null : isDate[i] ? r.GetFieldValue<DateOnly>(i) : r.GetValue(i);
                }

                _rows.Add(values);
            }

            _done = _rows.Count < FetchSize;
            return _rows.Count > 0 ? _rows[0] : null;
        }

        public void Take() => _next++;
    }
}
