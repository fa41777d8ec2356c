using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace AnSinh.Web.Hosting;

/// <summary>
/// WAL archiving (pgBackRest's archive-push) failing, as PostgreSQL reports it in pg_stat_archiver: the last failure is
/// newer than the last success. The app keeps serving (Degraded answers 200 on /health/ready, so the proxy keeps
/// sending traffic), but point-in-time recovery stops at the last archived segment and the primary's disk fills with
/// WAL: the alert is the check's description, <c>ansinh_wal_archive_failing 1</c> on /metrics and one warning in the log.
/// Without archiving (archive_mode off: the embedded cluster of ./run.sh) the check is healthy.
/// </summary>
public sealed partial class ArchiveCheck(Database.DatabaseConnection database, AppMetrics metrics, ILogger<ArchiveCheck> log) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var conn = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var cmd = new NpgsqlCommand("""
            SELECT current_setting('archive_mode') <> 'off', coalesce(last_failed_time > coalesce(last_archived_time, '-infinity'), false),
                   last_failed_wal, last_failed_time, last_archived_time
            FROM pg_stat_archiver
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var archiving = reader.GetBoolean(0);
        var failing = archiving && reader.GetBoolean(1);
        var wasFailing = metrics.ArchiveFailing;
        metrics.ArchiveFailing = failing;
        if (!failing)
        {
            if (wasFailing)
            {
                ArchiveRecovered(log);
            }

            return HealthCheckResult.Healthy(archiving ? "WAL archiving works" : "WAL archiving is off");
        }

        var wal = reader.GetString(2);
        var since = reader.GetFieldValue<DateTimeOffset>(3);
        if (!wasFailing)
        {
            ArchiveFailing(log, wal, since);
        }

        return HealthCheckResult.Degraded($"WAL archiving is failing: segment {wal} could not be archived (last attempt {since:O}; " +
            $"last success {(reader.IsDBNull(4) ? "never" : reader.GetFieldValue<DateTimeOffset>(4).ToString("O"))}). Backups are not current: check the archive's disk.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "WAL archiving is failing: segment {Wal} could not be archived (last attempt {Since:O}). Backups are not current: check the archive's disk.")]
    private static partial void ArchiveFailing(ILogger log, string wal, DateTimeOffset since);

    [LoggerMessage(Level = LogLevel.Information, Message = "WAL archiving works again.")]
    private static partial void ArchiveRecovered(ILogger log);
}
