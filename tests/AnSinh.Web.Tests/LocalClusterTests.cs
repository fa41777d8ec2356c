using AnSinh.Web.Database;
using AnSinh.Web.Tests.Support;
using Shouldly;

namespace AnSinh.Web.Tests;

/// <summary>With no connection string the app runs its own PostgreSQL cluster under the data folder.</summary>
public sealed class LocalClusterTests
{
    [Fact]
    public async Task NoConnectionString_CreatesStartsAndStopsAPrivateCluster()
    {
        var data = Directory.CreateTempSubdirectory("ansinh-local-").FullName;
        var env = new Dictionary<string, string?> { ["ANSINH_DATA"] = data, ["ANSINH_ADMIN_PASSWORD"] = AppFixture.AdminPassword };
        try
        {
            var first = await CliRunner.RunAsync(env, "seed", "demo", "--province", "19", "--people", "20");
            first.ExitCode.ShouldBe(0, first.Stderr);
            File.Exists(Path.Combine(data, "pg", "data", "PG_VERSION")).ShouldBeTrue();
            // Only a unix socket inside the data folder: no TCP port is opened.
            File.ReadAllText(Path.Combine(data, "pg", "data", "postmaster.opts")).ShouldContain("listen_addresses=");
            // The server log is its owner's alone and never carries the values of a failed row (citizen IDs).
            File.GetUnixFileMode(Path.Combine(data, "pg", "server.log")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            File.ReadAllText(Path.Combine(data, "pg", "data", "postmaster.opts")).ShouldContain("log_error_verbosity=terse");
            File.Exists(Path.Combine(data, "pg", "data", "postmaster.pid")).ShouldBeFalse("the cluster is stopped when the command exits");

            var second = await CliRunner.RunAsync(env, "audit", "verify");
            second.ExitCode.ShouldBe(0, second.Stderr);
            second.Stdout.ShouldContain("Audit chain OK");
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Serve_OnSigterm_StopsTheClusterItStarted()
    {
        var data = Directory.CreateTempSubdirectory("ansinh-serve-").FullName;
        var port = System.Net.Sockets.TcpListener.Create(0) is var l ? Start(l) : 0;
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { CliRunner.AppDll, "serve", "--urls", $"http://127.0.0.1:{port}" })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment.Remove("ConnectionStrings__AnSinh");
        psi.Environment["ANSINH_DATA"] = data;
        psi.Environment["ANSINH_ADMIN_PASSWORD"] = AppFixture.AdminPassword;
        using var app = System.Diagnostics.Process.Start(psi)!;
        var pid = Path.Combine(data, "pg", "data", "postmaster.pid");
        try
        {
            using var http = new HttpClient();
            var healthy = false;
            for (var i = 0; i < 120 && !healthy; i++)
            {
                await Task.Delay(250, TestContext.Current.CancellationToken);
                healthy = await http.GetAsync($"http://127.0.0.1:{port}/health", TestContext.Current.CancellationToken).ContinueWith(t => t.IsCompletedSuccessfully && t.Result.IsSuccessStatusCode, TaskScheduler.Default);
            }

            healthy.ShouldBeTrue();
            File.Exists(pid).ShouldBeTrue();

            using (var term = System.Diagnostics.Process.Start("kill", ["-TERM", app.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync(TestContext.Current.CancellationToken);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await app.WaitForExitAsync(timeout.Token);
            File.Exists(pid).ShouldBeFalse("the private cluster must stop when the app exits");
        }
        finally
        {
            if (!app.HasExited)
            {
                app.Kill(entireProcessTree: true);
            }

            Directory.Delete(data, recursive: true);
        }

        static int Start(System.Net.Sockets.TcpListener listener)
        {
            listener.Start();
            var p = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return p;
        }
    }

    [Fact]
    public async Task NoPostgreSqlBinaries_ExitsWithOneSentenceOnHowToInstall()
    {
        var data = Directory.CreateTempSubdirectory("ansinh-nopg-").FullName;
        var result = await CliRunner.RunAsync(new Dictionary<string, string?> { ["ANSINH_DATA"] = data, ["PG_BIN"] = "/nonexistent" }, "db", "migrate");

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("apt-get install -y postgresql postgresql-contrib");
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public void FindNewest_PicksTheHighestCompleteVersion_ComparingNumbers()
    {
        var root = Directory.CreateTempSubdirectory("pg-versions-").FullName;
        try
        {
            foreach (var (version, tools) in new[] { ("9", new[] { "initdb", "pg_ctl" }), ("13", ["initdb", "pg_ctl"]), ("15", ["initdb", "pg_ctl"]), ("17", ["pg_ctl"]) })
            {
                var bin = Directory.CreateDirectory(Path.Combine(root, version, "bin")).FullName;
                foreach (var tool in tools)
                {
                    File.WriteAllText(Path.Combine(bin, tool), "");
                }
            }

            // 17 lacks initdb; 15 beats 9 and 13 as a number, not as text ("9" > "15").
            LocalCluster.FindNewest(root).ShouldBe(Path.Combine(root, "15", "bin"));
            LocalCluster.FindNewest(Path.Combine(root, "missing")).ShouldBeNull();
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
