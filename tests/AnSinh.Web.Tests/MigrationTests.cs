using AnSinh.Web.Database;
using AnSinh.Web.Tests.Support;
using Npgsql;
using Shouldly;

namespace AnSinh.Web.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task Migrate_EmptyDatabase_AppliesAllThenReapplyIsANoOp()
    {
        var cs = await TestDatabase.CreateEmptyAsync();
        await using var ds = NpgsqlDataSource.Create(cs);
        var all = Migration.Embedded();
        all.Count.ShouldBeGreaterThanOrEqualTo(4);

        var first = await Migrator.MigrateAsync(ds, all, TestContext.Current.CancellationToken);
        var second = await Migrator.MigrateAsync(ds, all, TestContext.Current.CancellationToken);

        first.Applied.Select(m => m.Version).ShouldBe(all.Select(m => m.Version));
        second.Applied.ShouldBeEmpty();
        second.AlreadyApplied.ShouldBe(all.Count);
        await using var conn = await ds.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("SELECT string_agg(extname, ',' ORDER BY extname) FROM pg_extension WHERE extname IN ('unaccent', 'pg_trgm')", conn);
        (await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken)).ShouldBe("pg_trgm,unaccent");
    }

    [Fact]
    public async Task Migrate_AppliedFileEdited_IsRefusedNamingTheFile()
    {
        var cs = await TestDatabase.CreateEmptyAsync();
        await using var ds = NpgsqlDataSource.Create(cs);
        var all = Migration.Embedded();
        await Migrator.MigrateAsync(ds, all, TestContext.Current.CancellationToken);
        var edited = all.Select(m => m.Version == 2 ? m with { Sql = m.Sql + "\n-- edited\n" } : m).ToList();

        var e = await Should.ThrowAsync<MigrationException>(() => Migrator.MigrateAsync(ds, edited, TestContext.Current.CancellationToken));

        e.Message.ShouldContain($"0002_{all[1].Name}.sql was changed after it was applied");
    }

    [Fact]
    public async Task Migrate_FailingFile_RollsBackThatFileOnly()
    {
        var cs = await TestDatabase.CreateEmptyAsync();
        await using var ds = NpgsqlDataSource.Create(cs);
        var broken = new List<Migration>
        {
            new(1, "good", "CREATE TABLE good_one (id int);"),
            new(2, "bad", "CREATE TABLE half_done (id int); SELECT no_such_function();"),
        };

        var e = await Should.ThrowAsync<MigrationException>(() => Migrator.MigrateAsync(ds, broken, TestContext.Current.CancellationToken));

        e.Message.ShouldContain("0002_bad.sql failed");
        await using var conn = await ds.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("SELECT string_agg(version::text, ',') || '|' || (to_regclass('half_done') IS NULL)::text || '|' || (to_regclass('good_one') IS NOT NULL)::text FROM schema_version", conn);
        (await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken)).ShouldBe("1|true|true");
    }

    [Fact]
    public async Task Migrate_TwoInstancesAtOnce_ApplyEachFileOnce()
    {
        var cs = await TestDatabase.CreateEmptyAsync();
        await using var ds = NpgsqlDataSource.Create(cs);
        var all = Migration.Embedded();

        var results = await Task.WhenAll(
            Migrator.MigrateAsync(ds, all, TestContext.Current.CancellationToken),
            Migrator.MigrateAsync(ds, all, TestContext.Current.CancellationToken));

        results.Sum(r => r.Applied.Count).ShouldBe(all.Count);
    }

    [Fact]
    public async Task DbMigrateCommand_EmptyDatabase_AppliesAndLoadsPlaces()
    {
        var cs = await TestDatabase.CreateEmptyAsync();

        var result = await CliRunner.RunAsync(cs, "db", "migrate");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("applied 0001_places.sql");
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("SELECT (SELECT count(*) FROM province) * 10000 + (SELECT count(*) FROM commune)", conn);
        (await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken)).ShouldBe(34L * 10000 + 3321);
    }
}
