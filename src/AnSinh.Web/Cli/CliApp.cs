using System.CommandLine;
using AnSinh.Web.Audit;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Admin.Users;
using AnSinh.Web.Hosting;
using AnSinh.Web.Seeding;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Identity;
using Spectre.Console;

namespace AnSinh.Web.Cli;

/// <summary>The command-line face of the one binary: `AnSinh.Web &lt;command&gt;`.</summary>
public static partial class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("AnSinh: quản lý chi trả trợ giúp xã hội / social assistance payments");
        root.Subcommands.Add(ServeCommand());
        root.Subcommands.Add(DbCommand());
        root.Subcommands.Add(SeedCommand());
        root.Subcommands.Add(AuditCommand());
        root.Subcommands.Add(UsersCommand());
        root.Subcommands.Add(RulesCommand());
        root.Subcommands.Add(ImportCommand());
        root.Subcommands.Add(PayrollCommand());
        var parsed = root.Parse(args);
        // The host handles SIGTERM/Ctrl+C itself and then disposes its services, which stops the local
        // cluster; System.CommandLine's own handler would return early and skip that.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    private static Command ServeCommand()
    {
        var urls = new Option<string?>("--urls") { Description = "Địa chỉ lắng nghe / listen addresses (default http://127.0.0.1:5080)" };
        var cmd = new Command("serve", "Chạy ứng dụng web / serve the web app") { urls };
        cmd.SetAction(async (pr, _) =>
        {
            var u = pr.GetValue(urls);
            await AppHost.ServeAsync(u is null ? [] : ["--urls", u]).ConfigureAwait(false);
            return 0;
        });
        return cmd;
    }

    private static Command DbCommand()
    {
        var migrate = new Command("migrate", "Áp dụng các migration SQL và dữ liệu địa giới / apply SQL migrations and reference data");
        migrate.SetAction((_, ct) => WithApp(async (app, _) =>
        {
            var report = await app.Services.GetRequiredService<StartupTasks>().MigrateAsync(ct).ConfigureAwait(false);
            foreach (var m in report.Applied)
            {
                Console.WriteLine($"  applied {m.Version:D4}_{m.Name}.sql");
            }

            Console.WriteLine($"Migrations: {report.Applied.Count} applied, {report.AlreadyApplied} already applied.");
            return 0;
        }, migrate: false));
        return new Command("db", "Cơ sở dữ liệu / database") { migrate };
    }

    private static Command SeedCommand()
    {
        var province = new Option<string>("--province") { Description = "Mã tỉnh 2 chữ số / province code", DefaultValueFactory = _ => "19" };
        var people = new Option<int>("--people") { Description = "Số người / number of people", DefaultValueFactory = _ => 2000 };
        var seed = new Option<int>("--seed") { Description = "Hạt giống ngẫu nhiên / random seed", DefaultValueFactory = _ => 20250701 };
        var ifEmpty = new Option<bool>("--if-empty") { Description = "Bỏ qua nếu tỉnh đã có dữ liệu / skip when the province already has people" };
        var staff = new Option<bool>("--staff") { Description = "Tạo tài khoản cán bộ mẫu / also create demo staff accounts (commune officer, chairman, province officer, approver)" };
        var demo = new Command("demo", "Tạo dữ liệu mẫu / create synthetic demo beneficiaries") { province, people, seed, ifEmpty, staff };
        people.Validators.Add(r =>
        {
            // Runs on the raw token: an unparseable value is already reported by the parser.
            if (r.Tokens.Count == 1 && int.TryParse(r.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out var n) && n is < 1 or > 10_000_000)
            {
                r.AddError("--people must be between 1 and 10,000,000.");
            }
        });
        demo.SetAction((pr, ct) => WithApp(async (app, _) =>
        {
            var db = app.Services.GetRequiredService<DatabaseConnection>();
            var time = app.Services.GetRequiredService<TimeProvider>();
            var count = pr.GetValue(people);
            DemoSeeder.Result? result = null;
            await AnsiConsole.Progress().StartAsync(async ctx =>
            {
                var task = ctx.AddTask("Tạo dữ liệu mẫu / seeding", maxValue: count);
                result = await DemoSeeder.SeedAsync(db.DataSource, pr.GetValue(province)!, count, time.VietnamNow(),
                    pr.GetValue(ifEmpty), pr.GetValue(seed), "cli:seed-demo", new Progress<int>(n => task.Value = n), ct).ConfigureAwait(false);
                task.Value = count;
            }).ConfigureAwait(false);
            Console.WriteLine(result!.Skipped
                ? $"Province {pr.GetValue(province)} already has people: nothing seeded."
                : $"Seeded {result.People} people and {result.Enrolments} enrolments in province {pr.GetValue(province)}.");
            if (pr.GetValue(staff) && !result.Skipped)
            {
                var (accounts, password, communeName) = await DemoStaff.CreateAsync(app.Services, pr.GetValue(province)!, ct).ConfigureAwait(false);
                Console.WriteLine($"Tài khoản mẫu / demo staff ({communeName}), mật khẩu chung / shared password: {password}");
                foreach (var a in accounts)
                {
                    Console.WriteLine($"  {a.UserName,-22} {a.Role} {a.Title}");
                }

                var payroll = await DemoPayroll.SeedAsync(app.Services, pr.GetValue(province)!, ct).ConfigureAwait(false);
                Console.WriteLine($"Bảng chi trả mẫu / demo payroll: {payroll.Runs} months approved with results, {payroll.Lines} lines, {payroll.Total:N0} đồng");
                var oversight = await DemoOversight.SeedAsync(app.Services, pr.GetValue(province)!, ct).ConfigureAwait(false);
                Console.WriteLine($"Khiếu nại và thanh tra mẫu / demo oversight: {oversight.Grievances} grievances, an inspection plan of {oversight.Sampled} people with {oversight.Findings} finding(s)");

                if (db.IsLocalCluster)
                {
                    var file = Path.Combine(Database.LocalCluster.DefaultDataFolder(), "demo-staff.txt");
                    await File.WriteAllTextAsync(file, $"{password}\n{string.Join("\n", accounts.Select(a => a.UserName))}\n", ct).ConfigureAwait(false);
                    File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                }
            }

            return 0;
        }));
        return new Command("seed", "Dữ liệu mẫu / demo data") { demo };
    }

    private static Command AuditCommand()
    {
        var anchor = new Option<string>("--anchor") { Description = "ROW:HASH printed on a settlement: the row must still be in the chain with that hash" };
        var verify = new Command("verify", "Kiểm tra chuỗi băm nhật ký / recompute the audit hash chain") { anchor };
        verify.SetAction((pr, ct) => WithApp(async (app, _) =>
        {
            var db = app.Services.GetRequiredService<DatabaseConnection>();
            var (rows, broken) = await AuditLog.VerifyAsync(db.DataSource, null, ct).ConfigureAwait(false);
            if (broken is null && pr.GetValue(anchor) is { } a)
            {
                var parts = a.Split(':');
                if (parts.Length != 2 || !long.TryParse(parts[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var id))
                {
                    await Console.Error.WriteLineAsync("--anchor must be ROW:HASH, as printed on the settlement.").ConfigureAwait(false);
                    return 1;
                }

                if (await AuditLog.CheckAnchorAsync(db.DataSource, id, parts[1], ct).ConfigureAwait(false) is { } problem)
                {
                    await Console.Error.WriteLineAsync($"Audit chain BROKEN at the printed anchor: {problem}.").ConfigureAwait(false);
                    return 2;
                }

                Console.WriteLine($"Audit chain OK: {rows} rows verified; the printed anchor {id} is in it.");
                return 0;
            }

            if (broken is null)
            {
                Console.WriteLine($"Audit chain OK: {rows} rows verified.");
                return 0;
            }

            await Console.Error.WriteLineAsync($"Audit chain BROKEN at row id {broken.Id}: {broken.Problem}.").ConfigureAwait(false);
            return 2;
        }));
        return new Command("audit", "Nhật ký kiểm toán / audit log") { verify };
    }

    private static Command UsersCommand()
    {
        var userName = new Option<string>("--username") { Required = true, Description = "Tên đăng nhập / user name" };
        var fullName = new Option<string>("--full-name") { Required = true, Description = "Họ tên / full name" };
        var role = new Option<string>("--role") { Required = true, Description = "Vai trò / role: " + string.Join(", ", Roles.All) };
        role.AcceptOnlyFromAmong([.. Roles.All]);
        var province = new Option<string?>("--province") { Description = "Mã tỉnh / province code" };
        var commune = new Option<string?>("--commune") { Description = "Mã xã / commune code" };
        var password = new Option<string?>("--password") { Description = "Mật khẩu (hoặc biến ANSINH_NEW_USER_PASSWORD) / password (or ANSINH_NEW_USER_PASSWORD)" };
        var title = new Option<string?>("--title") { Description = "Chức danh ký quyết định / title on signed decisions (Chủ tịch, Phó Chủ tịch)" };
        var add = new Command("add", "Thêm người dùng / add a user") { userName, fullName, role, province, commune, password, title };
        add.SetAction((pr, ct) => WithApp(async (app, _) =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Audit.Actor = "cli:users-add";
            var pwd = pr.GetValue(password) ?? Environment.GetEnvironmentVariable("ANSINH_NEW_USER_PASSWORD");
            var generated = string.IsNullOrEmpty(pwd);
            pwd = generated ? StartupTasks.GeneratePassword() : pwd!;
            var (user, errors) = await UserCommands.CreateAsync(scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(), db,
                new CreateUserRequest(pr.GetValue(userName)!, pr.GetValue(fullName)!, pr.GetValue(role)!, pr.GetValue(province), pr.GetValue(commune), pwd, pr.GetValue(title)),
                app.Services.GetRequiredService<TimeProvider>(), ct).ConfigureAwait(false);
            if (user is null)
            {
                await Console.Error.WriteLineAsync("Không tạo được người dùng / user not created: " + errors).ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine(generated ? $"User {user.UserName} created; password: {pwd}" : $"User {user.UserName} created.");
            return 0;
        }));
        return new Command("users", "Người dùng / users") { add };
    }

    private static Command RulesCommand()
    {
        var input = new Option<FileInfo>("--input") { Required = true, Description = "Tệp JSON các trường hợp / JSON file of cases" };
        input.AcceptExistingOnly();
        var output = new Option<FileInfo?>("--output") { Description = "Tệp kết quả (mặc định: stdout) / results file (default: stdout)" };
        var knownOn = new Option<string?>("--known-on") { Description = "Chỉ dùng văn bản đã biết đến ngày này (yyyy-MM-dd; mặc định hôm nay) / rules known on this day" };
        var nationalOnly = new Option<bool>("--national-only") { Description = "Bỏ qua mức riêng của tỉnh, không cần cơ sở dữ liệu / ignore province overrides; no database" };
        var evaluate = new Command("evaluate", "Tính mức trợ cấp hằng tháng cho một loạt trường hợp / evaluate monthly entitlements") { input, output, knownOn, nationalOnly };
        evaluate.SetAction((pr, ct) => WithApp(async (app, _) =>
        {
            DateOnly day;
            var knownText = pr.GetValue(knownOn);
            if (knownText is null)
            {
                day = app.Services.GetRequiredService<TimeProvider>().VietnamToday();
            }
            else if (!DateOnly.TryParseExact(knownText, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out day))
            {
                await Console.Error.WriteLineAsync("--known-on: cần ngày dạng yyyy-MM-dd / expected yyyy-MM-dd").ConfigureAwait(false);
                return 2;
            }

            var catalog = app.Services.GetRequiredService<Features.Rules.RulesCatalog>();
            IReadOnlyList<Core.Rules.ProvinceOverride> overrides = [];
            if (!pr.GetValue(nationalOnly))
            {
                await using var scope = app.Services.CreateAsyncScope();
                overrides = await Features.Rules.RulesCatalog.LoadOverridesAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), ct).ConfigureAwait(false);
            }

            var evaluator = catalog.Evaluator(overrides, day);
            var inputFile = pr.GetValue(input)!;
            var outputFile = pr.GetValue(output);
            var errConsole = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            try
            {
                Features.Rules.BatchEvaluation.Summary? summary = null;
                await using var inStream = inputFile.OpenRead();
                if (outputFile is null)
                {
                    await using var stdout = Console.OpenStandardOutput();
                    summary = await Features.Rules.BatchEvaluation.RunAsync(inStream, stdout, evaluator, null, ct).ConfigureAwait(false);
                }
                else
                {
                    // All or nothing: the results file appears only when every case has been written.
                    var temp = outputFile.FullName + ".tmp";
                    await errConsole.Progress().StartAsync(async ctx =>
                    {
                        var task = ctx.AddTask("Tính trợ cấp / evaluating", maxValue: Math.Max(1, Features.Rules.BatchEvaluation.CountCases(inputFile.FullName)));
                        await using var outStream = File.Create(temp);
                        summary = await Features.Rules.BatchEvaluation.RunAsync(inStream, outStream, evaluator, new Progress<int>(n => task.Value = n), ct).ConfigureAwait(false);
                        task.Value = task.MaxValue;
                    }).ConfigureAwait(false);
                    File.Move(temp, outputFile.FullName, overwrite: true);
                }

                await Console.Error.WriteLineAsync($"{summary!.Cases} cases, {summary.Errors} with errors (rules known on {day:yyyy-MM-dd}).").ConfigureAwait(false);
                return 0;
            }
            catch (Features.Rules.BatchInputException e)
            {
                await Console.Error.WriteLineAsync(e.Message).ConfigureAwait(false);
                if (outputFile is not null)
                {
                    File.Delete(outputFile.FullName + ".tmp");
                }

                return 2;
            }
        }, migrate: !pr.GetValue(nationalOnly)));
        return new Command("rules", "Quy định mức trợ cấp / entitlement rules") { evaluate };
    }

    private static Command ImportCommand()
    {
        var file = new Option<FileInfo>("--file") { Required = true, Description = "Tệp .xlsx hoặc .csv theo mẫu / the list, in the template" };
        file.AcceptExistingOnly();
        var province = new Option<string>("--province") { Required = true, Description = "Mã tỉnh nhận danh sách / province code" };
        var commune = new Option<string?>("--commune") { Description = "Giới hạn trong một xã / limit to one commune" };
        var commit = new Option<bool>("--commit") { Description = "Ghi vào hệ thống khi không còn lỗi (mặc định: chỉ kiểm tra) / write when no problem remains (default: check only)" };
        var legacy = new Command("legacy", "Nhập danh sách cũ: kiểm tra, rồi ghi tất cả hoặc không gì / import a legacy list, all or nothing") { file, province, commune, commit };
        legacy.SetAction((pr, ct) => WithApp(async (app, _) =>
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Audit.Actor = "cli:import";
            var commands = scope.ServiceProvider.GetRequiredService<Features.Registry.Import.ImportCommands>();
            var c = pr.GetValue(commune);
            var userScope = new UserScope(c is null ? ScopeLevel.Province : ScopeLevel.Commune, pr.GetValue(province), c);
            var f = pr.GetValue(file)!;
            var (report, error) = await commands.DryRunAsync(userScope, f.Name, await File.ReadAllBytesAsync(f.FullName, ct), "cli:import", ct).ConfigureAwait(false);
            if (error is not null)
            {
                await Console.Error.WriteLineAsync(error.Message).ConfigureAwait(false);
                return 1;
            }

            Console.WriteLine($"Batch {report!.BatchId}: {report.Rows} rows, {report.Valid} valid, {report.ProblemCount} problems.");
            foreach (var p in report.Problems.Take(50))
            {
                Console.WriteLine($"  row {p.Row}, {p.Field}: {p.Message}");
            }

            if (report.ProblemCount > 0)
            {
                return 2;
            }

            if (pr.GetValue(commit))
            {
                var (done, commitError) = await commands.CommitAsync(userScope, report.BatchId, "cli:import", ct).ConfigureAwait(false);
                if (commitError is not null)
                {
                    await Console.Error.WriteLineAsync(commitError.Message).ConfigureAwait(false);
                    return 1;
                }

                Console.WriteLine($"Committed {done!.Valid} people.");
            }

            return 0;
        }));
        return new Command("import", "Nhập dữ liệu / import") { legacy };
    }

    /// <summary>Builds the app's services (not its web server), runs start-up tasks, and maps failures to a clear message and exit 1.</summary>
    private static async Task<int> WithApp(Func<WebApplication, CancellationToken, Task<int>> work, bool migrate = true)
    {
        try
        {
            await using var app = AppHost.Build(["--Logging:LogLevel:Default=Warning"]);
            if (migrate)
            {
                await app.Services.GetRequiredService<StartupTasks>().RunAsync().ConfigureAwait(false);
            }

            return await work(app, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is MigrationException or LocalClusterException or ArgumentException or Npgsql.NpgsqlException or Core.Rules.RuleSetException)
        {
            await Console.Error.WriteLineAsync("Lỗi / error: " + e.Message).ConfigureAwait(false);
            return 1;
        }
    }
}
