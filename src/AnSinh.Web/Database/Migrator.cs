using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace AnSinh.Web.Database;

/// <summary>One versioned SQL file: "0003_audit.sql" is version 3, named "audit".</summary>
public sealed record Migration(int Version, string Name, string Sql)
{
    // Computed from the text each time: a `with` copy that changes Sql must not keep the old checksum.
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    /// <summary>The SQL files embedded in this assembly, in version order.</summary>
    public static IReadOnlyList<Migration> Embedded()
    {
        var asm = typeof(Migration).Assembly;
        const string prefix = "AnSinh.Migrations.";
        return [.. asm.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => FromResource(asm, n, n[prefix.Length..^4]))
            .OrderBy(m => m.Version)];
    }

    private static Migration FromResource(Assembly asm, string resource, string fileName)
    {
        var sep = fileName.IndexOf('_', StringComparison.Ordinal);
        if (sep < 1 || !int.TryParse(fileName.AsSpan(0, sep), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var version))
        {
            throw new InvalidOperationException($"Migration file '{fileName}.sql' must be named NNNN_name.sql.");
        }

        using var stream = asm.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return new Migration(version, fileName[(sep + 1)..], reader.ReadToEnd());
    }
}

public sealed record MigrationReport(IReadOnlyList<Migration> Applied, int AlreadyApplied);

public sealed class MigrationException(string message) : Exception(message);

/// <summary>
/// Applies versioned SQL files: each in its own transaction, recorded with its checksum in
/// schema_version. An applied file whose text has since changed is an error, never re-run.
/// A transaction-scoped advisory lock keeps two instances from migrating at once (safe behind PgBouncer).
/// </summary>
public static class Migrator
{
    // Any fixed number shared by every instance; "ansinh" in ASCII.
    private const long LockKey = 0x616e73696e68;

    public static async Task<MigrationReport> MigrateAsync(NpgsqlDataSource dataSource, IReadOnlyList<Migration> migrations, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(migrations);
        var duplicate = migrations.GroupBy(m => m.Version).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new MigrationException($"Two migration files have version {duplicate.Key}.");
        }

        // Every step is a transaction that first takes a transaction-scoped advisory lock: two instances never migrate
        // at once, and the lock cannot outlive its transaction, so this works through a transaction-pooling PgBouncer
        // (a session lock could be taken on one server connection and released on another).
        await using var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        var applied = new Dictionary<int, (string Name, string Checksum)>();
        await using (var tx = await LockedAsync(conn, ct).ConfigureAwait(false))
        {
            await ExecAsync(conn, tx, """
                CREATE TABLE IF NOT EXISTS schema_version (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    checksum   text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, ct).ConfigureAwait(false);
            await using (var cmd = new NpgsqlCommand("SELECT version, name, checksum FROM schema_version", conn, tx))
            await using (var reader = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    applied[reader.GetInt32(0)] = (reader.GetString(1), reader.GetString(2));
                }
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
        }

        foreach (var m in migrations)
        {
            if (applied.TryGetValue(m.Version, out var done) && done.Checksum != m.Checksum)
            {
                throw new MigrationException(
                    $"Migration {m.Version:D4}_{m.Name}.sql was changed after it was applied (checksum {done.Checksum[..12]}… in the database, {m.Checksum[..12]}… now). " +
                    "Applied migrations are never edited: add a new file instead.");
            }
        }

        var newlyApplied = new List<Migration>();
        foreach (var m in migrations.Where(m => !applied.ContainsKey(m.Version)))
        {
            await using var tx = await LockedAsync(conn, ct).ConfigureAwait(false);
            await using (var check = new NpgsqlCommand("SELECT count(*) FROM schema_version WHERE version = @v", conn, tx))
            {
                check.Parameters.AddWithValue("v", m.Version);
                if ((long)(await check.ExecuteScalarAsync(ct).ConfigureAwait(false))! > 0)
                {
                    continue; // another instance applied it while this one waited for the lock
                }
            }

            try
            {
                await ExecAsync(conn, tx, m.Sql, ct).ConfigureAwait(false);
            }
            catch (PostgresException e)
            {
                throw new MigrationException($"Migration {m.Version:D4}_{m.Name}.sql failed: {e.MessageText} (line {e.Line}, position {e.Position}).");
            }

            await using (var record = new NpgsqlCommand("INSERT INTO schema_version(version, name, checksum) VALUES (@v, @n, @c)", conn, tx))
            {
                record.Parameters.AddWithValue("v", m.Version);
                record.Parameters.AddWithValue("n", m.Name);
                record.Parameters.AddWithValue("c", m.Checksum);
                await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            newlyApplied.Add(m);
        }

        return new MigrationReport(newlyApplied, applied.Count);
    }

    private static async Task<NpgsqlTransaction> LockedAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await ExecAsync(conn, tx, $"SELECT pg_advisory_xact_lock({LockKey})", ct).ConfigureAwait(false);
        return tx;
    }

    private static async Task ExecAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
