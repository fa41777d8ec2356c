using Npgsql;

namespace AnSinh.Web.Database;

/// <summary>
/// Where the database is: the configured connection string (ConnectionStrings:AnSinh), or else
/// the private local cluster, which this object starts on first use and stops when disposed.
/// </summary>
public sealed class DatabaseConnection(IConfiguration configuration) : IDisposable
{
    private readonly Lock _gate = new();
    private string? _connectionString;
    private LocalCluster? _cluster;

    public bool IsLocalCluster => string.IsNullOrWhiteSpace(configuration.GetConnectionString("AnSinh"));

    public string ConnectionString
    {
        get
        {
            lock (_gate)
            {
                if (_connectionString is not null)
                {
                    return _connectionString;
                }

                var configured = configuration.GetConnectionString("AnSinh");
                if (!string.IsNullOrWhiteSpace(configured))
                {
                    return _connectionString = configured;
                }

                var cluster = LocalCluster.Create(LocalCluster.DefaultDataFolder());
                cluster.StartAsync().GetAwaiter().GetResult();
                _cluster = cluster;
                return _connectionString = cluster.ConnectionString;
            }
        }
    }

    private NpgsqlDataSource? _dataSource;

    /// <summary>One pooled data source for raw SQL (COPY, migrations, audit verification).</summary>
    public NpgsqlDataSource DataSource
    {
        get
        {
            var cs = ConnectionString;
            lock (_gate)
            {
                return _dataSource ??= new NpgsqlDataSourceBuilder(cs).Build();
            }
        }
    }

    public void Dispose()
    {
        _dataSource?.Dispose();
        NpgsqlConnection.ClearAllPools();
        _cluster?.Dispose();
    }
}
