using AnSinh.Core.Payroll;
using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Payroll;

/// <summary>A run as the API and pages show it.</summary>
public sealed record RunView(long Id, string ProvinceCode, string Month, DateOnly CutOff, string LedgerFrom, string Status, string PreparedBy,
    DateTimeOffset PreparedAt, DateTimeOffset? ComputedAt, string? Failure, string? SubmittedBy, string? ReturnedReason, string? ApprovedBy,
    DateTimeOffset? ApprovedAt, DateTimeOffset? SentAt, DateTimeOffset? ClosedAt, int Lines, int Items, long Total, int UnroutedLines,
    string? ContentHash, int RecoveryCapPercent, RunProgress? Progress, int Communes, int CommunesConfirmed, int Outcomes, int FullReads)
{
    public bool IsFrozen => RunWorkflow.IsFrozen(RunWorkflow.Parse(Status));
}

/// <summary>One group of a run's totals (a commune, category, channel, payer or kind): lines and money by kind.</summary>
public sealed record RunTotal(string Key, string? Name, int Lines, long Regular, long BackPay, long CarryOver, long Funeral, long Recovery, long Total);

/// <summary>A commune's part of a draft, and who confirmed it.</summary>
public sealed record CommunePart(string CommuneCode, string CommuneName, int Lines, long Total, string? ConfirmedBy, DateTimeOffset? ConfirmedAt);

/// <summary>A line with the person's name, for the run's list (and the commune officer's review).</summary>
public sealed record LineView(int LineNo, long PersonId, string FullName, string CitizenId, string CommuneCode, string? Hamlet, string? Category, string? Channel,
    long Regular, long BackPay, long CarryOver, long Funeral, long Recovery, long Total, string? Outcome);

/// <summary>One itemised amount of a line: what month and programme it settles, how it was derived, and why.</summary>
public sealed record ItemView(int LineNo, string Programme, string Month, string Kind, long Amount, long Owed, int CoefficientTenths, long Base, string? Category,
    string? Reference, string Reason);

/// <summary>A month the rules could not price for a person (the line went without it), for the officer to fix.</summary>
public sealed record ProblemView(long PersonId, string FullName, string CommuneCode, string Programme, string Month, string Reason, string Args)
{
    public Core.Reason ToReason() => new(Reason, "", ReasonArgs.FromJson(Args));
}

public static class RunQueries
{
    public const int PageSize = 200;

    public static async Task<RunView?> ViewAsync(AppDbContext db, string province, long runId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var run = await FindAsync(db, province, runId, ct);
        return run is null ? null : await ViewAsync(db, run, ct);
    }

    public static async Task<RunView> ViewAsync(AppDbContext db, PayrollRun run, CancellationToken ct) =>
        (await ViewsAsync(db, [run], ct))[0];

    /// <summary>Runs with their counts (communes, confirmations, outcomes, progress), counted for all of them in one query.</summary>
    public static async Task<IReadOnlyList<RunView>> ViewsAsync(AppDbContext db, IReadOnlyList<PayrollRun> runs, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(runs);
        var ids = runs.Select(r => r.Id).ToArray();
        var counts = (await db.Database.SqlQuery<Counts>($"""
            SELECT r.id AS "RunId",
                   (SELECT count(DISTINCT commune_code)::int FROM payroll_line WHERE run_id = r.id) AS "Communes",
                   (SELECT count(*)::int FROM payroll_confirmation WHERE run_id = r.id) AS "Confirmed",
                   (SELECT count(*)::int FROM payroll_outcome WHERE run_id = r.id) AS "Outcomes",
                   pp.done AS "Done", pp.total AS "Total"
            FROM unnest({ids}) AS r(id) LEFT JOIN payroll_progress pp ON pp.run_id = r.id
            """).ToListAsync(ct)).ToDictionary(c => c.RunId);
        return [.. runs.Select(run =>
        {
            var c = counts[run.Id];
            return new RunView(run.Id, run.ProvinceCode, run.RunMonth.ToString(), run.CutOff, YearMonth.From(run.LedgerFrom).ToString(), run.Status, run.PreparedBy,
                run.PreparedAt, run.ComputedAt, run.Failure, run.SubmittedBy, run.ReturnedReason, run.ApprovedBy, run.ApprovedAt, run.SentAt, run.ClosedAt,
                run.Lines, run.Items, run.Total, run.UnroutedLines, run.ContentHash, run.RecoveryCapPercent,
                c.Done is { } d && c.Total is { } t ? new RunProgress(d, t) : null, c.Communes, c.Confirmed, c.Outcomes, run.FullReads);
        })];
    }

    private sealed record Counts(long RunId, int Communes, int Confirmed, int Outcomes, int? Done, int? Total);

    /// <summary>A run of the province (null for another province's: its id says nothing to this one).</summary>
    public static Task<PayrollRun?> FindAsync(AppDbContext db, string province, long runId, CancellationToken ct) =>
        db.PayrollRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId && r.ProvinceCode == province, ct);

    public static Task<bool> ExistsAsync(AppDbContext db, string province, long runId, CancellationToken ct) =>
        db.PayrollRuns.AnyAsync(r => r.Id == runId && r.ProvinceCode == province, ct);

    public static Task<List<PayrollRun>> ListAsync(AppDbContext db, string province, CancellationToken ct) =>
        db.PayrollRuns.AsNoTracking().Where(r => r.ProvinceCode == province).OrderByDescending(r => r.Month).ThenByDescending(r => r.Id).Take(60).ToListAsync(ct);

    /// <summary>The run's totals grouped one way: commune, category, channel, payer, or kind (one row per kind of money).</summary>
    public static async Task<IReadOnlyList<RunTotal>> TotalsAsync(AppDbContext db, long runId, string by, UserScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        var commune = scope.Level == ScopeLevel.Commune ? scope.CommuneCode : null;
        if (by == "kind")
        {
            var all = await TotalsAsync(db, runId, "run", scope, ct);
            var t = all.FirstOrDefault() ?? new RunTotal("run", null, 0, 0, 0, 0, 0, 0, 0);
            return [.. new (string Kind, long Amount)[] { (ItemKind.Regular, t.Regular), (ItemKind.BackPay, t.BackPay), (ItemKind.CarryOver, t.CarryOver),
                (ItemKind.Funeral, t.Funeral), (ItemKind.Recovery, t.Recovery) }.Select(k => new RunTotal(k.Kind, null, 0, 0, 0, 0, 0, 0, k.Amount))];
        }

        var (key, name, join) = by switch
        {
            "commune" => ("l.commune_code", "c.name", "LEFT JOIN commune c ON c.code = l.commune_code"),
            "category" => ("coalesce(l.category, '')", "NULL::text", ""),
            "channel" => ("coalesce(l.channel, '')", "NULL::text", ""),
            "payer" => ("coalesce(l.payer_id::text, '')", "p.name", "LEFT JOIN payer p ON p.id = l.payer_id"),
            _ => ("'run'", "NULL::text", ""),
        };
#pragma warning disable EF1002 // the grouping columns come from the fixed table above, never from input
        return await db.Database.SqlQueryRaw<RunTotal>($"""
            SELECT {key} AS "Key", min({name}) AS "Name", count(*)::int AS "Lines", sum(l.regular)::bigint AS "Regular", sum(l.back_pay)::bigint AS "BackPay",
                   sum(l.carry_over)::bigint AS "CarryOver", sum(l.funeral)::bigint AS "Funeral", sum(l.recovery)::bigint AS "Recovery", sum(l.total)::bigint AS "Total"
            FROM payroll_line l {join}
            WHERE l.run_id = @run AND (@commune::text IS NULL OR l.commune_code = @commune)
            GROUP BY 1 ORDER BY 2 NULLS LAST, 1
            """, new Npgsql.NpgsqlParameter("run", runId), new Npgsql.NpgsqlParameter("commune", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)commune ?? DBNull.Value })
            .ToListAsync(ct);
#pragma warning restore EF1002
    }

    public static Task<List<CommunePart>> CommunesAsync(AppDbContext db, long runId, UserScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        var commune = scope.Level == ScopeLevel.Commune ? scope.CommuneCode : null;
        return db.Database.SqlQuery<CommunePart>($"""
            SELECT l.commune_code AS "CommuneCode", c.name AS "CommuneName", count(*)::int AS "Lines", sum(l.total)::bigint AS "Total",
                   min(pc.confirmed_by) AS "ConfirmedBy", min(pc.confirmed_at) AS "ConfirmedAt"
            FROM payroll_line l JOIN commune c ON c.code = l.commune_code
            LEFT JOIN payroll_confirmation pc ON pc.run_id = l.run_id AND pc.commune_code = l.commune_code
            WHERE l.run_id = {runId} AND ({commune}::text IS NULL OR l.commune_code = {commune})
            GROUP BY l.commune_code, c.name ORDER BY c.name
            """).ToListAsync(ct);
    }

    /// <summary>
    /// A page of lines in the user's scope (a commune officer sees only the commune's), in line order: optionally one
    /// commune's, one person's, one payment point's, or only those whose result says the money was not collected (the
    /// list behind a dashboard's unclaimed rate).
    /// </summary>
    public static Task<List<LineView>> LinesAsync(AppDbContext db, long runId, UserScope scope, string? commune, long? person, int page, CancellationToken ct,
        long? point = null, bool notCollected = false)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        var only = scope.Level == ScopeLevel.Commune ? scope.CommuneCode : commune;
        return db.Database.SqlQuery<LineView>($"""
            SELECT l.line_no AS "LineNo", l.person_id AS "PersonId", p.full_name AS "FullName", p.citizen_id AS "CitizenId", l.commune_code AS "CommuneCode",
                   p.hamlet AS "Hamlet", l.category AS "Category", l.channel AS "Channel", l.regular AS "Regular", l.back_pay AS "BackPay",
                   l.carry_over AS "CarryOver", l.funeral AS "Funeral", l.recovery AS "Recovery", l.total AS "Total", o.outcome AS "Outcome"
            FROM payroll_line l JOIN person p ON p.id = l.person_id
            LEFT JOIN payroll_outcome o ON o.run_id = l.run_id AND o.line_no = l.line_no
            WHERE l.run_id = {runId} AND ({only}::text IS NULL OR l.commune_code = {only}) AND ({person}::bigint IS NULL OR l.person_id = {person})
              AND ({point}::bigint IS NULL OR l.payment_point_id = {point}) AND (NOT {notCollected} OR o.outcome <> 'paid')
            ORDER BY l.line_no LIMIT {PageSize} OFFSET {Math.Max(0, page) * PageSize}
            """).ToListAsync(ct);
    }

    public static Task<List<ItemView>> ItemsAsync(AppDbContext db, long runId, IReadOnlyCollection<int> lineNos, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var lines = lineNos.ToArray();
        return db.Database.SqlQuery<ItemView>($"""
            SELECT line_no AS "LineNo", programme AS "Programme", to_char(month, 'YYYY-MM') AS "Month", kind AS "Kind", amount AS "Amount", owed AS "Owed",
                   coefficient AS "CoefficientTenths", base AS "Base", category AS "Category", reference AS "Reference", reason AS "Reason"
            FROM payroll_item WHERE run_id = {runId} AND line_no = ANY({lines})
            ORDER BY line_no, month, kind
            """).ToListAsync(ct);
    }

    public const int MaxProblemsListed = 200;

    public static Task<List<ProblemView>> ProblemsAsync(AppDbContext db, long runId, UserScope scope, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(scope);
        var commune = scope.Level == ScopeLevel.Commune ? scope.CommuneCode : null;
        return db.Database.SqlQuery<ProblemView>($"""
            SELECT x.person_id AS "PersonId", p.full_name AS "FullName", x.commune_code AS "CommuneCode", x.programme AS "Programme",
                   to_char(x.month, 'YYYY-MM') AS "Month", x.reason AS "Reason", x.args::text AS "Args"
            FROM payroll_problem x JOIN person p ON p.id = x.person_id
            WHERE x.run_id = {runId} AND ({commune}::text IS NULL OR x.commune_code = {commune})
            ORDER BY x.commune_code, p.full_name, x.month LIMIT {MaxProblemsListed}
            """).ToListAsync(ct);
    }
}
