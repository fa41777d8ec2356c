using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Database;

/// <summary>
/// A transaction that failed because the database went away (a failover, a restart, a PgBouncer that lost its
/// server): whether it committed is unknown. Only commands whose repetition is harmless are retried, through
/// <see cref="RetryAsync{T}"/>: a run's workflow step (a repeat finds the step done by the same person and answers
/// as done) and a payer's results import (outcomes already recorded are skipped). Every other write is refused with
/// 503 and the user looks before trying again (<see cref="Hosting.AppHost"/> maps the exception).
/// </summary>
public static class LostConnection
{
    /// <summary>How long a retried command waits for a failover in all (pg_auto_failover takes 10 to 60 seconds).</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>The Retry-After (seconds) of a 503 for a lost connection, on pages and in ProblemDetails alike.</summary>
    public const string RetryAfterSeconds = "15";

    public static bool Is(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // 57P01–03: the server is shutting down or starting; 25006: the node we reached is now a standby;
                // 08xxx: connection exceptions (PgBouncer's "server conn crashed" among them).
                case PostgresException p:
                    return p.SqlState is "57P01" or "57P02" or "57P03" or "25006" || p.SqlState.StartsWith("08", StringComparison.Ordinal);
                // Client side (not the server's answer): the connection broke, timed out, or no host took it.
                case NpgsqlException:
                    return true;
                case System.IO.IOException or System.Net.Sockets.SocketException or TimeoutException:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Runs <paramref name="work"/>, again after a lost connection (with the context's tracked entities dropped, so the
    /// repeat reads what the database holds), until it succeeds or <see cref="Patience"/> runs out. The work is told
    /// whether it is a repeat.
    /// </summary>
    public static async Task<T> RetryAsync<T>(AppDbContext db, Func<bool, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(work);
        var elapsed = System.Diagnostics.Stopwatch.StartNew();
        var delay = TimeSpan.FromMilliseconds(500);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await work(attempt > 0);
            }
            catch (Exception e) when (Is(e) && elapsed.Elapsed + delay < Patience && !ct.IsCancellationRequested)
            {
                db.ChangeTracker.Clear();
                if (db.Database.GetDbConnection() is { State: not System.Data.ConnectionState.Closed } conn)
                {
                    await conn.CloseAsync();
                }

                await Task.Delay(delay, ct);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }
}
