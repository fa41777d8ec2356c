using System.Diagnostics;
using System.Net;
using System.Text.RegularExpressions;
using Npgsql;
using Xunit;

[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: TestCaseOrderer(typeof(AnSinh.Drills.Tests.ByName))]

namespace AnSinh.Drills.Tests;

/// <summary>The drills build on one another (the run approved in one is the one whose results come back in the next), so they run in name order.</summary>
public sealed class ByName : Xunit.v3.ITestCaseOrderer
{
    public IReadOnlyCollection<TTestCase> OrderTestCases<TTestCase>(IReadOnlyCollection<TTestCase> testCases) where TTestCase : notnull, Xunit.Sdk.ITestCase =>
        [.. testCases.OrderBy(t => t.TestCaseDisplayName, StringComparer.Ordinal)];
}

/// <summary>
/// The production shape on this machine, from the ops/ scripts: a pg_auto_failover formation (monitor, primary,
/// synchronous secondary, pgBackRest archiving, HAProxy to the primary, two PgBouncers) and two AnSinh processes behind
/// HAProxy, seeded with the demo province (its staff and four months of payroll). The app's clock is pinned to
/// 21/11/2026 10:00 in Vietnam. Torn down at the end unless ANSINH_DRILLS_KEEP is set.
/// </summary>
public sealed class Formation : IAsyncLifetime
{
    public const string ProxyUrl = "http://127.0.0.1:5100";
    public const string Province = "19";
    public const string Ops = "/tmp/ansinh-ops";

    /// <summary>The audit chain's advisory lock (AuditLog.ChainLockKey): a drill holds it to stop a command inside its transaction.</summary>
    public const long AuditChainLock = 0x61756469745f6c;

    private static readonly Dictionary<string, string> AppEnvironment = new()
    {
        ["Clock__FixedUtc"] = "2026-11-21T03:00:00Z",
        ["ANSINH_DEMO_PEOPLE"] = "400",
        ["ANSINH_OPS"] = Ops,
    };

    public string Direct { get; private set; } = "";
    public string DemoPassword { get; private set; } = "";

    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AnSinh.slnx")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("AnSinh.slnx not found above the drills.");
        }
    }

    public static string AppDll => Path.Combine(Root, "src/AnSinh.Web/bin/Release/net10.0/AnSinh.Web.dll");

    public async ValueTask InitializeAsync()
    {
        await ShAsync("ops/app.sh", "stop");
        await ShAsync("ops/formation.sh", "stop");
        await ShAsync("ops/formation.sh", "start");
        Direct = (await ShAsync("ops/formation.sh", "url")).Trim() + ";Pooling=false";
        await ShAsync("ops/app.sh", "start");
        DemoPassword = Regex.Match(await File.ReadAllTextAsync(Path.Combine(Ops, "seed.log")), @"shared password: (\S+)").Groups[1].Value;
    }

    public async ValueTask DisposeAsync()
    {
        // The instances' JSON logs, scanned by ./test.sh for personal data with every other log of the run.
        var logs = Directory.CreateDirectory(Path.Combine(Root, "artifacts", "logs")).FullName;
        foreach (var log in Directory.EnumerateFiles(Ops, "app*.log"))
        {
            File.Copy(log, Path.Combine(logs, "drills-" + Path.GetFileName(log)), overwrite: true);
        }

        if (Environment.GetEnvironmentVariable("ANSINH_DRILLS_KEEP") is null)
        {
            await ShAsync("ops/app.sh", "stop");
            await ShAsync("ops/formation.sh", "stop");
        }
    }

    /// <summary>Runs a command from the repository's root; its output, or an exception with it when it fails.</summary>
    public static async Task<string> ShAsync(string file, params string[] args) => (await RunAsync(file, args, null, check: true)).Output;

    public static async Task<(int Exit, string Output)> RunAsync(string file, string[] args, IDictionary<string, string>? env, bool check)
    {
        var start = new ProcessStartInfo(file.Contains('/', StringComparison.Ordinal) ? Path.Combine(Root, file) : file) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        foreach (var (k, v) in AppEnvironment)
        {
            start.Environment[k] = v;
        }

        foreach (var (k, v) in env ?? new Dictionary<string, string>())
        {
            start.Environment[k] = v;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        await process.WaitForExitAsync(timeout.Token);
        var text = await output + await error;
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited {process.ExitCode}:\n{text}");
        }

        return (process.ExitCode, text);
    }

    /// <summary>`AnSinh.Web audit verify` against a database: the app's own check of the hash chain.</summary>
    public static Task<(int Exit, string Output)> AuditVerifyAsync(string connectionString) =>
        RunAsync("dotnet", [AppDll, "audit", "verify"], new Dictionary<string, string> { ["ConnectionStrings__AnSinh"] = connectionString }, check: false);

    public async Task<T> ScalarAsync<T>(string sql, string? connectionString = null)
    {
        await using var conn = new NpgsqlConnection(connectionString ?? Direct);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var value = await cmd.ExecuteScalarAsync();
        return value is null or DBNull ? default! : (T)Convert.ChangeType(value, Nullable.GetUnderlyingType(typeof(T)) ?? typeof(T), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async Task ExecAsync(string sql)
    {
        await using var conn = new NpgsqlConnection(Direct);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The node the monitor holds as primary (1 or 2), waiting for one while a failover is under way.</summary>
    public async Task<int> PrimaryAsync(int not = 0)
    {
        var monitor = "Host=127.0.0.1;Port=6000;Database=pg_auto_failover;Username=autoctl_node;Pooling=false";
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (true)
        {
            try
            {
                var name = await ScalarAsync<string?>("""
                    SELECT nodename FROM pgautofailover.node WHERE reportedstate = goalstate AND goalstate IN ('primary', 'wait_primary', 'single')
                    """, monitor);
                if (name is not null && name != $"node{not}")
                {
                    return int.Parse(name[4..], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            catch (NpgsqlException)
            {
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("No primary after 120 s.");
            }

            await Task.Delay(500);
        }
    }

    /// <summary>kill -9 the primary's keeper and PostgreSQL (the server is lost); returns which node it was.</summary>
    public async Task<int> KillPrimaryAsync()
    {
        var node = await PrimaryAsync();
        await ShAsync("ops/formation.sh", "kill", node.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return node;
    }

    /// <summary>The lost node comes back and rejoins as the secondary; the formation is whole again.</summary>
    public async Task ReviveAsync(int node)
    {
        await ShAsync("ops/formation.sh", "revive", node.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await ShAsync("ops/formation.sh", "wait");
    }

    /// <summary>Kills or restarts an app instance and waits until HAProxy has seen it (checks every second).</summary>
    public static async Task InstanceAsync(string action, int instance)
    {
        await ShAsync("ops/app.sh", action, instance.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var want = action == "kill" ? "DOWN" : "UP";
        using var stats = new HttpClient();
        await WaitUntilAsync(async () => (await stats.GetStringAsync("http://127.0.0.1:5199/;csv")).Split('\n')
            .Any(l => l.StartsWith($"app,app{instance},", StringComparison.Ordinal) && l.Split(',')[17].StartsWith(want, StringComparison.Ordinal)), $"HAProxy to see app{instance} {want}", 30);
    }

    public async Task<HttpClient> SignedInAsync(string userName, string baseUrl = ProxyUrl)
    {
        var client = Client(baseUrl, new CookieContainer());
        var response = await PostFormAsync(client, "/Account/Login", new() { ["UserName"] = userName, ["Password"] = DemoPassword });
        return response.StatusCode == HttpStatusCode.Redirect ? client : throw new InvalidOperationException($"Sign-in of {userName}: {(int)response.StatusCode}");
    }

    public static HttpClient Client(string baseUrl, CookieContainer cookies) =>
        new(new HttpClientHandler { CookieContainer = cookies, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromMinutes(3) };

    public static async Task<HttpResponseMessage> PostFormAsync(HttpClient client, string url, Dictionary<string, string> fields)
    {
        var token = Regex.Match(await client.GetStringAsync(url), "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"");
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);
        return await client.PostAsync(url, new FormUrlEncodedContent(fields));
    }

    /// <summary>
    /// A transaction on the primary holding a lock (the audit chain's advisory lock, a table lock), so that a command of
    /// the app stops inside its own transaction when it reaches it: a drill's kill then lands mid-transaction every time.
    /// </summary>
    public async Task<Holder> HoldAsync(string lockSql)
    {
        var conn = new NpgsqlConnection(Direct);
        await conn.OpenAsync();
        var tx = await conn.BeginTransactionAsync();
        await using (var cmd = new NpgsqlCommand(lockSql, conn, tx))
        {
            await cmd.ExecuteNonQueryAsync();
        }

        return new Holder(conn, tx);
    }

    public sealed class Holder(NpgsqlConnection conn, NpgsqlTransaction tx) : IAsyncDisposable
    {
        /// <summary>Waits until a backend of the app waits on a lock (this holder's).</summary>
        public async Task WaitForWaiterAsync(string what)
        {
            for (var i = 0; i < 240; i++)
            {
                await using var cmd = new NpgsqlCommand("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()", conn, tx);
                if ((long)(await cmd.ExecuteScalarAsync())! > 0)
                {
                    return;
                }

                await Task.Delay(250);
            }

            throw new TimeoutException($"{what} never reached the held lock.");
        }

        public Task ReleaseAsync() => tx.RollbackAsync();

        public async ValueTask DisposeAsync()
        {
            await tx.DisposeAsync(); // its server may be gone (the drill killed it): disposing never throws for that
            await conn.DisposeAsync();
        }
    }

    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what, int seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {seconds} s for {what}.");
            }

            await Task.Delay(500);
        }
    }
}
