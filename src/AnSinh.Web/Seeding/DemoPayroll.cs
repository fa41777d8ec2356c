using System.Globalization;
using AnSinh.Core.Payroll;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Payroll;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Seeding;

/// <summary>
/// Months of payroll history for the demo province, made the way an office makes them: the province officer starts
/// and submits each month, the communes' officers confirm their parts, the approver approves, the payers' files are
/// built, the money is transferred, and the results come back: the post office's (almost everyone paid; a few people
/// not collecting, one of them three months running) and the bank's (one account in forty rejected, AC04 or AC01).
/// Each rejection is paid again in cash the next month, except the latest month's, left open in the exception queue
/// for the newcomer with its run still sent. The months are the four before the current one, each cut off on the
/// 20th of the month before, so the month cut off after Decree 335/2026 was known pays the raised base back to July.
/// The current month is left for the newcomer.
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
        var builder = scope.ServiceProvider.GetRequiredService<Features.Disbursement.PayerFileWorker>();
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
            (_, var fileError) = await Features.Disbursement.PayerFiles.RequestAsync(db, time, province, run.Id, preparer, ct);
            Check(fileError, month, "files");
            while (await builder.BuildNextAsync(ct))
            {
            }

            foreach (var money in await Features.Disbursement.Reconciliation.MoneyAsync(db, run.Id, null, ct))
            {
                Check(await Features.Disbursement.Reconciliation.RecordTransferAsync(db, time, province, run.Id,
                    new Features.Disbursement.TransferRequest(money.PayerId, money.Expected, month.AddMonths(-1).FirstDay.AddDays(23), $"UNC-{month}-{money.PayerId}"), preparer, ct), month, "transfer");
            }

            foreach (var (payer, format, rows) in await ResultsAsync(db, run.Id, month, ct))
            {
                var (report, outcomeError) = await outcomes.RecordAsync(province, run.Id, rows, $"ket-qua-{payer}-{month}", dryRun: false, preparer, ct,
                    new PayerImport(payer, format, $"ket-qua-{payer}-{month}", Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{run.Id}/{payer}"))), []));
                Check(outcomeError ?? (report!.Problems.Count > 0 ? Features.Registry.RegistryError.Invalid("file", report.Problems[0].Message) : null), month, "results");
            }

            if (month < thisMonth.AddMonths(-1))
            {
                foreach (var e in await Features.Disbursement.Reconciliation.ExceptionsAsync(db, province, run.Id, null, openOnly: true, ct))
                {
                    var (action, reason) = e.Kind == AnSinh.Core.Payment.ExceptionKind.BankRejected
                        ? (AnSinh.Core.Payment.ExceptionAction.ReissueCash, "Tài khoản bị từ chối: chi tiền mặt tại điểm kỳ sau")
                        : (AnSinh.Core.Payment.ExceptionAction.Confirm, "Đã xác minh với bưu điện");
                    var (_, resolveError) = await Features.Disbursement.Reconciliation.ResolveAsync(db, time, province, e.Id,
                        new Features.Disbursement.ResolveRequest(action, reason, null), preparer, isApprover: false, ct);
                    Check(resolveError, month, "exception");
                }
            }

            var done = await db.PayrollRuns.AsNoTracking().FirstAsync(r => r.Id == run.Id, ct);
            lines += done.Lines;
            total += done.Total;
            count++;
            db.ChangeTracker.Clear();
        }

        return new Result(count, lines, total);
    }

    private static void Check(Features.Registry.RegistryError? error, YearMonth month, string what)
    {
        if (error is not null)
        {
            throw new InvalidOperationException($"Demo {what} {month}: {error.Message}");
        }
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
    /// Each payer's results: the post office pays on the 10th to the person (or the proxy, or at home), except one line
    /// in fifty not collected and the first person of the list never collecting, so the three-month task has a case;
    /// the bank settles on the 5th, except its first line and one account in forty rejected (closed, or a wrong number).
    /// </summary>
    private static async Task<List<(long Payer, string Format, List<(int Row, OutcomeRow Outcome)> Rows)>> ResultsAsync(AppDbContext db, long runId, YearMonth month, CancellationToken ct)
    {
        var conn = (NpgsqlConnection)db.Database.GetDbConnection();
        if (conn.State != System.Data.ConnectionState.Open)
        {
            await conn.OpenAsync(ct);
        }

        var byPayer = new Dictionary<long, (string Format, List<(int, OutcomeRow)> Rows)>();
        await using var cmd = new NpgsqlCommand("SELECT line_no, person_id, channel, payer_id, total FROM payroll_line WHERE run_id = @id AND payer_id IS NOT NULL ORDER BY line_no", conn);
        cmd.Parameters.AddWithValue("id", runId);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var paidOn = month.FirstDay.AddDays(9).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var settledOn = month.FirstDay.AddDays(4).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var firstBankLine = true;
        while (await r.ReadAsync(ct))
        {
            var line = r.GetInt32(0);
            var person = r.GetInt64(1);
            var channel = r.GetString(2);
            var bank = channel == "bank";
            if (!byPayer.TryGetValue(r.GetInt64(3), out var payer))
            {
                byPayer[r.GetInt64(3)] = payer = (bank ? "bank_csv" : "post_table", []);
            }

            OutcomeRow row;
            if (bank)
            {
                var rejected = firstBankLine || person % 40 == month.Month % 40;
                firstBankLine = false;
                row = rejected
                    ? new OutcomeRow(line, Outcome.Returned, null, null, person % 2 == 0 ? "AC04: Tài khoản đã đóng" : "AC01: Số tài khoản không đúng") { ReasonCode = person % 2 == 0 ? "AC04" : "AC01" }
                    : new OutcomeRow(line, Outcome.Paid, settledOn, Receiver.Self, null);
            }
            else
            {
                var unpaid = line == 1 || person % 50 == (month.Month % 50);
                var receiver = channel switch { "proxy" => Receiver.Proxy, "home" => Receiver.Home, _ => Receiver.Self };
                row = unpaid ? new OutcomeRow(line, Outcome.Unpaid, null, null, "Không đến nhận") : new OutcomeRow(line, Outcome.Paid, paidOn, receiver, null);
            }

            payer.Rows.Add((payer.Rows.Count + 2, row with { Amount = r.GetInt64(4) }));
        }

        return [.. byPayer.Select(p => (p.Key, p.Value.Format, p.Value.Rows))];
    }
}
