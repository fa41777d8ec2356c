using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Npgsql;

namespace AnSinh.Bench;

/// <summary>
/// What bench/load/officer.lua reads: signed-in sessions of the demo province's officer, people to open, search terms
/// from their names, a commune for new people, and a payer's results for a sent run (a commune's recorded outcomes,
/// so sending them again records nothing new). Written to a folder, one value per line.
/// </summary>
public static partial class LoadPrepare
{
    public static async Task RunAsync(string url, string connectionString, string dir, int sessions, string password)
    {
        Directory.CreateDirectory(dir);
        var cookies = new List<string>();
        for (var i = 0; i < sessions; i++)
        {
            var jar = new CookieContainer();
            using var http = new HttpClient(new HttpClientHandler { CookieContainer = jar, AllowAutoRedirect = false }) { BaseAddress = new Uri(url) };
            var token = Token().Match(await http.GetStringAsync("/Account/Login")).Groups[1].Value;
            var signedIn = await http.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["UserName"] = "canbo.tinh19", ["Password"] = password, ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
            }));
            if (signedIn.StatusCode != HttpStatusCode.Redirect)
            {
                throw new InvalidOperationException($"Sign-in failed: {(int)signedIn.StatusCode}");
            }

            cookies.Add(string.Join("; ", jar.GetCookies(new Uri(url)).Select(c => $"{c.Name}={c.Value}")));
        }

        await File.WriteAllLinesAsync(Path.Combine(dir, "cookies.txt"), cookies);
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        async Task<List<string>> Column(string sql)
        {
            var values = new List<string>();
            await using var cmd = new NpgsqlCommand(sql, conn);
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                values.Add(Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture)!);
            }

            return values;
        }

        await File.WriteAllLinesAsync(Path.Combine(dir, "people.txt"), await Column("SELECT id FROM person WHERE province_code = '19' ORDER BY md5(id::text) LIMIT 5000"));
        // What officers type: a given name and the word before it ("Thị Lan"), or a family name with a given name.
        await File.WriteAllLinesAsync(Path.Combine(dir, "terms.txt"), await Column("""
            SELECT DISTINCT CASE WHEN id % 2 = 0 THEN array_to_string((string_to_array(full_name, ' '))[array_length(string_to_array(full_name, ' '), 1) - 1:], ' ')
                                 ELSE split_part(full_name, ' ', 1) || ' ' || (string_to_array(full_name, ' '))[array_length(string_to_array(full_name, ' '), 1)] END
            FROM (SELECT id, full_name FROM person WHERE province_code = '19' ORDER BY md5(id::text) LIMIT 400) p
            """));
        await File.WriteAllLinesAsync(Path.Combine(dir, "commune.txt"), await Column("SELECT commune_code FROM person WHERE province_code = '19' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1"));
        var run = (await Column("""
            SELECT r.id FROM payroll_run r WHERE r.province_code = '19' AND EXISTS (SELECT 1 FROM payroll_outcome o WHERE o.run_id = r.id) ORDER BY r.month DESC LIMIT 1
            """))[0];
        await File.WriteAllLinesAsync(Path.Combine(dir, "run.txt"), [run]);
        var csv = new StringBuilder("line,outcome,date,receiver,note\n");
        foreach (var row in await Column($"""
            SELECT o.line_no || ',' || o.outcome || ',' || coalesce(o.paid_on::text, '') || ',' || coalesce(o.receiver, '') || ','
            FROM payroll_outcome o JOIN payroll_line l USING (run_id, line_no)
            WHERE o.run_id = {run} AND l.commune_code = (SELECT commune_code FROM payroll_line WHERE run_id = {run} GROUP BY 1 ORDER BY count(*) DESC LIMIT 1)
            ORDER BY o.line_no
            """))
        {
            csv.Append(row).Append('\n');
        }

        const string boundary = "ansinh-load-boundary";
        var body = $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"ket-qua.csv\"\r\nContent-Type: text/csv\r\n\r\n{csv}\r\n--{boundary}--\r\n";
        await File.WriteAllTextAsync(Path.Combine(dir, "results.body"), body, new UTF8Encoding(false));
        await File.WriteAllLinesAsync(Path.Combine(dir, "results.boundary"), [boundary]);
        Console.WriteLine($"{sessions} sessions, results file of {csv.ToString().Count(c => c == '\n') - 1} lines for run {run}, written to {dir}");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
