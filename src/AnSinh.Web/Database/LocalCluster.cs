using System.Diagnostics;
using System.Globalization;
using Npgsql;

namespace AnSinh.Web.Database;

/// <summary>
/// A private PostgreSQL cluster under the data folder, for when no connection string is set:
/// created on first use from the machine's own PostgreSQL binaries, listening only on a unix
/// socket inside the data folder, started on every start and stopped when the app exits.
/// </summary>
public sealed class LocalCluster : IDisposable
{
    public const string DatabaseName = "ansinh";
    public const string AppRole = "ansinh";
    private const int SocketPort = 5432;
    private const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private readonly string _binDir;
    private readonly bool _runAsPostgres;
    private bool _startedByUs;

    private LocalCluster(string dataFolder, string binDir)
    {
        DataFolder = dataFolder;
        ClusterDir = Path.Combine(dataFolder, "pg");
        _binDir = binDir;
        _runAsPostgres = Environment.UserName == "root";
    }

    public string DataFolder { get; }
    public string ClusterDir { get; }
    private string PgData => Path.Combine(ClusterDir, "data");
    private string SocketDir => Path.Combine(ClusterDir, "run");

    public string ConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = SocketDir,
        Port = SocketPort,
        Database = DatabaseName,
        Username = AppRole,
    }.ConnectionString;

    private string SuperuserConnectionString => new NpgsqlConnectionStringBuilder
    {
        Host = SocketDir,
        Port = SocketPort,
        Database = "postgres",
        Username = "postgres",
    }.ConnectionString;

    /// <summary>The data folder: ANSINH_DATA, else ~/.local/share/ansinh.</summary>
    public static string DefaultDataFolder()
    {
        var configured = Environment.GetEnvironmentVariable("ANSINH_DATA");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".local", "share", "ansinh");
    }

    /// <summary>Finds initdb/pg_ctl in PG_BIN or /usr/lib/postgresql/*/bin (newest first).</summary>
    public static string? FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("PG_BIN");
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return File.Exists(Path.Combine(configured, "pg_ctl")) ? configured : null;
        }

        return FindNewest("/usr/lib/postgresql");
    }

    /// <summary>The bin folder of the highest numeric version under a Debian-style root that has both initdb and pg_ctl.</summary>
    public static string? FindNewest(string root)
    {
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => (Dir: Path.Combine(d, "bin"), Version: int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0))
            .Where(x => File.Exists(Path.Combine(x.Dir, "pg_ctl")) && File.Exists(Path.Combine(x.Dir, "initdb")))
            .OrderByDescending(x => x.Version)
            .Select(x => x.Dir)
            .FirstOrDefault();
    }

    public static LocalCluster Create(string dataFolder)
    {
        var bin = FindBinaries() ?? throw new LocalClusterException(
            "PostgreSQL không có trên máy này / PostgreSQL is not installed: run 'sudo apt-get install -y postgresql postgresql-contrib' " +
            "(or set PG_BIN to the folder holding initdb and pg_ctl, or set ConnectionStrings__AnSinh to an existing server).");
        return new LocalCluster(dataFolder, bin);
    }

    /// <summary>Creates the cluster if needed, starts it if it is not running, and makes sure the app's role and database exist.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        Directory.CreateDirectory(ClusterDir);
        if (_runAsPostgres)
        {
            MakeReachableByPostgres();
        }

        if (!File.Exists(Path.Combine(PgData, "PG_VERSION")))
        {
            Directory.CreateDirectory(PgData, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.CreateDirectory(SocketDir, PrivateFolder);
            Chown(PgData);
            Chown(SocketDir);
            Run("initdb", "-D", PgData, "-U", "postgres", "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8");
        }

        if (!IsRunning())
        {
            // The socket is reachable only through this private folder: local connections are trusted.
            Directory.CreateDirectory(SocketDir, PrivateFolder);
            Chown(SocketDir);
            // The server's log is for its owner only, and says what failed without the rows' values: with terse
            // errors a unique violation does not write the citizen ID (its DETAIL line), and no statement is logged.
            var log = Path.Combine(ClusterDir, "server.log");
            if (!File.Exists(log))
            {
                using (File.Create(log, 0, FileOptions.None))
                {
                }
            }

            File.SetUnixFileMode(log, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            if (_runAsPostgres)
            {
                Chown(log);
            }

            Run("pg_ctl", "-D", PgData, "-l", log, "-w", "-t", "60",
                "-o", $"-c listen_addresses='' -c unix_socket_directories='{SocketDir}' -c port={SocketPort} -c log_error_verbosity=terse -c log_min_error_statement=panic", "start");
            _startedByUs = true;
        }

        await EnsureDatabaseAsync(ct).ConfigureAwait(false);
    }

    public void Stop()
    {
        if (_startedByUs && IsRunning())
        {
            Run("pg_ctl", "-D", PgData, "-m", "fast", "-w", "-t", "60", "stop");
        }

        _startedByUs = false;
    }

    public void Dispose() => Stop();

    private bool IsRunning() => File.Exists(Path.Combine(PgData, "PG_VERSION")) && Run(allowFailure: true, "pg_ctl", "-D", PgData, "status") == 0;

    private async Task EnsureDatabaseAsync(CancellationToken ct)
    {
        await using var conn = new NpgsqlConnection(SuperuserConnectionString);
        await conn.OpenAsync(ct).ConfigureAwait(false);
        await using (var cmd = new NpgsqlCommand(
            $"""
             DO $$ BEGIN
               IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{AppRole}') THEN
                 CREATE ROLE {AppRole} LOGIN;
               END IF;
             END $$;
             """, conn))
        {
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @n", conn);
        exists.Parameters.AddWithValue("n", DatabaseName);
        if (await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE {DatabaseName} OWNER {AppRole} TEMPLATE template0 ENCODING 'UTF8'", conn);
            await create.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    // Running as root: PostgreSQL refuses root, so the cluster belongs to the postgres user, which
    // must be able to pass through (not list) every folder above the cluster.
    private void MakeReachableByPostgres()
    {
        Chown(ClusterDir);
        for (var dir = Directory.GetParent(ClusterDir); dir is not null; dir = dir.Parent)
        {
            var mode = File.GetUnixFileMode(dir.FullName);
            if (!mode.HasFlag(UnixFileMode.OtherExecute))
            {
                File.SetUnixFileMode(dir.FullName, mode | UnixFileMode.OtherExecute);
                Console.Error.WriteLine($"AnSinh: cho phép người dùng postgres đi qua (không liệt kê) {dir.FullName} / let the postgres user traverse {dir.FullName} (o+x)");
            }
        }
    }

    private void Chown(string path)
    {
        if (_runAsPostgres)
        {
            RunProcess("chown", ["postgres:postgres", path], allowFailure: false);
        }
    }

    private int Run(string tool, params string[] args) => Run(allowFailure: false, tool, args);

    private int Run(bool allowFailure, string tool, params string[] args)
    {
        var exe = Path.Combine(_binDir, tool);
        return _runAsPostgres
            ? RunProcess("runuser", ["-u", "postgres", "--", exe, .. args], allowFailure)
            : RunProcess(exe, args, allowFailure);
    }

    private static int RunProcess(string file, IEnumerable<string> args, bool allowFailure)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var p = Process.Start(psi) ?? throw new LocalClusterException($"Could not start {file}.");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0 && !allowFailure)
        {
            throw new LocalClusterException($"{Path.GetFileName(file)} {string.Join(' ', psi.ArgumentList)} failed ({p.ExitCode}): {stderr.Trim()} {stdout.Result.Trim()}");
        }

        return p.ExitCode;
    }
}

public sealed class LocalClusterException(string message) : Exception(message);
