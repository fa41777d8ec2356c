using AnSinh.Core.Audit;
using Npgsql;
using NpgsqlTypes;

namespace AnSinh.Web.Audit;

/// <summary>An entity whose changes are written to the audit log, tagged with the province it belongs to.</summary>
public interface IAudited
{
    string? AuditProvinceCode { get; }
}

/// <summary>Who is acting in this request or command, and why; read when audit rows are written.</summary>
public sealed class AuditContext(IHttpContextAccessor http)
{
    private string? _actor;

    public string Actor
    {
        get => _actor ?? http.HttpContext?.User.Identity?.Name ?? "system";
        set => _actor = value;
    }

    public string? Reason { get; set; }
}

/// <summary>An audit row before it has an id, a time and its place in the chain.</summary>
public sealed record AuditEntryDraft(string Action, string Entity, string EntityKey, string? ProvinceCode, string? OldValues, string? NewValues);

/// <summary>A stored audit row, for reading pages.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public required string Entity { get; init; }
    public required string EntityKey { get; init; }
    public string? ProvinceCode { get; init; }
    public string? OldValues { get; init; }
    public string? NewValues { get; init; }
    public string? Reason { get; init; }
    public required string PreviousHash { get; init; }
    public required string Hash { get; init; }
}

public static class AuditLog
{
    // Serialises appends so that each row chains onto the one committed before it.
    private const long ChainLockKey = 0x61756469745f6c;

    /// <summary>Appends rows inside the caller's transaction; they commit or roll back with the change they describe.</summary>
    public static async Task AppendAsync(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<AuditEntryDraft> drafts,
        string actor, string? reason, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(drafts);
        if (drafts.Count == 0)
        {
            return;
        }

        at = AuditChain.Normalise(at);
        await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({ChainLockKey})", conn, tx))
        {
            await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        string previous;
        await using (var last = new NpgsqlCommand("SELECT hash FROM audit_log ORDER BY id DESC LIMIT 1", conn, tx))
        {
            previous = await last.ExecuteScalarAsync(ct).ConfigureAwait(false) as string ?? AuditChain.Genesis;
        }

        var ids = new List<long>(drafts.Count);
        await using (var next = new NpgsqlCommand("SELECT nextval('audit_log_id_seq') FROM generate_series(1, @n)", conn, tx))
        {
            next.Parameters.AddWithValue("n", drafts.Count);
            await using var reader = await next.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                ids.Add(reader.GetInt64(0));
            }
        }

        await using var batch = new NpgsqlBatch(conn, tx);
        for (var i = 0; i < drafts.Count; i++)
        {
            var d = drafts[i];
            var record = new AuditRecord(ids[i], at, actor, d.Action, d.Entity, d.EntityKey, d.ProvinceCode, d.OldValues, d.NewValues, reason);
            var hash = AuditChain.ComputeHash(previous, record);
            var cmd = new NpgsqlBatchCommand("""
                INSERT INTO audit_log (id, at, actor, action, entity, entity_key, province_code, old_values, new_values, reason, previous_hash, hash)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                """);
            cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = record.Id });
            cmd.Parameters.Add(new NpgsqlParameter<DateTimeOffset> { TypedValue = at });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = actor });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.Action });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.Entity });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = d.EntityKey });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)d.ProvinceCode ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)d.OldValues ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Json });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)d.NewValues ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Json });
            cmd.Parameters.Add(new NpgsqlParameter { Value = (object?)reason ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = previous });
            cmd.Parameters.Add(new NpgsqlParameter<string> { TypedValue = hash });
            batch.BatchCommands.Add(cmd);
            previous = hash;
        }

        await batch.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Opens a transaction of its own to append rows that describe work done outside EF (bulk loads, sign-ins).</summary>
    public static async Task AppendAsync(NpgsqlDataSource dataSource, IReadOnlyList<AuditEntryDraft> drafts, string actor, string? reason, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await AppendAsync(conn, tx, drafts, actor, reason, at, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Recomputes the whole chain, streaming rows in id order; returns the first row that breaks it.</summary>
    public static async Task<(long Rows, AuditBreak? Break)> VerifyAsync(NpgsqlDataSource dataSource, IProgress<long>? progress = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand(
            "SELECT id, at, actor, action, entity, entity_key, province_code, old_values::text, new_values::text, reason, previous_hash, hash FROM audit_log ORDER BY id", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var verifier = new AuditChainVerifier();
        long count = 0;
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            var record = new AuditRecord(
                reader.GetInt64(0),
                reader.GetFieldValue<DateTimeOffset>(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9));
            count++;
            var broken = verifier.Next(record, reader.GetString(10), reader.GetString(11));
            if (broken is not null)
            {
                return (count, broken);
            }

            if (count % 10_000 == 0)
            {
                progress?.Report(count);
            }
        }

        progress?.Report(count);
        return (count, null);
    }

    /// <summary>
    /// Checks a printed anchor (a row id and its hash, from a settlement on paper) against the chain: the row must still
    /// exist with that very hash. A chain cut off before the row, or rewritten up to it, fails here even when what
    /// remains verifies. Null when it holds, else the problem.
    /// </summary>
    public static async Task<string?> CheckAnchorAsync(NpgsqlDataSource dataSource, long id, string hash, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var cmd = dataSource.CreateCommand("SELECT hash FROM audit_log WHERE id = $1");
        cmd.Parameters.Add(new NpgsqlParameter<long> { TypedValue = id });
        return await cmd.ExecuteScalarAsync(ct).ConfigureAwait(false) switch
        {
            null => $"row {id} is missing: the chain was cut before it",
            string h when string.Equals(h, hash, StringComparison.OrdinalIgnoreCase) => null,
            _ => $"row {id} has another hash than the printed one",
        };
    }
}
