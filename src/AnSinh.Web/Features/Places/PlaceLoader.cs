using System.Security.Cryptography;
using System.Text;
using Npgsql;
using NpgsqlTypes;

namespace AnSinh.Web.Features.Places;

/// <summary>
/// Loads the embedded place lists (Data/*.csv, from the dvhcvn/20250701 project, MIT: see Data/README.md)
/// into the database. Re-loads only when a file's checksum changed; all or nothing.
/// </summary>
public static class PlaceLoader
{
    public const string UnitsFile = "admin-units-2025.csv";
    public const string MappingFile = "commune-mapping-2025.csv";

    public static string ReadEmbedded(string file)
    {
        using var stream = typeof(PlaceLoader).Assembly.GetManifestResourceStream("AnSinh.Data." + file)
            ?? throw new InvalidOperationException($"Embedded data file {file} is missing.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    /// <summary>Rows of a header-first CSV without quoting; a row with the wrong field count is an error naming its line.</summary>
    public static IEnumerable<string[]> Rows(string file, string text, int fields)
    {
        ArgumentNullException.ThrowIfNull(text);
        var lines = text.ReplaceLineEndings("\n").Split('\n');
        for (var i = 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0)
            {
                continue;
            }

            var parts = lines[i].Split(',');
            if (parts.Length != fields)
            {
                throw new InvalidDataException($"{file} line {i + 1}: expected {fields} fields, found {parts.Length}.");
            }

            yield return parts;
        }
    }

    /// <returns>True when anything was (re)loaded.</returns>
    public static async Task<bool> LoadAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        var units = ReadEmbedded(UnitsFile);
        var mapping = ReadEmbedded(MappingFile);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(units + "\n--\n" + mapping)));

        await using var conn = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var tx = await conn.BeginTransactionAsync(ct).ConfigureAwait(false);
        await Exec(conn, tx, "LOCK TABLE reference_data IN EXCLUSIVE MODE", ct).ConfigureAwait(false);
        await using (var check = new NpgsqlCommand("SELECT checksum FROM reference_data WHERE name = 'places'", conn, tx))
        {
            if (await check.ExecuteScalarAsync(ct).ConfigureAwait(false) as string == checksum)
            {
                return false;
            }
        }

        var rows = Rows(UnitsFile, units, 4).ToList();
        await Exec(conn, tx, "CREATE TEMP TABLE unit_in (code text, name text, level text, parent text) ON COMMIT DROP", ct).ConfigureAwait(false);
        await using (var w = await conn.BeginBinaryImportAsync("COPY unit_in FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            foreach (var r in rows)
            {
                await w.StartRowAsync(ct).ConfigureAwait(false);
                foreach (var f in r)
                {
                    await w.WriteAsync(f, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                }
            }

            await w.CompleteAsync(ct).ConfigureAwait(false);
        }

        await Exec(conn, tx, """
            INSERT INTO province (code, name) SELECT code, name FROM unit_in WHERE level = 'province'
              ON CONFLICT (code) DO UPDATE SET name = excluded.name;
            INSERT INTO commune (code, name, province_code) SELECT code, name, parent FROM unit_in WHERE level = 'commune'
              ON CONFLICT (code) DO UPDATE SET name = excluded.name, province_code = excluded.province_code;
            DELETE FROM commune_mapping;
            """, ct).ConfigureAwait(false);

        var mapRows = 0;
        await using (var w = await conn.BeginBinaryImportAsync(
            "COPY commune_mapping (old_province_code, old_province_name, old_commune_code, old_commune_name, new_commune_code, new_commune_name) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false))
        {
            foreach (var r in Rows(MappingFile, mapping, 6))
            {
                await w.StartRowAsync(ct).ConfigureAwait(false);
                foreach (var f in r)
                {
                    await w.WriteAsync(f, NpgsqlDbType.Text, ct).ConfigureAwait(false);
                }

                mapRows++;
            }

            await w.CompleteAsync(ct).ConfigureAwait(false);
        }

        await using (var record = new NpgsqlCommand("""
            INSERT INTO reference_data (name, checksum, rows) VALUES ('places', @c, @r)
            ON CONFLICT (name) DO UPDATE SET checksum = excluded.checksum, rows = excluded.rows, loaded_at = now()
            """, conn, tx))
        {
            record.Parameters.AddWithValue("c", checksum);
            record.Parameters.AddWithValue("r", rows.Count + mapRows);
            await record.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    private static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }
}
