using System.CommandLine;
using System.Globalization;
using AnSinh.Core.Payroll;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Payroll;
using AnSinh.Web.Security;
using Microsoft.EntityFrameworkCore;
using Spectre.Console;

namespace AnSinh.Web.Cli;

/// <summary>
/// `payroll run | show | results`: computing a run and reading it are batch work; submitting and approving are acts
/// of named people, so they happen only in the web and the API.
/// </summary>
public static partial class CliApp
{
    private const string PayrollActor = "cli:payroll";

    private static Command PayrollCommand()
    {
        var province = new Option<string>("--province") { Required = true, Description = "Mã tỉnh / province code" };
        var month = new Option<string>("--month") { Required = true, Description = "Tháng chi trả yyyy-MM / payment month" };
        var cutOff = new Option<string?>("--cut-off") { Description = "Ngày chốt yyyy-MM-dd (mặc định hôm nay) / cut-off day (default today)" };
        var run = new Command("run", "Lập bảng chi trả của tỉnh cho một tháng (tiếp tục nếu lần trước bị dừng) / compute a province's run (resumes one left computing)") { province, month, cutOff };
        run.SetAction((pr, ct) => WithApp(async (app, _) =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Audit.Actor = PayrollActor;
            var p = pr.GetValue(province)!;
            var m = pr.GetValue(month)!;
            var existing = YearMonth.TryParse(m, out var ym)
                ? await db.PayrollRuns.AsNoTracking().FirstOrDefaultAsync(r => r.ProvinceCode == p && r.Month == ym.FirstDay && r.Status == "computing", ct).ConfigureAwait(false)
                : null;
            var runId = existing?.Id;
            if (runId is null)
            {
                var (started, error) = await scope.ServiceProvider.GetRequiredService<PayrollRuns>()
                    .StartAsync(p, new StartRunRequest(m, pr.GetValue(cutOff)), PayrollActor, ct).ConfigureAwait(false);
                if (error is not null)
                {
                    await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
                    return 1;
                }

                runId = started!.Id;
            }
            else
            {
                Console.WriteLine($"Tiếp tục bảng {runId} đang tính dở / resuming run {runId}");
            }

            var computer = app.Services.GetRequiredService<RunComputer>();
            var computed = false;
            await AnsiConsole.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask($"Bảng chi trả {m} tỉnh {p} / payroll", maxValue: 1);
                computed = await computer.ComputeAsync(runId.Value, new Progress<RunProgress>(x =>
                {
                    task.MaxValue = Math.Max(1, x.Total);
                    task.Value = x.Done;
                }), ct).ConfigureAwait(false);
                task.Value = task.MaxValue;
            }).ConfigureAwait(false);
            if (!computed)
            {
                await Console.Error.WriteLineAsync($"Run {runId} is being computed by another process.").ConfigureAwait(false);
                return 1;
            }

            return await ShowAsync(db, p, runId.Value, ct).ConfigureAwait(false);
        }));

        var show = new Command("show", "Xem bảng chi trả: tổng theo loại tiền và theo xã / show a run's totals") { province, month };
        show.SetAction((pr, ct) => WithApp(async (app, _) =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var p = pr.GetValue(province)!;
            if (!YearMonth.TryParse(pr.GetValue(month), out var m)
                || await db.PayrollRuns.AsNoTracking().Where(r => r.ProvinceCode == p && r.Month == m.FirstDay && r.Status != "discarded").Select(r => (long?)r.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false) is not { } id)
            {
                await Console.Error.WriteLineAsync("Không có bảng chi trả cho tỉnh và tháng này / no run for this province and month.").ConfigureAwait(false);
                return 1;
            }

            return await ShowAsync(db, p, id, ct).ConfigureAwait(false);
        }));

        var file = new Option<FileInfo>("--file") { Required = true, Description = "Tệp kết quả CSV/xlsx: line,outcome,date,receiver,note / results file" };
        file.AcceptExistingOnly();
        var commit = new Option<bool>("--commit") { Description = "Ghi khi không còn lỗi (mặc định: chỉ kiểm tra) / write when no problem remains (default: check only)" };
        var results = new Command("results", "Nhập kết quả chi trả: tất cả hoặc không gì, nhập lại không đổi gì / record outcomes, all or nothing, idempotent") { province, month, file, commit };
        results.SetAction((pr, ct) => WithApp(async (app, _) =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Audit.Actor = PayrollActor;
            var p = pr.GetValue(province)!;
            if (!YearMonth.TryParse(pr.GetValue(month), out var m)
                || await db.PayrollRuns.AsNoTracking().Where(r => r.ProvinceCode == p && r.Month == m.FirstDay && r.Status != "discarded").Select(r => (long?)r.Id).FirstOrDefaultAsync(ct).ConfigureAwait(false) is not { } id)
            {
                await Console.Error.WriteLineAsync("Không có bảng chi trả cho tỉnh và tháng này / no run for this province and month.").ConfigureAwait(false);
                return 1;
            }

            var f = pr.GetValue(file)!;
            if (f.Length > PayrollOutcomes.MaxFileBytes)
            {
                await Console.Error.WriteLineAsync($"Tệp lớn quá {PayrollOutcomes.MaxFileBytes / 1024 / 1024} MB / file too large.").ConfigureAwait(false);
                return 1;
            }

            var bytes = await File.ReadAllBytesAsync(f.FullName, ct).ConfigureAwait(false);
            var (rows, fileError) = PayrollOutcomes.ReadFile(f.Name, bytes);
            if (fileError is not null)
            {
                await Console.Error.WriteLineAsync($"row {fileError.Row}, {fileError.Field}: {fileError.Message}").ConfigureAwait(false);
                return 2;
            }

            var (report, error) = await scope.ServiceProvider.GetRequiredService<PayrollOutcomes>()
                .RecordAsync(p, id, rows, PayrollOutcomes.SourceOf(f.Name, bytes), !pr.GetValue(commit), PayrollActor, ct).ConfigureAwait(false);
            if (error is not null)
            {
                await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine($"{report!.Rows} rows: {report.Recorded} {(report.Committed ? "recorded" : "to record")}, {report.Unchanged} already recorded, {report.Problems.Count} problems{(report.RunClosed ? "; the run is closed" : "")}.");
            foreach (var problem in report.Problems.Take(50))
            {
                Console.WriteLine($"  row {problem.Row}, {problem.Field}: {problem.Message}");
            }

            return report.Problems.Count > 0 ? 2 : 0;
        }));
        return new Command("payroll", "Bảng chi trả hằng tháng / monthly payroll") { run, show, results };
    }

    private static async Task<int> ShowAsync(AppDbContext db, string province, long runId, CancellationToken ct)
    {
        var view = (await RunQueries.ViewAsync(db, province, runId, ct).ConfigureAwait(false))!;
        var vi = CultureInfo.GetCultureInfo("vi-VN");
        Console.WriteLine($"Run {view.Id}: province {view.ProvinceCode}, month {view.Month}, cut-off {view.CutOff:yyyy-MM-dd}, status {view.Status}");
        if (view.Failure is not null)
        {
            Console.WriteLine($"  failed: {view.Failure}");
            return 1;
        }

        Console.WriteLine($"  {view.Lines.ToString("N0", vi)} people (one line each), {view.Items.ToString("N0", vi)} items, {view.Total.ToString("N0", vi)} đồng; {view.UnroutedLines} lines without a payer");
        Console.WriteLine($"  content hash {view.ContentHash}; {view.FullReads.ToString("N0", vi)} people's whole ledger read");
        var scope = new UserScope(ScopeLevel.Province, province, null);
        foreach (var k in await RunQueries.TotalsAsync(db, runId, "kind", scope, ct).ConfigureAwait(false))
        {
            Console.WriteLine($"  {k.Key,-11} {k.Total.ToString("N0", vi),20} đ");
        }

        var communes = await RunQueries.TotalsAsync(db, runId, "commune", scope, ct).ConfigureAwait(false);
        Console.WriteLine($"  {communes.Count} communes; largest:");
        foreach (var c in communes.OrderByDescending(c => c.Total).Take(5))
        {
            Console.WriteLine($"    {c.Key} {c.Name,-30} {c.Lines,7} lines {c.Total.ToString("N0", vi),18} đ");
        }

        return RunWorkflow.Parse(view.Status) == RunStatus.Failed ? 1 : 0;
    }
}
