using System.Globalization;
using System.Runtime.CompilerServices;
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

/// <summary>A payer's file of a run as listed: what it is, how far its building got, and once built its counts and hash.</summary>
public sealed record PayerFileView(long Id, long RunId, string ProvinceCode, DateOnly Month, long PayerId, string PayerName, string PayerKind, string Kind, string Reference,
    string Status, int? LineCount, long? ControlTotal, string? Sha256, string? FileName, DateTimeOffset? BuiltAt, string? Failure, int DoneLines, int AllLines);

/// <summary>One line as a payer sees it: who, where, how much of each kind, and how the money reaches them.</summary>
public sealed record FileLine(int LineNo, string Commune, string CommuneName, string Channel, long? PointId, string? PointName, string? Hamlet,
    string FullName, int BirthYear, string CitizenId, string? Category, int? CoefficientTenths, long Regular, long BackPay, long CarryOver, long Funeral,
    long Recovery, long Total, string? BankBin, string? BankName, string? Account, string? Holder, string? ProxyName, string? ProxyCitizenId, string? ProxyReference)
{
    public string ReceiverText => Channel switch
    {
        "proxy" => $"Ủy quyền: {ProxyName}" + (ProxyReference is null ? "" : $" (giấy số {ProxyReference})"),
        "home" => "Tại nhà",
        "bank" => "Tài khoản",
        _ => "Bản thân",
    };
}

/// <summary>
/// The files a payer receives for an approved run (post-office lists, home-delivery lists, bank CSV and pain.001):
/// requested here, built in the background by <see cref="PayerFileWorker"/>, then kept with their bytes, line count,
/// control total and SHA-256, so every download is the same file.
/// </summary>
public static class PayerFiles
{
    public static bool Ready(RunStatus status) => status is RunStatus.Approved or RunStatus.Sent or RunStatus.Closed;

    /// <summary>Queues every file the run's payers need (by the channels of their lines); files already queued or built are kept, failed ones queued again.</summary>
    public static async Task<(int Queued, RegistryError? Error)> RequestAsync(AppDbContext db, TimeProvider time, string province, long runId, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        await using var tx = await db.TransactionAsync(ct);
        var run = await RunQueries.FindAsync(db, province, runId, ct);
        if (run is null)
        {
            return (0, RegistryError.NotFound("payroll_run"));
        }

        if (!Ready(run.State))
        {
            return (0, RegistryError.Conflict(Texts.Get("PayerFile.RunNotApproved")));
        }

        var channels = await db.Database.SqlQuery<PayerChannel>($"""
            SELECT DISTINCT payer_id AS "PayerId", channel AS "Channel" FROM payroll_line WHERE run_id = {runId} AND payer_id IS NOT NULL AND channel IS NOT NULL
            """).ToListAsync(ct);
        var now = time.GetUtcNow();
        var queued = 0;
        foreach (var payer in channels.GroupBy(c => c.PayerId))
        {
            foreach (var kind in PayerFileKind.For([.. payer.Select(c => c.Channel)]))
            {
                var reference = PayerFileKind.Reference(province, run.RunMonth, payer.Key, kind);
                queued += await db.Database.ExecuteSqlAsync($"""
                    INSERT INTO payer_file (run_id, province_code, payer_id, kind, reference, status, requested_by, requested_at)
                    VALUES ({runId}, {province}, {payer.Key}, {kind}, {reference}, 'queued', {actor}, {now})
                    ON CONFLICT (run_id, payer_id, kind) DO UPDATE SET status = 'queued', failure = NULL, requested_by = excluded.requested_by, requested_at = excluded.requested_at
                    WHERE payer_file.status = 'failed'
                    """, ct);
            }
        }

        if (queued > 0)
        {
            await db.AppendAuditAsync("request_files", "payroll_run", runId.ToString(CultureInfo.InvariantCulture), province, new { queued }, actor, null, now, ct);
        }

        await tx.CommitAsync(ct);
        return (queued, null);
    }

    private sealed record PayerChannel(long PayerId, string Channel);

    /// <summary>A run's files; a payer's files only when <paramref name="payerId"/> is given.</summary>
    public static Task<List<PayerFileView>> ListAsync(AppDbContext db, long runId, long? payerId, CancellationToken ct) =>
        Views(db, $"WHERE f.run_id = {runId} AND ({payerId}::bigint IS NULL OR f.payer_id = {payerId})").OrderBy(f => f.PayerName).ThenBy(f => f.Kind).ToListAsync(ct);

    public static Task<PayerFileView?> FindAsync(AppDbContext db, long fileId, CancellationToken ct) =>
        Views(db, $"WHERE f.id = {fileId}").FirstOrDefaultAsync(ct);

    /// <summary>The file a message id (ISO 20022 MsgId) names.</summary>
    public static Task<PayerFileView?> FindByReferenceAsync(AppDbContext db, string reference, CancellationToken ct) =>
        Views(db, $"WHERE f.reference = {reference}").FirstOrDefaultAsync(ct);

    private static IQueryable<PayerFileView> Views(AppDbContext db, FormattableString where) =>
        db.Database.SqlQuery<PayerFileView>(FormattableStringFactory.Create($"""
            SELECT f.id AS "Id", f.run_id AS "RunId", f.province_code AS "ProvinceCode", r.month AS "Month", f.payer_id AS "PayerId", p.name AS "PayerName", p.kind AS "PayerKind",
                   f.kind AS "Kind", f.reference AS "Reference", f.status AS "Status", f.line_count AS "LineCount", f.control_total AS "ControlTotal", f.sha256 AS "Sha256",
                   f.file_name AS "FileName", f.built_at AS "BuiltAt", f.failure AS "Failure", coalesce(g.done_lines, 0) AS "DoneLines", coalesce(g.all_lines, 0) AS "AllLines"
            FROM payer_file f JOIN payroll_run r ON r.id = f.run_id JOIN payer p ON p.id = f.payer_id LEFT JOIN payer_file_progress g ON g.file_id = f.id
            {where.Format}
            """, where.GetArguments()));

    public static string ContentType(string kind) => kind switch
    {
        PayerFileKind.Pain001 => "application/xml",
        PayerFileKind.CashCsv or PayerFileKind.BankCsv => "text/csv",
        _ => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    };

    public static string Extension(string kind) => kind switch
    {
        PayerFileKind.Pain001 => ".xml",
        PayerFileKind.CashCsv or PayerFileKind.BankCsv => ".csv",
        _ => ".xlsx",
    };

    /// <summary>Streams a built file's stored bytes, and writes who took it to the audit log first.</summary>
    public static async Task CopyToAsync(AppDbContext db, TimeProvider time, PayerFileView file, string actor, Stream output, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(file);
        await db.AppendAuditAsync("download", "payer_file", file.Id.ToString(CultureInfo.InvariantCulture), file.ProvinceCode,
            new { file.RunId, file.PayerId, file.Kind, file.Sha256 }, actor, null, time.GetUtcNow(), ct);
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var cmd = new NpgsqlCommand("SELECT content FROM payer_file WHERE id = @id AND status = 'ready'", conn);
            cmd.Parameters.AddWithValue("id", file.Id);
            await using var r = await cmd.ExecuteReaderAsync(System.Data.CommandBehavior.SequentialAccess, ct);
            if (await r.ReadAsync(ct))
            {
                await using var content = await r.GetStreamAsync(0, ct);
                await content.CopyToAsync(output, ct);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>
    /// A payer's lines of a run in the channels given, streamed, in the order its list needs: by commune, payment point,
    /// hamlet and name for the counter ("point"); by commune, hamlet and name for the rounds of home delivery ("hamlet");
    /// by line for the bank ("line"). Only one point's lines when <paramref name="pointId"/> is given.
    /// </summary>
    public static async IAsyncEnumerable<FileLine> LinesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, long runId, long payerId, IReadOnlyList<string> channels,
        string order, long? pointId, [EnumeratorCancellation] CancellationToken ct)
    {
        var orderBy = order switch
        {
            "point" => "c.name, pt.name NULLS LAST, pt.id, p.hamlet NULLS LAST, p.full_name, l.line_no",
            "hamlet" => "c.name, p.hamlet NULLS LAST, p.full_name, l.line_no",
            _ => "l.line_no",
        };
        await using var cmd = new NpgsqlCommand($"""
            SELECT l.line_no, l.commune_code, c.name, l.channel, l.payment_point_id, pt.name, p.hamlet, p.full_name, extract(year FROM p.birth_date)::int, p.citizen_id,
                   l.category, (SELECT max(it.coefficient) FROM payroll_item it WHERE it.run_id = l.run_id AND it.line_no = l.line_no AND it.kind = 'regular'),
                   l.regular, l.back_pay, l.carry_over, l.funeral, l.recovery, l.total,
                   i.bank_bin, b.short_name, i.account_number, i.account_holder, a.full_name, a.citizen_id, a.reference
            FROM payroll_line l JOIN person p ON p.id = l.person_id JOIN commune c ON c.code = l.commune_code
            LEFT JOIN payment_point pt ON pt.id = l.payment_point_id
            LEFT JOIN payment_instruction i ON i.id = l.instruction_id
            LEFT JOIN bank b ON b.bin = i.bank_bin
            LEFT JOIN proxy_authorisation a ON a.id = i.proxy_id AND l.channel = 'proxy'
            WHERE l.run_id = @run AND l.payer_id = @payer AND l.channel = ANY(@channels) AND (@point::bigint IS NULL OR l.payment_point_id = @point)
            ORDER BY {orderBy}
            """, conn, tx);
        cmd.Parameters.AddWithValue("run", runId);
        cmd.Parameters.AddWithValue("payer", payerId);
        cmd.Parameters.AddWithValue("channels", channels.ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("point", NpgsqlTypes.NpgsqlDbType.Bigint) { Value = (object?)pointId ?? DBNull.Value });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        while (await r.ReadAsync(ct))
        {
            yield return new FileLine(r.GetInt32(0), r.GetString(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetInt64(4), S(5), S(6), r.GetString(7),
                r.GetInt32(8), r.GetString(9), S(10), r.IsDBNull(11) ? null : r.GetInt32(11), r.GetInt64(12), r.GetInt64(13), r.GetInt64(14), r.GetInt64(15),
                r.GetInt64(16), r.GetInt64(17), S(18), S(19), S(20), S(21), S(22), S(23), S(24));
        }
    }
}
