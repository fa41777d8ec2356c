using Npgsql;
using NpgsqlTypes;

namespace AnSinh.Web.Database;

/// <summary>Writing a value that may be missing into a binary COPY row.</summary>
public static class CopyValues
{
    public static async Task WriteNullableAsync<T>(this NpgsqlBinaryImporter w, T? value, NpgsqlDbType type, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(w);
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
