using System.Globalization;
using AnSinh.Core.Payroll;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Payroll;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Seeding;

/// <summary>
/// Months of payroll history for the demo province, made the way an office makes them: the province officer starts
/// and submits each month, the communes' officers confirm their parts, the approver approves, the post office's
/// results come back (almost everyone paid; a few people not collecting, one of them three months running). The
/// months are the four before the current one, each cut off on the 20th of the month before, so the month cut off
/// after Decree 335/2026 was known pays the raised base back to July. The current month is left for the newcomer.
/// </summary>
public static class DemoPayroll
{
    public sealed record Result(int Runs, int Lines, long Total);

    public static async Task<Result> SeedAsync(IServiceProvider services, string province, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var runs = scope.ServiceProvider.GetRequiredService<PayrollRuns>();
        var outcomes = scope.ServiceProvider.GetRequiredService<PayrollOutcomes>();
        var computer = scope.ServiceProvider.GetRequiredService<RunComputer>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var preparer = $"canbo.tinh{province}";
        var approver = $"lanhdao.tinh{province}";
        var thisMonth = time.VietnamMonth();
        var lines = 0;
        var total = 0L;
        var count = 0;
        for (var month = thisMonth.AddMonths(-4); month < thisMonth; month = month.AddMonths(1))
        {
            db.Audit.Actor = preparer;
            var cutOff = month.AddMonths(-1).FirstDay.AddDays(19);
            var (run, error) = await runs.StartAsync(province, new StartRunRequest(month.ToString(), cutOff.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)), preparer, ct);
            if (error is not null)
            {
                throw new InvalidOperationException($"Demo payroll {month}: {error.Message}");
            }

            await computer.ComputeAsync(run!.Id, null, ct);
            await ConfirmAllAsync(db, province, run.Id, time, ct);
            await StepAsync(db, runs, province, run.Id, RunAction.Submit, preparer, ct);
            db.Audit.Actor = approver;
            await StepAsync(db, runs, province, run.Id, RunAction.Approve, approver, ct);
            db.Audit.Actor = preparer;
            await StepAsync(db, runs, province, run.Id, RunAction.MarkSent, preparer, ct);
            var rows = await ResultsAsync(db, run.Id, month, ct);
            var (report, outcomeError) = await outcomes.RecordAsync(province, run.Id, rows, $"ket-qua-buu-dien-{month}.csv", dryRun: false, preparer, ct);
            if (outcomeError is not null || report!.Problems.Count > 0)
            {
                throw new InvalidOperationException($"Demo results {month}: {outcomeError?.Message ?? report!.Problems[0].Message}");
            }

            var done = await db.PayrollRuns.AsNoTracking().FirstAsync(r => r.Id == run.Id, ct);
            lines += done.Lines;
            total += done.Total;
            count++;
            db.ChangeTracker.Clear();
        }

        return new Result(count, lines, total);
    }

    private static async Task StepAsync(AppDbContext db, PayrollRuns runs, string province, long runId, RunAction action, string actor, CancellationToken ct)
    {
        var (_, error) = await runs.StepAsync(province, runId, action, null, actor, ct);
        db.ChangeTracker.Clear();
        if (error is not null)
        {
            throw new InvalidOperationException($"Demo payroll step {action}: {error.Message}");
        }
    }

    /// <summary>Each commune's officer confirms their part (the demo has an account for one commune; the others are named for theirs).</summary>
    private static async Task ConfirmAllAsync(AppDbContext db, string province, long runId, TimeProvider time, CancellationToken ct)
    {
        var communes = await db.Database.SqlQuery<string>($"""SELECT DISTINCT commune_code AS "Value" FROM payroll_line WHERE run_id = {runId}""").ToListAsync(ct);
        foreach (var commune in communes)
        {
            db.PayrollConfirmations.Add(new PayrollConfirmation
            {
                RunId = runId, CommuneCode = commune, ConfirmedBy = $"canbo.{commune}", ConfirmedAt = time.GetUtcNow(), ProvinceCode = province,
            });
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
    }

    /// <summary>
    /// The post office's results: paid on the 10th to the person (or the proxy, or at home), except one line in fifty
    /// not collected, and the first person of the list never collecting, so the three-month task has a case.
    /// </summary>
    private static async Task<List<(int Row, OutcomeRow Outcome)>> ResultsAsync(AppDbContext db, long runId, YearMonth month, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open)
        {
            await conn.OpenAsync(ct);
        }

        var rows = new List<(int, OutcomeRow)>();
        await using var cmd = new NpgsqlCommand("SELECT line_no, person_id, channel FROM payroll_line WHERE run_id = @id ORDER BY line_no", conn);
        cmd.Parameters.AddWithValue("id", runId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var paidOn = month.FirstDay.AddDays(9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        while (await r.ReadAsync(ct))
        {
            var line = r.GetInt32(0);
            var unpaid = line == 1 || r.GetInt64(1) % 50 == (month.Month % 50);
            var receiver = r.IsDBNull(2) ? Receiver.Self : r.GetString(2) switch { "proxy" => Receiver.Proxy, "home" => Receiver.Home, _ => Receiver.Self };
            rows.Add((rows.Count + 2, unpaid
                ? new OutcomeRow(line, Outcome.Unpaid, null, null, "Không đến nhận")
                : new OutcomeRow(line, Outcome.Paid, paidOn, receiver, null)));
        }

        return rows;
    }
}
