using System.Globalization;
using AnSinh.Core.Payment;
using AnSinh.Core.Payroll;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Payroll;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Features.Disbursement;

/// <summary>Issued against results for one payer and payment point (or one payer, with no point, for its accounts and home rounds).</summary>
public sealed record ReconRow(long? PayerId, string? PayerName, long? PointId, string? PointName, int Lines, long Issued, int PaidLines, long Paid,
    int UnpaidLines, long Unpaid, int ReturnedLines, long Returned, int PendingLines, long Pending);

/// <summary>Money for one payer: what it held from the previous run, what was transferred, what its lines needed, and what became of it.</summary>
public sealed record PayerMoney(long PayerId, string PayerName, long? ContractId, string? ContractReference, int FeeBasisPoints, short ResultsDay,
    long HeldBefore, long Transferred, long Issued, long Paid, long Unpaid, long Returned, long Pending)
{
    public long Expected => Math.Max(0, checked(Issued - HeldBefore));

    public Settlement Settlement => new(Transferred, HeldBefore, Issued, Paid, Returned, Unpaid, Pending, FeeBasisPoints);
}

/// <summary>An exception as listed: what, for which line and person, its arguments, and how it was resolved.</summary>
public sealed record ExceptionView(long Id, long RunId, long? PayerId, string? PayerName, int? LineNo, long? PersonId, string? FullName, string? CommuneCode,
    long? Amount, string Kind, string Args, DateTimeOffset RaisedAt, string? Action, string? Reason, string? ResolvedBy, DateTimeOffset? ResolvedAt);

/// <summary>How to resolve an exception: a named action and a reason; for a re-issue, the point (else the commune's first).</summary>
public sealed record ResolveRequest(string Action, string Reason, long? PaymentPointId);

/// <summary>
/// Three-way reconciliation of entitlement (the run's lines), instruction (the files and money sent to payers) and
/// result (outcomes). It raises exceptions, set-based and idempotently, whenever results arrive and on each look of
/// the worker (for deadlines); each is resolved by a named action with a reason; a run closes only when every line
/// has an outcome and no exception is open.
/// </summary>
public static class Reconciliation
{
    /// <summary>Raises every exception the run's facts call for today; an exception already raised is never raised twice.</summary>
    public static async Task RaiseAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long runId, DateTimeOffset now, CancellationToken ct)
    {
        var today = now.VietnamDate();
        await using var batch = new NpgsqlBatch(conn, tx);
        void Add(string sql)
        {
            var c = new NpgsqlBatchCommand(sql);
            c.Parameters.Add(new NpgsqlParameter<long> { TypedValue = runId });
            c.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = now });
            c.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = today });
            batch.BatchCommands.Add(c);
        }

        const string Insert = "INSERT INTO payroll_exception (run_id, province_code, payer_id, line_no, kind, args, raised_at) ";
        const string Once = " ON CONFLICT (run_id, kind, coalesce(line_no, -1), coalesce(payer_id, -1)) DO NOTHING";
        Add(Insert + """
            SELECT l.run_id, l.province_code, l.payer_id, l.line_no, 'bank_rejected', jsonb_build_object('code', o.reason_code, 'note', o.note), $2
            FROM payroll_outcome o JOIN payroll_line l ON l.run_id = o.run_id AND l.line_no = o.line_no
            WHERE o.run_id = $1 AND l.channel = 'bank' AND o.outcome = 'returned'
            """ + Once);
        Add(Insert + """
            SELECT l.run_id, l.province_code, l.payer_id, l.line_no, 'paid_after_death', jsonb_build_object('paid_on', o.paid_on, 'death_date', p.death_date), $2
            FROM payroll_outcome o JOIN payroll_line l ON l.run_id = o.run_id AND l.line_no = o.line_no JOIN person p ON p.id = l.person_id
            WHERE o.run_id = $1 AND o.outcome = 'paid' AND p.death_date IS NOT NULL AND o.paid_on > p.death_date
            """ + Once);
        Add(Insert + """
            SELECT l.run_id, l.province_code, l.payer_id, l.line_no, 'proxy_expired',
                   jsonb_build_object('paid_on', o.paid_on, 'valid_to', a.valid_to, 'revoked_on', (a.revoked_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date, 'letter', a.id IS NOT NULL), $2
            FROM payroll_outcome o JOIN payroll_line l ON l.run_id = o.run_id AND l.line_no = o.line_no
            LEFT JOIN payment_instruction i ON i.id = l.instruction_id LEFT JOIN proxy_authorisation a ON a.id = i.proxy_id
            WHERE o.run_id = $1 AND o.outcome = 'paid' AND o.receiver = 'proxy'
              AND (a.id IS NULL OR a.valid_to < o.paid_on OR a.valid_from > o.paid_on OR (a.revoked_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date <= o.paid_on)
            """ + Once);

        // Deadlines count in the run's month: results by the contract's results day, money before the payment days.
        Add(Insert + """
            SELECT $1, r.province_code, m.payer_id, NULL, 'results_missing', jsonb_build_object('missing', m.missing, 'due', m.due), $2
            FROM payroll_run r JOIN LATERAL (
                SELECT l.payer_id, count(*) AS missing, (r.month + (c.results_day - 1))::date AS due
                FROM payroll_line l LEFT JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no
                JOIN LATERAL payer_contract_in_force(l.payer_id, r.month) c ON true
                WHERE l.run_id = r.id AND l.payer_id IS NOT NULL AND o.line_no IS NULL
                GROUP BY l.payer_id, c.results_day) m ON true
            WHERE r.id = $1 AND r.status = 'sent' AND m.due < $3
            """ + Once);
        Add(Insert + """
            SELECT $1, r.province_code, t.payer_id, NULL, 'transfer_mismatch', jsonb_build_object('transferred', t.transferred, 'expected', n.expected), $2
            FROM payroll_run r
            JOIN (SELECT payer_id, sum(amount) AS transferred FROM payer_transfer WHERE run_id = $1 GROUP BY payer_id) t ON true
            JOIN (SELECT payer_id, greatest(0, sum(total) - payer_held_before($1, payer_id)) AS expected FROM payroll_line
                  WHERE run_id = $1 AND payer_id IS NOT NULL GROUP BY payer_id) n ON n.payer_id = t.payer_id
            WHERE r.id = $1 AND t.transferred <> n.expected
            """ + Once);

        // A payer whose missing results have since all arrived: resolved by the facts, not by a person.
        Add("""
            UPDATE payroll_exception e SET action = 'confirm', reason = 'Đã nhận đủ kết quả', resolved_by = 'system', resolved_at = $2
            WHERE e.run_id = $1 AND e.kind = 'results_missing' AND e.resolved_at IS NULL AND $3 IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM payroll_line l LEFT JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no
                              WHERE l.run_id = e.run_id AND l.payer_id = e.payer_id AND o.line_no IS NULL)
            """);
        // A transfer difference made good by a later transfer is resolved the same way.
        Add("""
            UPDATE payroll_exception e SET action = 'confirm', reason = 'Đã chuyển đủ tiền', resolved_by = 'system', resolved_at = $2
            WHERE e.run_id = $1 AND e.kind = 'transfer_mismatch' AND e.resolved_at IS NULL AND $3 IS NOT NULL
              AND (SELECT coalesce(sum(amount), 0) FROM payer_transfer t WHERE t.run_id = e.run_id AND t.payer_id = e.payer_id) = (e.args ->> 'expected')::bigint
            """);
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Closes a sent run whose every line has an outcome and whose exceptions are all resolved; true when it closed.</summary>
    public static async Task<bool> TryCloseAsync(NpgsqlConnection conn, NpgsqlTransaction tx, long runId, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE payroll_run r SET status = @closed, closed_at = @now
            WHERE r.id = @id AND r.status = @sent
              AND NOT EXISTS (SELECT 1 FROM payroll_line l LEFT JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no WHERE l.run_id = r.id AND o.line_no IS NULL)
              AND NOT EXISTS (SELECT 1 FROM payroll_exception e WHERE e.run_id = r.id AND e.resolved_at IS NULL)
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", runId);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("sent", RunWorkflow.Code(RunStatus.Sent));
        cmd.Parameters.AddWithValue("closed", RunWorkflow.Code(RunWorkflow.Apply(RunStatus.Sent, RunAction.Close).Next!.Value));
        return await cmd.ExecuteNonQueryAsync(ct) == 1;
    }

    /// <summary>Every sent run's deadlines, for the worker's look; each run in its own short transaction.</summary>
    public static async Task RaiseDueAsync(NpgsqlDataSource dataSource, TimeProvider time, CancellationToken ct)
    {
        var runs = new List<long>();
        await using (var cmd = dataSource.CreateCommand("SELECT id FROM payroll_run WHERE status = 'sent'"))
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                runs.Add(r.GetInt64(0));
            }
        }

        foreach (var id in runs)
        {
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await RaiseAsync(conn, tx, id, time.GetUtcNow(), ct);
            await TryCloseAsync(conn, tx, id, time.GetUtcNow(), ct);
            await tx.CommitAsync(ct);
        }
    }

    /// <summary>Issued against results by payer and payment point; one payer's rows only when <paramref name="payerId"/> is given.</summary>
    public static Task<List<ReconRow>> RowsAsync(AppDbContext db, long runId, long? payerId, CancellationToken ct) =>
        db.Database.SqlQuery<ReconRow>($"""
            SELECT l.payer_id AS "PayerId", p.name AS "PayerName", l.payment_point_id AS "PointId", pt.name AS "PointName",
                   count(*)::int AS "Lines", sum(l.total)::bigint AS "Issued",
                   count(*) FILTER (WHERE o.outcome = 'paid')::int AS "PaidLines", coalesce(sum(l.total) FILTER (WHERE o.outcome = 'paid'), 0)::bigint AS "Paid",
                   count(*) FILTER (WHERE o.outcome = 'unpaid')::int AS "UnpaidLines", coalesce(sum(l.total) FILTER (WHERE o.outcome = 'unpaid'), 0)::bigint AS "Unpaid",
                   count(*) FILTER (WHERE o.outcome = 'returned')::int AS "ReturnedLines", coalesce(sum(l.total) FILTER (WHERE o.outcome = 'returned'), 0)::bigint AS "Returned",
                   count(*) FILTER (WHERE o.outcome IS NULL)::int AS "PendingLines", coalesce(sum(l.total) FILTER (WHERE o.outcome IS NULL), 0)::bigint AS "Pending"
            FROM payroll_line l LEFT JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no
            LEFT JOIN payer p ON p.id = l.payer_id LEFT JOIN payment_point pt ON pt.id = l.payment_point_id
            WHERE l.run_id = {runId} AND ({payerId}::bigint IS NULL OR l.payer_id = {payerId})
            GROUP BY l.payer_id, p.name, l.payment_point_id, pt.name
            ORDER BY p.name NULLS LAST, pt.name NULLS FIRST
            """).ToListAsync(ct);

    /// <summary>Per payer: held from the previous run, transferred, issued and what became of it, with its contract in the run's month.</summary>
    public static Task<List<PayerMoney>> MoneyAsync(AppDbContext db, long runId, long? payerId, CancellationToken ct) =>
        db.Database.SqlQuery<PayerMoney>($"""
            WITH run AS (SELECT * FROM payroll_run WHERE id = {runId}),
            lines AS (
                SELECT l.payer_id, sum(l.total) AS issued,
                       coalesce(sum(l.total) FILTER (WHERE o.outcome = 'paid'), 0) AS paid, coalesce(sum(l.total) FILTER (WHERE o.outcome = 'unpaid'), 0) AS unpaid,
                       coalesce(sum(l.total) FILTER (WHERE o.outcome = 'returned'), 0) AS returned, coalesce(sum(l.total) FILTER (WHERE o.outcome IS NULL), 0) AS pending
                FROM payroll_line l LEFT JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no
                WHERE l.run_id = {runId} AND l.payer_id IS NOT NULL GROUP BY l.payer_id)
            SELECT p.id AS "PayerId", p.name AS "PayerName", c.id AS "ContractId", c.reference AS "ContractReference",
                   coalesce(c.fee_basis_points, 0) AS "FeeBasisPoints", coalesce(c.results_day, 20)::smallint AS "ResultsDay",
                   payer_held_before({runId}, p.id) AS "HeldBefore",
                   coalesce((SELECT sum(t.amount) FROM payer_transfer t WHERE t.run_id = {runId} AND t.payer_id = p.id), 0)::bigint AS "Transferred",
                   x.issued::bigint AS "Issued", x.paid::bigint AS "Paid", x.unpaid::bigint AS "Unpaid", x.returned::bigint AS "Returned", x.pending::bigint AS "Pending"
            FROM lines x JOIN payer p ON p.id = x.payer_id CROSS JOIN run
            LEFT JOIN LATERAL payer_contract_in_force(p.id, run.month) c ON true
            WHERE {payerId}::bigint IS NULL OR p.id = {payerId}
            ORDER BY p.name
            """).ToListAsync(ct);

    public static Task<List<ExceptionView>> ExceptionsAsync(AppDbContext db, string province, long? runId, long? payerId, bool openOnly, CancellationToken ct) =>
        db.Database.SqlQuery<ExceptionView>($"""
            SELECT e.id AS "Id", e.run_id AS "RunId", e.payer_id AS "PayerId", p.name AS "PayerName", e.line_no AS "LineNo", l.person_id AS "PersonId", pe.full_name AS "FullName",
                   l.commune_code AS "CommuneCode", l.total AS "Amount", e.kind AS "Kind", e.args::text AS "Args", e.raised_at AS "RaisedAt", e.action AS "Action", e.reason AS "Reason",
                   e.resolved_by AS "ResolvedBy", e.resolved_at AS "ResolvedAt"
            FROM payroll_exception e LEFT JOIN payer p ON p.id = e.payer_id
            LEFT JOIN payroll_line l ON l.run_id = e.run_id AND l.line_no = e.line_no LEFT JOIN person pe ON pe.id = l.person_id
            WHERE e.province_code = {province} AND ({runId}::bigint IS NULL OR e.run_id = {runId}) AND ({payerId}::bigint IS NULL OR e.payer_id = {payerId})
              AND (NOT {openOnly} OR e.resolved_at IS NULL)
            ORDER BY e.resolved_at IS NOT NULL, e.id
            LIMIT 2000
            """).ToListAsync(ct);

    /// <summary>Resolves one exception by a named action with a reason; a write-off needs an approver. May close the run.</summary>
    public static async Task<(ExceptionView? Exception, RegistryError? Error)> ResolveAsync(AppDbContext db, TimeProvider time, string province, long exceptionId,
        ResolveRequest request, string actor, bool isApprover, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Reason) || request.Reason.Trim().Length is < 5 or > 500)
        {
            return (null, RegistryError.Invalid("reason", Texts.Get("Exception.ReasonLength")));
        }

        await using var tx = await db.TransactionAsync(ct);
        var (conn, ntx) = db.Raw();
        var found = await db.Database.SqlQuery<Found>($"""
            SELECT e.run_id AS "RunId", e.kind AS "Kind", e.payer_id AS "PayerId", e.line_no AS "LineNo", e.resolved_at IS NOT NULL AS "Resolved",
                   l.person_id AS "PersonId", l.commune_code AS "Commune", r.month AS "Month", r.status AS "RunStatus"
            FROM payroll_exception e JOIN payroll_run r ON r.id = e.run_id LEFT JOIN payroll_line l ON l.run_id = e.run_id AND l.line_no = e.line_no
            WHERE e.id = {exceptionId} AND e.province_code = {province} FOR UPDATE OF e
            """).FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return (null, RegistryError.NotFound("payroll_exception"));
        }

        if (ExceptionAction.Check(found.Kind, request.Action, isApprover, found.Resolved) is { } refused)
        {
            return (null, refused.Code == "exception.approver_needed" ? RegistryError.Forbidden(Texts.Of(refused)) : RegistryError.Conflict(Texts.Of(refused)));
        }

        var now = time.GetUtcNow();
        if (request.Action == ExceptionAction.ReissueCash)
        {
            var point = await db.Database.SqlQuery<long?>($"""
                SELECT pt.id AS "Value" FROM payment_point pt
                WHERE pt.commune_code = {found.Commune} AND pt.active AND pt.payer_id IS NOT NULL AND ({request.PaymentPointId}::bigint IS NULL OR pt.id = {request.PaymentPointId})
                ORDER BY pt.id LIMIT 1
                """).FirstOrDefaultAsync(ct);
            if (point is null)
            {
                return (null, RegistryError.Invalid("paymentPointId", Texts.Get("Exception.NoPoint")));
            }

            var next = found.Month.AddMonths(1);
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO payroll_reissue (person_id, month, province_code, payment_point_id, exception_id, created_by, created_at)
                VALUES ({found.PersonId}, {next}, {province}, {point}, {exceptionId}, {actor}, {now})
                ON CONFLICT (person_id, month) DO UPDATE SET payment_point_id = excluded.payment_point_id, exception_id = excluded.exception_id
                """, ct);
        }
        else if (request.Action == ExceptionAction.Carry && found.Kind == ExceptionKind.ResultsMissing)
        {
            await db.Database.ExecuteSqlAsync($"""
                INSERT INTO payroll_outcome (run_id, line_no, outcome, note, source, recorded_by, recorded_at)
                SELECT l.run_id, l.line_no, 'unpaid', 'Không có kết quả đến hạn', {"exception " + exceptionId.ToString(CultureInfo.InvariantCulture)}, {actor}, {now}
                FROM payroll_line l LEFT JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no
                WHERE l.run_id = {found.RunId} AND l.payer_id = {found.PayerId} AND o.line_no IS NULL
                """, ct);
        }

        await db.Database.ExecuteSqlAsync($"""
            UPDATE payroll_exception SET action = {request.Action}, reason = {request.Reason.Trim()}, resolved_by = {actor}, resolved_at = {now} WHERE id = {exceptionId}
            """, ct);
        await db.AppendAuditAsync("resolve", "payroll_exception", exceptionId.ToString(CultureInfo.InvariantCulture), province,
            new { found.RunId, found.Kind, found.LineNo, request.Action, request.PaymentPointId }, actor, request.Reason.Trim(), now, ct);
        await TryCloseAsync(conn, ntx, found.RunId, now, ct);
        await tx.CommitAsync(ct);
        var view = (await ExceptionsAsync(db, province, found.RunId, null, false, ct)).First(e => e.Id == exceptionId);
        return (view, null);
    }

    private sealed record Found(long RunId, string Kind, long? PayerId, int? LineNo, bool Resolved, long? PersonId, string? Commune, DateOnly Month, string RunStatus);

    /// <summary>Records money transferred to a payer for a run; the next look compares it with what the payer's lines need.</summary>
    public static async Task<RegistryError?> RecordTransferAsync(AppDbContext db, TimeProvider time, string province, long runId, TransferRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(r);
        var run = await RunQueries.FindAsync(db, province, runId, ct);
        if (run is null)
        {
            return RegistryError.NotFound("payroll_run");
        }

        if (!PayerFiles.Ready(run.State))
        {
            return RegistryError.Conflict(Texts.Get("PayerFile.RunNotApproved"));
        }

        if (r.Amount is <= 0 or > 1_000_000_000_000)
        {
            return RegistryError.Invalid("amount", Texts.Get("Transfer.AmountRange"));
        }

        if (string.IsNullOrWhiteSpace(r.Reference) || r.Reference.Length > 100)
        {
            return RegistryError.Invalid("reference", Texts.Get("Transfer.ReferenceRequired"));
        }

        var today = time.VietnamToday();
        if (r.TransferredOn < run.RunMonth.AddMonths(-2).FirstDay || r.TransferredOn > today)
        {
            return RegistryError.Invalid("transferredOn", Texts.Get("Transfer.DateRange"));
        }

        if (!await db.Database.SqlQuery<bool>($"SELECT EXISTS (SELECT 1 FROM payroll_line WHERE run_id = {runId} AND payer_id = {r.PayerId}) AS \"Value\"").FirstAsync(ct))
        {
            return RegistryError.Invalid("payerId", Texts.Get("Transfer.PayerNotInRun"));
        }

        await using var tx = await db.TransactionAsync(ct);
        var now = time.GetUtcNow();
        await db.Database.ExecuteSqlAsync($"""
            INSERT INTO payer_transfer (run_id, province_code, payer_id, amount, transferred_on, reference, recorded_by, recorded_at)
            VALUES ({runId}, {province}, {r.PayerId}, {r.Amount}, {r.TransferredOn}, {r.Reference.Trim()}, {actor}, {now})
            """, ct);
        await db.AppendAuditAsync("transfer", "payroll_run", runId.ToString(CultureInfo.InvariantCulture), province,
            new { r.PayerId, r.Amount, r.TransferredOn, r.Reference }, actor, null, now, ct);
        var (conn, ntx) = db.Raw();
        await RaiseAsync(conn, ntx, runId, now, ct);
        await tx.CommitAsync(ct);
        return null;
    }
}

/// <summary>Money sent to a payer for a run: how much, on which day, with the bank's or treasury's reference.</summary>
public sealed record TransferRequest(long PayerId, long Amount, DateOnly TransferredOn, string Reference);
