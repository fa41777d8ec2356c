using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using AnSinh.Web.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Spectre.Console;

namespace AnSinh.Bench;

/// <summary>
/// The oversight pages of a large province, served over HTTP by the app itself (Kestrel, cookies, antiforgery, Razor:
/// what an officer's browser waits for): the province dashboard, its commune view, the standard reports, the risk
/// flags and the nation's dashboard, over DisbursementScale's five sent months of <c>lines</c> lines, with an open
/// enrolment per person, a regular item per line, results for every month (one in twenty-five not collected), and 3,000 grievances.
/// </summary>
public static partial class OversightScale
{
    public sealed record Row(string Page, int Runs, double P50, double P95, double Max, long Bytes);

    private const string Password = "Bench-Admin-Pass-1";

    public static async Task PrepareAsync(string cs, int lines)
    {
        await using var ds = NpgsqlDataSource.Create(cs);
        var sw = Stopwatch.StartNew();
        await using (var cmd = ds.CreateCommand($"""
            INSERT INTO enrolment (person_id, province_code, commune_code, programme, status, start_month, categories, created_by)
            SELECT id, province_code, commune_code, 'social_assistance', 'active', date '2026-01-01',
                   jsonb_build_array(jsonb_build_object('code', (ARRAY['1', '4', '5a', '5b', '5c', '6', '7'])[1 + id % 7])), 'bench' FROM person;
            INSERT INTO payroll_outcome (run_id, line_no, outcome, paid_on, receiver, source, recorded_by, recorded_at)
            SELECT l.run_id, l.line_no, CASE WHEN l.person_id % 25 = 0 THEN 'unpaid' ELSE 'paid' END,
                   CASE WHEN l.person_id % 25 = 0 THEN NULL ELSE r.month + 9 END, CASE WHEN l.person_id % 25 = 0 THEN NULL ELSE 'self' END, 'bench', 'bench', now()
            FROM payroll_line l JOIN payroll_run r ON r.id = l.run_id;
            INSERT INTO grievance (code, province_code, commune_code, kind, channel, topic, person_id, filer_name, summary, status, received_on, accept_due_on, due_on, created_by)
            SELECT 'BNCH-' || upper(lpad(to_hex(g), 4, '0')) || '-' || upper(lpad(to_hex(g * 7 % 65536), 4, '0')), '01', p.commune_code,
                   (ARRAY['complaint', 'denunciation', 'petition'])[1 + g % 3], 'online', 'not_paid', p.id, 'Người gửi ' || g, 'Nội dung ' || g,
                   (ARRAY['received', 'accepted'])[1 + g % 2], date '2026-09-01' + (g % 80), date '2026-09-15' + (g % 80), date '2026-10-15' + (g % 80), 'bench'
            FROM generate_series(1, 3000) g JOIN person p ON p.id = g * 37 % {lines} + 1;
            ALTER TABLE payroll_item DISABLE TRIGGER USER; -- the bench's runs were approved as they were made: their items are added here
            INSERT INTO payroll_item (run_id, line_no, person_id, programme, month, kind, amount, owed, coefficient, base, category, reason)
            SELECT l.run_id, l.line_no, l.person_id, 'social_assistance', r.month, 'regular', l.regular, l.regular, 15, 540000, l.category, 'bench'
            FROM payroll_line l JOIN payroll_run r ON r.id = l.run_id;
            ALTER TABLE payroll_item ENABLE TRIGGER USER;
            UPDATE grievance SET status = 'answered', answer = 'Đã trả lời', answered_on = received_on + 5, answered_by = 'bench', action_kind = 'none' WHERE id % 3 = 0;
            """))
        {
            cmd.CommandTimeout = 0;
            await cmd.ExecuteNonQueryAsync();
        }

        await using (var vacuum = ds.CreateCommand("VACUUM ANALYZE"))
        {
            vacuum.CommandTimeout = 0;
            await vacuum.ExecuteNonQueryAsync();
        }

        AnsiConsole.WriteLine($"enrolments, results and grievances added in {sw.Elapsed.TotalSeconds:F0} s");
    }

    public static async Task<IReadOnlyList<Row>> RunAsync(string cs, int runs)
    {
        const string url = "http://127.0.0.1:5098";
        await using var app = AppHost.Build(["--ConnectionStrings:AnSinh=" + cs, "--urls=" + url, "--Logging:LogLevel:Default=Warning",
            "--Clock:FixedUtc=2026-11-20T03:00:00Z", "--ANSINH_ADMIN_PASSWORD=" + Password, "--applicationName=AnSinh.Web"]); // the pages are the web assembly's
        await app.StartAsync();
        await using (var scope = app.Services.CreateAsyncScope())
        {
            // The benchmark's runs were approved in SQL: their dashboard sums are written here, as approval writes them
            // (timed: what approving one run adds to its transaction is this divided by the runs).
            var sums = Stopwatch.StartNew();
            await AnSinh.Web.Features.Oversight.RunSums.WriteAsync(scope.ServiceProvider.GetRequiredService<AnSinh.Web.Database.AppDbContext>(), null, CancellationToken.None);
            AnsiConsole.WriteLine($"run sums (by channel and by category) written for every approved run in {sums.Elapsed.TotalSeconds:F1} s");
        }

        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false };
        using var http = new HttpClient(handler) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        var loginPage = await http.GetAsync("/Account/Login");
        if (loginPage.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"login page: {loginPage.StatusCode} {loginPage.Headers.Location}");
        }

        var login = await loginPage.Content.ReadAsStringAsync();
        var token = WebUtility.HtmlDecode(Token().Match(login).Groups[1].Value);
        var signedIn = await http.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["UserName"] = "admin", ["Password"] = Password, ["__RequestVerificationToken"] = token,
        }));
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"sign-in failed: {signedIn.StatusCode}");
        }

        await using var ds = NpgsqlDataSource.Create(cs);
        await using var c = ds.CreateCommand("SELECT commune_code FROM person GROUP BY 1 ORDER BY count(*) DESC LIMIT 1");
        var commune = (string)(await c.ExecuteScalarAsync())!;
        (string Name, string Path)[] pages =
        [
            ("province dashboard", "/Dashboard/01?Month=2026-10"),
            ("commune dashboard", $"/Dashboard/01?Month=2026-10&Commune={commune}"),
            ("dashboard xlsx", "/Dashboard/01?handler=Xlsx&Month=2026-10"),
            ("nation's dashboard", "/Dashboard?Month=2026-10"),
            ("report: summary, 5 months", "/Reports/01?report=summary&from=2026-06&to=2026-10"),
            ("report: increases/decreases", "/Reports/01?report=changes&to=2026-10"),
            ("report: not collecting", "/Reports/01?report=not_collecting&to=2026-10"),
            ("risk flags", "/Inspections/01/Flags"),
            ("grievances (open)", "/Grievances/01"),
        ];
        var rows = new List<Row>();
        foreach (var (name, path) in pages)
        {
            (await http.GetAsync(path)).EnsureSuccessStatusCode(); // warm: JIT, plans, caches
            var times = new List<double>();
            long bytes = 0;
            for (var i = 0; i < runs; i++)
            {
                var sw = Stopwatch.StartNew();
                var response = await http.GetAsync(path);
                var body = await response.Content.ReadAsByteArrayAsync();
                sw.Stop();
                response.EnsureSuccessStatusCode();
                bytes = body.Length;
                times.Add(sw.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            rows.Add(new Row(name, runs, times[times.Count / 2], times[(int)Math.Ceiling(times.Count * 0.95) - 1], times[^1], bytes));
        }

        await app.StopAsync();
        return rows;
    }

    public static void Print(IReadOnlyList<Row> rows, int lines)
    {
        var table = new Table().Title($"Oversight pages over HTTP, province of {lines:N0} people, 5 months of lines and results")
            .AddColumns("page", "runs", "p50 ms", "p95 ms", "max ms", "bytes");
        foreach (var r in rows)
        {
            table.AddRow(r.Page, r.Runs.ToString(CultureInfo.InvariantCulture), r.P50.ToString("F0", CultureInfo.InvariantCulture),
                r.P95.ToString("F0", CultureInfo.InvariantCulture), r.Max.ToString("F0", CultureInfo.InvariantCulture), r.Bytes.ToString("N0", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
