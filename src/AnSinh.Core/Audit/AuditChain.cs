using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace AnSinh.Core.Audit;

/// <summary>The content of one audit row, exactly as stored; the hash covers all of it.</summary>
public sealed record AuditRecord(
    long Id,
    DateTimeOffset At,
    string Actor,
    string Action,
    string Entity,
    string EntityKey,
    string? ProvinceCode,
    string? OldValues,
    string? NewValues,
    string? Reason);

/// <summary>
/// A hash chain over the audit log: each row's hash covers its own content and the previous
/// row's hash, so editing, deleting or re-ordering any row breaks every hash after it.
/// </summary>
public static class AuditChain
{
    /// <summary>The hash that precedes the first row.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>
    /// Timestamps are hashed at microsecond precision (what PostgreSQL stores), in UTC, so a
    /// value read back from the database hashes the same as the one written.
    /// </summary>
    public static DateTimeOffset Normalise(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % 10), TimeSpan.Zero);
    }

    public static string ComputeHash(string previousHash, AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var sb = new StringBuilder(256);
        // Each field is length-prefixed so that no two different records share a canonical form.
        Append(sb, previousHash);
        Append(sb, record.Id.ToString(CultureInfo.InvariantCulture));
        Append(sb, Normalise(record.At).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
        Append(sb, record.Actor);
        Append(sb, record.Action);
        Append(sb, record.Entity);
        Append(sb, record.EntityKey);
        Append(sb, record.ProvinceCode);
        Append(sb, record.OldValues);
        Append(sb, record.NewValues);
        Append(sb, record.Reason);
        var bytes = SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString()));
        return Convert.ToHexStringLower(bytes);
    }

    private static void Append(StringBuilder sb, string? field)
    {
        if (field is null)
        {
            sb.Append("-1:");
            return;
        }

        sb.Append(field.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(field).Append('|');
    }

    /// <summary>Walks rows in id order and returns the first that breaks the chain, or null when all hold.</summary>
    public static AuditBreak? Verify(IEnumerable<(AuditRecord Record, string PreviousHash, string Hash)> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var verifier = new AuditChainVerifier();
        foreach (var (record, previousHash, hash) in rows)
        {
            var problem = verifier.Next(record, previousHash, hash);
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }
}

/// <summary>Checks rows one at a time, in id order, so a long log can be streamed.</summary>
public sealed class AuditChainVerifier
{
    private string _expectedPrevious = AuditChain.Genesis;

    public AuditBreak? Next(AuditRecord record, string previousHash, string hash)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!string.Equals(previousHash, _expectedPrevious, StringComparison.Ordinal))
        {
            return new AuditBreak(record.Id, "previous_hash does not match the hash of the row before it (a row was removed, inserted or re-ordered)");
        }

        if (!string.Equals(AuditChain.ComputeHash(previousHash, record), hash, StringComparison.Ordinal))
        {
            return new AuditBreak(record.Id, "content does not match its hash (the row was modified)");
        }

        _expectedPrevious = hash;
        return null;
    }
}

public sealed record AuditBreak(long Id, string Problem);
