using System.Text.Json;
using AnSinh.Web.Tests.Support;
using Npgsql;
using Shouldly;

namespace AnSinh.Web.Tests.Rules;

/// <summary>`rules evaluate` through the real binary: its input/output contract and exit codes.</summary>
public sealed class RulesEvaluateCommandTests
{
    private static string Fixture(string name) => Path.Combine(AppContext.BaseDirectory, "Rules", "Fixtures", name);

    private static async Task<(CliResult Result, JsonElement[] Output)> EvaluateAsync(string connectionString, string inputFile, params string[] extra)
    {
        var output = Path.Combine(Directory.CreateTempSubdirectory("rules-").FullName, "results.json");
        var result = await CliRunner.RunAsync(connectionString, ["rules", "evaluate", "--input", inputFile, "--output", output, .. extra]);
        var parsed = File.Exists(output) ? JsonSerializer.Deserialize<JsonElement[]>(await File.ReadAllTextAsync(output, TestContext.Current.CancellationToken))! : [];
        return (result, parsed);
    }

    [Fact]
    public async Task HandComputedCases_GiveTheExpectedAmountsAndErrors()
    {
        var expected = JsonSerializer.Deserialize<JsonElement[]>(await File.ReadAllTextAsync(Fixture("expected.json"), TestContext.Current.CancellationToken))!;

        var (result, output) = await EvaluateAsync(await TestDatabase.CreateMigratedAsync(), Fixture("cases.json"), "--known-on", "2026-11-21");

        result.ExitCode.ShouldBe(0, result.Stderr);
        output.Select(o => o.GetProperty("id").ToString()).ShouldBe(expected.Select(e => e.GetProperty("id").ToString()));
        for (var i = 0; i < expected.Length; i++)
        {
            var id = expected[i].GetProperty("id").ToString();
            if (expected[i].TryGetProperty("amount", out var amount))
            {
                output[i].TryGetProperty("error", out var err).ShouldBeFalse($"{id}: {err}");
                output[i].GetProperty("amount").GetInt64().ShouldBe(amount.GetInt64(), id);
                output[i].GetProperty("lines").EnumerateArray().Sum(l => l.GetProperty("amount").GetInt64()).ShouldBe(amount.GetInt64(), id);
            }
            else
            {
                output[i].GetProperty("error").GetString()!.ShouldContain(expected[i].GetProperty("errorMentions").GetString()!, Case.Insensitive, id);
                output[i].TryGetProperty("amount", out _).ShouldBeFalse(id);
            }
        }
    }

    [Fact]
    public async Task NoOutputOption_WritesTheResultsToStdout()
    {
        var input = Path.Combine(Directory.CreateTempSubdirectory("rules-").FullName, "one.json");
        await File.WriteAllTextAsync(input, """[{"id":"c1","month":"2024-07","province":"19","birthDate":"1950-03-15","categories":[{"code":"5a"}]}]""", TestContext.Current.CancellationToken);

        var result = await CliRunner.RunAsync(await TestDatabase.CreateMigratedAsync(), "rules", "evaluate", "--input", input);

        result.ExitCode.ShouldBe(0, result.Stderr);
        var output = JsonSerializer.Deserialize<JsonElement[]>(result.Stdout)!;
        var line = output.ShouldHaveSingleItem().GetProperty("lines").EnumerateArray().ShouldHaveSingleItem();
        line.GetProperty("code").GetString().ShouldBe("5a");
        line.GetProperty("coefficient").GetDecimal().ShouldBe(1.5m);
        line.GetProperty("base").GetInt64().ShouldBe(500_000);
        line.GetProperty("amount").GetInt64().ShouldBe(750_000);
        line.GetProperty("reference").GetString()!.ShouldContain("Nghị định 20/2021/NĐ-CP");
    }

    [Theory]
    [InlineData("""{"id":"c1"}""", "must be a JSON array")]
    [InlineData("""[{"id":"c1","month":"2024-07"}, 42]""", "element [1] is not an object")]
    [InlineData("""[{"id":"c1",""", "not valid JSON")]
    [InlineData("", "not valid JSON")]
    public async Task InputNotAnArrayOfCases_ExitsNonZeroAndWritesNothing(string content, string message)
    {
        var dir = Directory.CreateTempSubdirectory("rules-").FullName;
        var input = Path.Combine(dir, "bad.json");
        await File.WriteAllTextAsync(input, content, TestContext.Current.CancellationToken);

        var (result, output) = await EvaluateAsync(await TestDatabase.CreateMigratedAsync(), input);

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain(message);
        output.ShouldBeEmpty();
    }

    [Fact]
    public async Task MissingInputFile_IsAUsageError()
    {
        var result = await CliRunner.RunAsync(await TestDatabase.CreateMigratedAsync(), "rules", "evaluate", "--input", "/nonexistent/cases.json");

        result.ExitCode.ShouldNotBe(0);
        result.Stderr.ShouldContain("/nonexistent/cases.json");
    }

    [Fact]
    public async Task ProvinceOverrideInTheDatabase_IsApplied_UnlessNationalOnly()
    {
        var db = await TestDatabase.CreateMigratedAsync();
        await using (var conn = new NpgsqlConnection(db))
        {
            await conn.OpenAsync(TestContext.Current.CancellationToken);
            await using var cmd = new NpgsqlCommand("""
                INSERT INTO province_rule_override (province_code, kind, from_month, amount, reference, decided_on, created_by)
                VALUES ('19', 'base_level', '2025-01-01', 600000, 'Nghị quyết 12/2024/NQ-HĐND', '2024-12-15', 'test')
                """, conn);
            await cmd.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var input = Path.Combine(Directory.CreateTempSubdirectory("rules-").FullName, "one.json");
        await File.WriteAllTextAsync(input, """[{"id":"c1","month":"2025-03","province":"19","birthDate":"1950-03-15","categories":[{"code":"5a"}]}]""", TestContext.Current.CancellationToken);

        var (_, withOverride) = await EvaluateAsync(db, input);
        var (_, national) = await EvaluateAsync(db, input, "--national-only");

        withOverride.Single().GetProperty("amount").GetInt64().ShouldBe(900_000); // 1.5 × 600,000
        national.Single().GetProperty("amount").GetInt64().ShouldBe(750_000);     // 1.5 × 500,000
    }

    [Fact]
    public async Task NationalOnly_NeedsNoDatabaseAtAll()
    {
        var input = Path.Combine(Directory.CreateTempSubdirectory("rules-").FullName, "one.json");
        await File.WriteAllTextAsync(input, """[{"id":"c1","month":"2024-07","province":"19","birthDate":"1950-03-15","categories":[{"code":"5a"}]}]""", TestContext.Current.CancellationToken);
        var env = new Dictionary<string, string?> { ["ANSINH_DATA"] = Directory.CreateTempSubdirectory("no-db-").FullName, ["PG_BIN"] = "/nonexistent" };

        var result = await CliRunner.RunAsync(env, "rules", "evaluate", "--input", input, "--national-only");

        result.ExitCode.ShouldBe(0, result.Stderr);
        JsonSerializer.Deserialize<JsonElement[]>(result.Stdout)!.Single().GetProperty("amount").GetInt64().ShouldBe(750_000);
    }
}
