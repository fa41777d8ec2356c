using System.Diagnostics;
using System.Text.Json;
using AnSinh.Web.Tests.Support;
using Shouldly;

namespace AnSinh.Web.Tests.Payroll;

/// <summary>
/// The payroll CLI on a seeded demo province (20,000 people: the CI-sized smoke test of the national benchmark):
/// killed with SIGKILL halfway through computing, it leaves no line behind and the next run resumes cleanly; the
/// resumed run's total is the sum of its lines and of the rules evaluated person by person by another command.
/// </summary>
public sealed class PayrollCliTests
{
    private const string Clock = "2026-11-20T18:30:00Z";

    private static Dictionary<string, string?> Env(string connectionString) => new()
    {
        ["ConnectionStrings__AnSinh"] = connectionString, ["ANSINH_ADMIN_PASSWORD"] = AppFixture.AdminPassword, ["Clock__FixedUtc"] = Clock,
    };

    private static async Task<T> ScalarAsync<T>(string cs, string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(cs);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task Run_KilledWhileComputing_LeavesNoPartialRunAndResumes()
    {
        var ct = TestContext.Current.CancellationToken;
        var cs = await TestDatabase.CreateMigratedAsync();
        (await CliRunner.RunAsync(Env(cs), "seed", "demo", "--province", "19", "--people", "20000")).ExitCode.ShouldBe(0);

        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var a in new[] { CliRunner.AppDll, "payroll", "run", "--province", "19", "--month", "2026-12" })
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in Env(cs))
        {
            psi.Environment[k] = v;
        }

        using (var child = Process.Start(psi)!)
        {
            _ = child.StandardOutput.ReadToEndAsync(ct);
            _ = child.StandardError.ReadToEndAsync(ct);
            var stopwatch = Stopwatch.StartNew();
            while (await ScalarAsync<long>(cs, "SELECT count(*) FROM payroll_progress WHERE done > 0") == 0)
            {
                child.HasExited.ShouldBeFalse("the run finished before it could be killed");
                stopwatch.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(2));
                await Task.Delay(20, ct);
            }

            child.Kill(entireProcessTree: true); // SIGKILL: no clean-up runs
            await child.WaitForExitAsync(ct);
        }

        // Killed halfway: the run is still queued, and not one line, item or audit row of it was written.
        (await ScalarAsync<string>(cs, "SELECT status FROM payroll_run")).ShouldBe("computing");
        (await ScalarAsync<long>(cs, "SELECT count(*) FROM payroll_line")).ShouldBe(0);
        (await ScalarAsync<long>(cs, "SELECT count(*) FROM payroll_item")).ShouldBe(0);
        (await ScalarAsync<long>(cs, "SELECT count(*) FROM audit_log WHERE entity = 'payroll_run' AND action = 'compute'")).ShouldBe(0);

        var resumed = await CliRunner.RunAsync(Env(cs), "payroll", "run", "--province", "19", "--month", "2026-12");
        resumed.ExitCode.ShouldBe(0, resumed.Stderr);
        resumed.Stdout.ShouldContain("resuming run");
        (await ScalarAsync<string>(cs, "SELECT status FROM payroll_run")).ShouldBe("draft");
        var total = await ScalarAsync<long>(cs, "SELECT total FROM payroll_run");
        total.ShouldBeGreaterThan(0);
        (await ScalarAsync<decimal>(cs, "SELECT sum(total) FROM payroll_line")).ShouldBe(total);
        (await ScalarAsync<decimal>(cs, "SELECT sum(amount) FROM payroll_item")).ShouldBe(total);

        // A first run has no history: its social assistance is the rules evaluated person by person for December,
        // here through `rules evaluate`, which shares none of the payroll's code but the rules.
        var cases = await ScalarAsync<string>(cs, """
            SELECT json_agg(json_build_object('id', e.person_id::text, 'month', '2026-12', 'province', e.province_code,
                   'birthDate', to_char(p.birth_date, 'YYYY-MM-DD'), 'categories', e.categories))::text
            FROM enrolment e JOIN person p ON p.id = e.person_id WHERE e.programme = 'social_assistance'
            """);
        var dir = Directory.CreateTempSubdirectory("payroll-").FullName;
        await File.WriteAllTextAsync(Path.Combine(dir, "cases.json"), cases, ct);
        var evaluated = await CliRunner.RunAsync(Env(cs), "rules", "evaluate", "--input", Path.Combine(dir, "cases.json"), "--output", Path.Combine(dir, "out.json"), "--known-on", "2026-11-21");
        evaluated.ExitCode.ShouldBe(0, evaluated.Stderr);
        var results = JsonSerializer.Deserialize<JsonElement[]>(await File.ReadAllTextAsync(Path.Combine(dir, "out.json"), ct))!;
        // Whom the rules refuse (a 5b who turns 80 and should be 5c by now), the run lists as problems, no more, no fewer.
        var refused = results.Where(r => r.TryGetProperty("error", out _)).Select(r => r.GetProperty("id").GetString()).Order().ToList();
        (await ScalarAsync<string>(cs, "SELECT coalesce(string_agg(person_id::text, ',' ORDER BY person_id::text), '') FROM payroll_problem"))
            .ShouldBe(string.Join(",", refused));
        var byRules = results.Where(r => !r.TryGetProperty("error", out _)).Sum(r => r.GetProperty("amount").GetInt64());
        (await ScalarAsync<decimal>(cs, "SELECT sum(amount) FROM payroll_item WHERE programme = 'social_assistance'")).ShouldBe(byRules);
    }
}
