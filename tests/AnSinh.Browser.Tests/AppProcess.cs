using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace AnSinh.Browser.Tests;

/// <summary>The real AnSinh.Web binary, started as a process on a free loopback port with a fresh database.</summary>
public class AppProcess : IAsyncLifetime
{
    public const string AdminPassword = "Browser-Admin-Pass-1";
    public const string UserPassword = "Browser-User-Pass-1";

    private Process? _process;
    private readonly System.Text.StringBuilder _output = new();

    public string BaseUrl { get; private set; } = "";
    public string ConnectionString { get; private set; } = "";

    /// <summary>The demo staff's shared password, when the demo was seeded with its staff and payroll history.</summary>
    public string DemoPassword { get; private set; } = "";

    /// <summary>Seeds the demo with its staff and months of payroll history (files, results, exceptions), as ./run.sh does.</summary>
    protected virtual bool Staffed => false;

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "AnSinh.slnx")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("AnSinh.slnx not found above the test folder.");
        }
    }

    public static string ArtifactsDir => Directory.CreateDirectory(Path.Combine(RepoRoot, "artifacts", "browser")).FullName;

    public async ValueTask InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable("ANSINH_TEST_PG")
            ?? throw new InvalidOperationException("ANSINH_TEST_PG is not set: run the tests with ./test.sh.");
        var name = "b_" + Guid.NewGuid().ToString("N")[..16];
        await using (var conn = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(server) { Database = "postgres" }.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'", conn);
            await cmd.ExecuteNonQueryAsync();
        }

        ConnectionString = new NpgsqlConnectionStringBuilder(server) { Database = name }.ConnectionString;
        var seed = Staffed ? Start("seed", "demo", "--province", "19", "--people", "300", "--staff") : Start("seed", "demo", "--province", "19", "--people", "300");
        var seedOutput = await seed.StandardOutput.ReadToEndAsync();
        await seed.WaitForExitAsync();
        DemoPassword = System.Text.RegularExpressions.Regex.Match(seedOutput, @"shared password: (\S+)").Groups[1].Value;
        if (seed.ExitCode != 0)
        {
            throw new InvalidOperationException("seed demo failed: " + await seed.StandardError.ReadToEndAsync());
        }

        foreach (var user in new[]
        {
            new[] { "users", "add", "--username", "xa01840", "--full-name", "Cán bộ Đức Xuân", "--role", "commune_officer", "--commune", "01840", "--password", UserPassword },
            new[] { "users", "add", "--username", "lanhdao19", "--full-name", "Nguyễn Văn Quyết", "--role", "province_approver", "--province", "19", "--password", UserPassword, "--title", "Phó Chủ tịch" },
            new[] { "users", "add", "--username", "chutich01840", "--full-name", "Lò Văn Chủ", "--role", "commune_approver", "--commune", "01840", "--password", UserPassword, "--title", "Chủ tịch" },
            new[] { "users", "add", "--username", "tinh19", "--full-name", "Chuyên viên Trần Thị Tỉnh", "--role", "province_officer", "--province", "19", "--password", UserPassword },
        })
        {
            var add = Start(user);
            await add.WaitForExitAsync();
            if (add.ExitCode != 0)
            {
                throw new InvalidOperationException("users add failed: " + await add.StandardError.ReadToEndAsync());
            }
        }

        var port = FreePort();
        BaseUrl = $"http://127.0.0.1:{port}";
        _process = Start("serve", "--urls", BaseUrl);
        _process.OutputDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.ErrorDataReceived += (_, e) => { lock (_output) { _output.AppendLine(e.Data); } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient();
        for (var i = 0; i < 120; i++)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException("The app exited: " + _output);
            }

            try
            {
                if ((await http.GetAsync(BaseUrl + "/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        throw new TimeoutException("The app did not answer /health within 30 s: " + _output);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        string output;
        lock (_output)
        {
            output = _output.ToString();
        }

        // The real process's console, scanned by ./test.sh for personal data with every other log of the run.
        await File.WriteAllTextAsync(Path.Combine(Directory.CreateDirectory(Path.Combine(RepoRoot, "artifacts", "logs")).FullName, $"browser-{Guid.NewGuid():N}.log"), output);
    }

    private Process Start(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "AnSinh.Web.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["ConnectionStrings__AnSinh"] = ConnectionString;
        psi.Environment["Database__AutoMigrate"] = "true";
        psi.Environment["ANSINH_ADMIN_PASSWORD"] = AdminPassword;
        // Pinned: 18:30 UTC on 20/11/2026 is already 21/11/2026 in Vietnam, and the process runs in UTC.
        psi.Environment["Clock__FixedUtc"] = "2026-11-20T18:30:00Z";
        psi.Environment["TZ"] = "UTC";
        return Process.Start(psi)!;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>The app over the demo as ./run.sh seeds it: staff, a post office and a bank, four months paid through them.</summary>
public sealed class StaffedAppProcess : AppProcess
{
    protected override bool Staffed => true;
}
