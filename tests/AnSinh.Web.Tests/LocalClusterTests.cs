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
    public async Task NoPostgreSqlBinaries_ExitsWithOneSentenceOnHowToInstall()
    {
        var data = Directory.CreateTempSubdirectory("ansinh-nopg-").FullName;
        var result = await CliRunner.RunAsync(new Dictionary<string, string?> { ["ANSINH_DATA"] = data, ["PG_BIN"] = "/nonexistent" }, "db", "migrate");

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("apt-get install -y postgresql postgresql-contrib");
        Directory.Delete(data, recursive: true);
    }

    [Fact]
    public void FindBinaries_PrefersTheNewestDebianVersion()
    {
        var bin = LocalCluster.FindBinaries();

        bin.ShouldNotBeNull();
        bin.ShouldStartWith("/usr/lib/postgresql/");
        File.Exists(Path.Combine(bin, "initdb")).ShouldBeTrue();
    }
}
