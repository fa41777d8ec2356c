using AnSinh.Core.Payroll;
using AnSinh.Web.Database;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payroll;

/// <summary>One payer's, programme's and kind's money in a run.</summary>
public sealed record MoneyRow(long? PayerId, string? PayerName, string Programme, string Kind, int Lines, long Amount);

/// <summary>What a payer already holds: the lines of the previous run it reported unpaid and did not return.</summary>
public sealed record HeldRow(long? PayerId, string? PayerName, int Lines, long Amount);

/// <summary>Per payer: the run's total, what it holds, and what the province transfers.</summary>
public sealed record TransferRow(long? PayerId, string? PayerName, long RunTotal, long Held, long ToTransfer);

/// <summary>The money request (dự toán) that goes with the list (Decree 20 Art. 34.4).</summary>
public sealed record MoneyRequestView(RunView Run, IReadOnlyList<MoneyRow> Rows, IReadOnlyList<HeldRow> Held, IReadOnlyList<TransferRow> Transfers);

/// <summary>
/// What the province draws and sends each payer: the run's money by payer, programme and kind, less the unpaid money
/// the payer already holds (reported 'unpaid', not 'returned'), since that money is paid again in this run. The rule:
/// to transfer = run total − held, never below zero. Held is the previous run's unpaid lines only: each run's transfer
/// already netted what was held before it, and its lines carried that money again, so whatever is still held sits in
/// the latest run's unpaid lines.
/// </summary>
public static class MoneyRequest
{
    public static async Task<MoneyRequestView?> ForAsync(AppDbContext db, string province, long runId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var run = await RunQueries.FindAsync(db, province, runId, ct);
        if (run is null)
        {
            return null;
        }

        var rows = await db.Database.SqlQuery<MoneyRow>($"""
            SELECT l.payer_id AS "PayerId", p.name AS "PayerName", i.programme AS "Programme", i.kind AS "Kind", count(DISTINCT i.line_no)::int AS "Lines", sum(i.amount)::bigint AS "Amount"
            FROM payroll_item i JOIN payroll_line l ON l.run_id = i.run_id AND l.line_no = i.line_no LEFT JOIN payer p ON p.id = l.payer_id
            WHERE i.run_id = {runId}
            GROUP BY l.payer_id, p.name, i.programme, i.kind
            ORDER BY p.name NULLS LAST, i.programme, i.kind
            """).ToListAsync(ct);
        var held = await db.Database.SqlQuery<HeldRow>($"""
            SELECT l.payer_id AS "PayerId", p.name AS "PayerName", count(*)::int AS "Lines", sum(l.total)::bigint AS "Amount"
            FROM payroll_line l JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no AND o.outcome = 'unpaid'
            LEFT JOIN payer p ON p.id = l.payer_id
            WHERE l.run_id = payroll_previous_sent_run({runId})
            GROUP BY l.payer_id, p.name
            """).ToListAsync(ct);
        var transfers = rows.GroupBy(r => (r.PayerId, r.PayerName)).Select(g =>
        {
            var total = g.Sum(r => r.Amount);
            var h = held.FirstOrDefault(x => x.PayerId == g.Key.PayerId)?.Amount ?? 0;
            return new TransferRow(g.Key.PayerId, g.Key.PayerName, total, h, Math.Max(0, checked(total - h)));
        }).ToList();
        return new MoneyRequestView(await RunQueries.ViewAsync(db, run, ct), rows, held, transfers);
    }

    /// <summary>The same figures as a workbook: the request by payer, and the detail by programme and kind.</summary>
    public static async Task WriteXlsxAsync(Stream output, MoneyRequestView view, Func<string, string> word, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(view);
        ArgumentNullException.ThrowIfNull(word);
        static string N(long v) => v.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await XlsxWriter.WriteAsync(output,
        [
            (word("MoneyRequest.SheetTransfer"), XlsxWriter.Rows([
                [word("Payroll.By.payer"), word("MoneyRequest.RunTotal"), word("MoneyRequest.Held"), word("MoneyRequest.ToTransfer")],
                .. view.Transfers.Select(t => new[] { t.PayerName ?? word("Payroll.NoRoute"), N(t.RunTotal), N(t.Held), N(t.ToTransfer) }),
                [word("Payroll.Total"), N(view.Transfers.Sum(t => t.RunTotal)), N(view.Transfers.Sum(t => t.Held)), N(view.Transfers.Sum(t => t.ToTransfer))],
            ])),
            (word("MoneyRequest.SheetDetailName"), XlsxWriter.Rows([
                [word("Payroll.By.payer"), word("MoneyRequest.Programme"), word("Payroll.By.kind"), word("Payroll.Lines"), word("Payroll.Total")],
                .. view.Rows.Select(r => new[] { r.PayerName ?? word("Payroll.NoRoute"), word("Registry.Programme." + r.Programme), word("ItemKind." + r.Kind), r.Lines.ToString(System.Globalization.CultureInfo.InvariantCulture), N(r.Amount) }),
            ])),
        ], ct);
    }
}
