using System.Threading.Channels;
using AnSinh.Web.Database;

namespace AnSinh.Web.Features.Payroll;

/// <summary>Wakes the worker when a run is queued, so it does not wait for its next look.</summary>
public class RunQueue
{
    private readonly Channel<bool> _signals = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });

    public void Signal() => _signals.Writer.TryWrite(true);

    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await _signals.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // Timed out: look anyway, in case another instance queued a run or a computation died with its process.
        }
    }
}

/// <summary>
/// Computes queued runs in the background. The queue is the table: any run 'computing' that no process holds is
/// claimed, so a run survives a restart or the death of the instance that started it.
/// </summary>
public sealed partial class PayrollWorker(DatabaseConnection database, RunComputer computer, RunQueue queue, Hosting.AppMetrics metrics, ILogger<PayrollWorker> log) : BackgroundService
{
    public static readonly TimeSpan LookEvery = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await NextAsync(stoppingToken) is { } runId && await computer.ComputeAsync(runId, null, stoppingToken))
                {
                    metrics.RunsComputed.Add(1);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                metrics.JobFailures.Add(1, new KeyValuePair<string, object?>("worker", "payroll"));
                LogLookFailed(log, ex);
            }

            await queue.WaitAsync(LookEvery, stoppingToken);
        }
    }

    private async Task<long?> NextAsync(CancellationToken ct)
    {
        // A peek, not a claim: the computer claims with SKIP LOCKED, so a run another process is computing is passed over.
        await using var cmd = database.DataSource.CreateCommand("""
            SELECT id FROM payroll_run WHERE status = 'computing' AND id IN (SELECT id FROM payroll_run WHERE status = 'computing' FOR NO KEY UPDATE SKIP LOCKED) ORDER BY id LIMIT 1
            """);
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for payroll runs to compute failed; trying again shortly")]
    private static partial void LogLookFailed(ILogger logger, Exception ex);
}
