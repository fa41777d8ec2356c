using AnSinh.Core.Payroll;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Registry;
using AnSinh.Web.Hosting;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Features.Payroll;

/// <summary>A run for a province's month; the cut-off (default today) fixes which rules it uses: those known on that day.</summary>
public sealed record StartRunRequest(string? Month, string? CutOff);

/// <summary>The payroll's commands; each step's rules come from Core's <see cref="RunWorkflow"/>, whose result is what gets stored.</summary>
public sealed partial class PayrollRuns(AppDbContext db, RunQueue queue, TimeProvider time)
{
    private DateOnly Today => time.VietnamToday();

    /// <summary>
    /// Queues a run. Refused while another run of the province is still open (its payments are not in the ledger yet,
    /// so this one would pay them again), for a month at or before the last approved one, or when the month has a run.
    /// </summary>
    public async Task<(PayrollRun? Run, RegistryError? Error)> StartAsync(string province, StartRunRequest r, string actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(r);
        var problems = new List<(string, string)>();
        if (!YearMonth.TryParse(r.Month, out var month) || month < new YearMonth(2020, 1) || month > YearMonth.From(Today).AddMonths(2))
        {
            problems.Add(("Month", Texts.Get("Payroll.MonthInvalid", Display.Month(YearMonth.From(Today).AddMonths(2)))));
        }

        var cutOff = Today;
        if (!string.IsNullOrWhiteSpace(r.CutOff) && (!DateOnly.TryParseExact(r.CutOff, "yyyy-MM-dd", out cutOff) || cutOff > Today || cutOff < Today.AddYears(-2)))
        {
            problems.Add(("CutOff", Texts.Get("Payroll.CutOffInvalid")));
        }

        if (problems.Count > 0)
        {
            return (null, RegistryError.Invalid(problems));
        }

        var runs = await db.PayrollRuns.AsNoTracking().Where(x => x.ProvinceCode == province && x.Status != "discarded")
            .Select(x => new { x.Month, x.Status }).ToListAsync(ct);
        if (runs.FirstOrDefault(x => !RunWorkflow.IsFrozen(RunWorkflow.Parse(x.Status))) is { } open)
        {
            return (null, RegistryError.Conflict(Texts.Get("Payroll.OpenRunExists", Display.Month(open.Month))));
        }

        if (runs.Count > 0 && runs.Max(x => x.Month) >= month.FirstDay)
        {
            return (null, RegistryError.Conflict(Texts.Get("Payroll.MonthNotAfterLast", Display.Month(runs.Max(x => x.Month)))));
        }

        var setting = await db.ProvinceSettings.AsNoTracking().FirstOrDefaultAsync(s => s.ProvinceCode == province, ct);
        var from = setting?.PayrollFrom ?? (runs.Count > 0 ? runs.Min(x => x.Month) : month.FirstDay);
        var run = new PayrollRun
        {
            ProvinceCode = province, Month = month.FirstDay, CutOff = cutOff, LedgerFrom = from < month.FirstDay ? from : month.FirstDay,
            RecoveryCapPercent = setting?.RecoveryCapPercent ?? RecoveryCap.Default.Percent,
            Status = RunWorkflow.Code(RunStatus.Computing), PreparedBy = actor, PreparedAt = time.GetUtcNow(),
        };
        db.PayrollRuns.Add(run);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return (null, RegistryError.Conflict(Texts.Get("Payroll.MonthHasRun", Display.Month(month))));
        }

        queue.Signal();
        return (run, null);
    }
}
