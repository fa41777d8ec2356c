using AnSinh.Web.Database;
using AnSinh.Web.Features.Places;
using Npgsql;

namespace AnSinh.Web.Tests.Support;

/// <summary>
/// Databases on the throwaway PostgreSQL server that test.sh starts (ANSINH_TEST_PG). Each test
/// class gets its own database, cloned from a template migrated once per test run.
/// </summary>
public static class TestDatabase
{
    private static readonly SemaphoreSlim TemplateGate = new(1, 1);
    private static string? _template;

    public static string ServerConnectionString =>
        Environment.GetEnvironmentVariable("ANSINH_TEST_PG")
        ?? throw new InvalidOperationException("ANSINH_TEST_PG is not set: run the tests with ./test.sh, which starts a throwaway PostgreSQL server.");

    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ServerConnectionString) { Database = database, Pooling = true }.ConnectionString;

    /// <summary>A new, empty database (no migrations).</summary>
    public static async Task<string> CreateEmptyAsync(string? template = null)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..16];
        await using var conn = new NpgsqlConnection(ConnectionStringFor("postgres"));
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {template ?? "template0"} ENCODING 'UTF8'", conn);
        await cmd.ExecuteNonQueryAsync();
        return ConnectionStringFor(name);
    }

    /// <summary>A new database with every migration applied and the places loaded.</summary>
    public static async Task<string> CreateMigratedAsync()
    {
        await TemplateGate.WaitAsync();
        try
        {
            if (_template is null)
            {
                var cs = await CreateEmptyAsync();
                await using (var ds = NpgsqlDataSource.Create(cs))
                {
                    await Migrator.MigrateAsync(ds, Migration.Embedded());
                    await PlaceLoader.LoadAsync(ds);
                }

                NpgsqlConnection.ClearAllPools();
                _template = new NpgsqlConnectionStringBuilder(cs).Database!;
            }

            return await CreateEmptyAsync(_template);
        }
        finally
        {
            TemplateGate.Release();
        }
    }
}
