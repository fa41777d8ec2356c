using System.Globalization;
using AnSinh.Core.Payment;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Payroll;
using AnSinh.Web.Features.Registry;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Disbursement;

/// <summary>The settlement of one payer's contract for one run, with the audit anchor when it is a printed copy.</summary>
public sealed record SettlementView(RunView Run, PayerMoney Money, Settlement Figures, IReadOnlyList<ReconRow> Points, int OpenExceptions, PrintAnchor? Anchor);

/// <summary>The audit log's last row and hash when a settlement was printed: what the paper can later be checked against.</summary>
public sealed record PrintAnchor(long Id, long AuditId, string AuditHash, string PrintedBy, DateTimeOffset PrintedAt)
{
    public string Text => $"{AuditId.ToString(CultureInfo.InvariantCulture)}:{AuditHash}";
}

/// <summary>Settlement (quyết toán) per contract and run: figures from the ledger's outcomes and the transfers, printed with an audit anchor.</summary>
public static class Settlements
{
    public static async Task<SettlementView?> ForAsync(AppDbContext db, string province, long runId, long payerId, long? printId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var run = await RunQueries.FindAsync(db, province, runId, ct);
        if (run is null)
        {
            return null;
        }

        var money = (await Reconciliation.MoneyAsync(db, runId, payerId, ct)).FirstOrDefault();
        if (money is null)
        {
            return null;
        }

        PrintAnchor? anchor = null;
        if (printId is { } id)
        {
            anchor = await db.Database.SqlQuery<PrintAnchor>($"""
                SELECT id AS "Id", audit_id AS "AuditId", audit_hash AS "AuditHash", printed_by AS "PrintedBy", printed_at AS "PrintedAt"
                FROM settlement_print WHERE id = {id} AND run_id = {runId} AND contract_id = {money.ContractId}
                """).FirstOrDefaultAsync(ct);
            if (anchor is null)
            {
                return null;
            }
        }

        var open = await db.Database.SqlQuery<int>($"""
            SELECT count(*)::int AS "Value" FROM payroll_exception WHERE run_id = {runId} AND payer_id = {payerId} AND resolved_at IS NULL
            """).FirstAsync(ct);
        return new SettlementView(await RunQueries.ViewAsync(db, run, ct), money, money.Settlement, await Reconciliation.RowsAsync(db, runId, payerId, ct), open, anchor);
    }

    /// <summary>
    /// Records a printing: an audit row saying who printed which settlement, then the chain's last row and hash (that
    /// row's own, since it is now the last) kept with the printing and shown on the paper.
    /// </summary>
    public static async Task<(long? PrintId, RegistryError? Error)> PrintAsync(AppDbContext db, TimeProvider time, string province, long runId, long payerId, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var view = await ForAsync(db, province, runId, payerId, null, ct);
        if (view is null)
        {
            return (null, RegistryError.NotFound("settlement"));
        }

        if (view.Money.ContractId is not { } contract)
        {
            return (null, RegistryError.Conflict(Hosting.Texts.Get("Settlement.NoContract")));
        }

        await using var tx = await db.TransactionAsync(ct);
        var now = time.GetUtcNow();
        var f = view.Figures;
        await db.AppendAuditAsync("print_settlement", "payroll_run", runId.ToString(CultureInfo.InvariantCulture), province,
            new { payerId, contract, f.Transferred, f.HeldBefore, f.Paid, f.Returned, f.Held, f.Pending, f.Fee, f.Balance }, actor, null, now, ct);
        var ids = await db.Database.SqlQuery<long>($"""
            INSERT INTO settlement_print (run_id, province_code, contract_id, audit_id, audit_hash, printed_by, printed_at)
            SELECT {runId}, {province}, {contract}, a.id, a.hash, {actor}, {now} FROM (SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1) a
            RETURNING id AS "Value"
            """).ToListAsync(ct);
        await tx.CommitAsync(ct);
        return (ids[0], null);
    }

    public static async Task WriteXlsxAsync(Stream output, SettlementView v, Func<string, string> word, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(v);
        ArgumentNullException.ThrowIfNull(word);
        var f = v.Figures;
        string N(long x) => x.ToString(CultureInfo.InvariantCulture);
        var summary = new List<string[]>
        {
            new[] { word("Settlement.Item"), word("Settlement.Amount") },
            new[] { word("Settlement.Transferred"), N(f.Transferred) },
            new[] { word("Settlement.HeldBefore"), N(f.HeldBefore) },
            new[] { word("Settlement.Available"), N(f.Available) },
            new[] { word("Settlement.Paid"), N(f.Paid) },
            new[] { word("Settlement.Returned"), N(f.Returned) },
            new[] { word("Settlement.Held"), N(f.Held) },
            new[] { word("Settlement.Pending"), N(f.Pending) },
            new[] { word("Settlement.Balance"), N(f.Balance) },
            new[] { word("Settlement.Fee") + $" ({(f.FeeBasisPoints / 100m).ToString("0.00", CultureInfo.InvariantCulture)} %, {Settlement.FeeRounding})", N(f.Fee) },
        };
        var points = new List<string[]> { new[] { word("Settlement.Point"), word("Recon.Lines"), word("Recon.Issued"), word("Recon.Paid"), word("Recon.Unpaid"), word("Recon.Returned"), word("Recon.Pending") } };
        points.AddRange(v.Points.Select(p => new[] { p.PointName ?? "—", p.Lines.ToString(CultureInfo.InvariantCulture), N(p.Issued), N(p.Paid), N(p.Unpaid), N(p.Returned), N(p.Pending) }));
        await XlsxWriter.WriteAsync(output, [(word("Settlement.Title"), XlsxWriter.Rows(summary)), (word("Settlement.ByPoint"), XlsxWriter.Rows(points))], ct);
    }
}
