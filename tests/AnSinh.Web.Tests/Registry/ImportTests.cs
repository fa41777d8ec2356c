using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using AnSinh.Core.People;
using AnSinh.Web.Features.Registry.Import;
using AnSinh.Web.Security;
using AnSinh.Web.Tests.Support;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Shouldly;

namespace AnSinh.Web.Tests.Registry;

public sealed partial class ImportTests(AppFixture app) : IClassFixture<AppFixture>, IAsyncLifetime
{
    private const string Header = "so_dinh_danh,ho_ten,ngay_sinh,gioi_tinh,ma_xa,ma_xa_cu,thon,nhom,muc_do,so_con,thang_bat_dau,so_quyet_dinh,xac_nhan_dinh_danh";
    private HttpClient _officer = null!;
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        if (await app.ScalarAsync<long>("SELECT count(*) FROM app_user WHERE user_name = 'imp-p19'") == 0)
        {
            await app.CreateUserAsync("imp-p19", Roles.ProvinceOfficer, "19");
        }

        _officer = await app.SignedInAsync("imp-p19");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string Id(int year, Sex sex, int n) => CitizenId.Compose("019", year, sex, n);

    private async Task<JsonElement> DryRunAsync(string fileName, byte[] content)
    {
        var page = await _officer.GetStringAsync("/Registry/Import", Ct);
        var token = WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(content), "file", fileName },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        var response = await _officer.PostAsync("/api/v1/registry/imports", form, Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private static List<(int Row, string Field, string Message)> Problems(JsonElement report) =>
        [.. report.GetProperty("problems").EnumerateArray().Select(p => (p.GetProperty("row").GetInt32(), p.GetProperty("field").GetString()!, p.GetProperty("message").GetString()!))];

    [Fact]
    public async Task BrokenFile_EveryProblemReportedByRowAndField_NothingWritten()
    {
        var existing = Id(1950, Sex.Female, 910001);
        await app.ExecAsync($"INSERT INTO person (citizen_id, full_name, birth_date, sex, province_code, commune_code) VALUES ('{existing}', 'Đã Có', '1950-01-01', 1, '19', '01840') ON CONFLICT DO NOTHING");
        var dup = Id(1951, Sex.Male, 910002);
        var csv = new StringBuilder(Header).Append('\n')
            .Append($"{Id(1950, Sex.Female, 910010)},Nguyễn Thị Một,15/03/1950,Nữ,01840,,Tổ 1,5a,,,07/2021,,\n")        // row 2: good
            .Append("12345,Trần Văn Hai,15/03/1950,Nam,01840,,,5a,,,07/2021,,\n")                                        // row 3: ID shape
            .Append($"{Id(1960, Sex.Male, 910011)},Lê Văn Ba,15/03/1950,Nam,01840,,,5a,,,07/2021,,\n")                  // row 4: ID year mismatch, no reason
            .Append($"{dup},Phạm Văn Bốn,01/01/1951,Nam,01840,,,5a,,,07/2021,,\n")                                      // row 5: first of a duplicate
            .Append($"{dup},Phạm Văn Bốn,01/01/1951,Nam,01840,,,5a,,,07/2021,,\n")                                      // row 6: duplicate of row 5
            .Append($"{existing},Đã Có,01/01/1950,Nữ,01840,,,5a,,,07/2021,,\n")                                        // row 7: already in the registry
            .Append($"{Id(1952, Sex.Female, 910012)},Hoàng Thị Sáu,01/01/1952,Nữ,99999,,,5a,,,07/2021,,\n")             // row 8: unknown commune
            .Append($"{Id(1953, Sex.Female, 910013)},Vũ Thị Bảy,31/02/1953,Nữ,01840,,,5a,,,07/2021,,\n")               // row 9: no such date
            .Append($"{Id(1954, Sex.Female, 910014)},Đỗ Thị Tám,01/01/1954,X,01840,,,5a,,,07/2021,,\n")                // row 10: sex
            .Append($"{Id(1990, Sex.Male, 910015)},Bùi Văn Chín,01/01/1990,Nam,01840,,,5c,,,07/2021,,\n")              // row 11: 5c at 31
            .Append($"{Id(1980, Sex.Male, 910016)},Mai Văn Mười,01/01/1980,Nam,01840,,,6,,,07/2021,,\n")               // row 12: 6 without severity
            .Append($"{Id(1955, Sex.Female, 910017)},Tạ Thị Mười Một,01/01/1955,Nữ,01840,,,5a,,,13/2021,,\n")          // row 13: month
            .Append($"{Id(1956, Sex.Female, 910018)},Kim Thị Mười Hai,01/01/1956,Nữ,00004,,,5a,,,07/2021,,\n");        // row 14: Hà Nội, outside the province
        var before = await app.ScalarAsync<long>("SELECT count(*) FROM person");

        var report = await DryRunAsync("danh-sach-loi.csv", Encoding.UTF8.GetBytes(csv.ToString()));

        report.GetProperty("rows").GetInt32().ShouldBe(13);
        report.GetProperty("valid").GetInt32().ShouldBe(2); // rows 2 and 5
        var problems = Problems(report);
        problems.ShouldContain(p => p.Row == 3 && p.Field == "so_dinh_danh" && p.Message.Contains("đúng 12 chữ số"));
        problems.ShouldContain(p => p.Row == 4 && p.Field == "so_dinh_danh" && p.Message.Contains("không khớp năm sinh"));
        problems.ShouldContain(p => p.Row == 6 && p.Field == "so_dinh_danh" && p.Message.Contains("Trùng số định danh với dòng 5"));
        problems.ShouldContain(p => p.Row == 7 && p.Field == "so_dinh_danh" && p.Message.Contains("đã có trong hệ thống"));
        problems.ShouldContain(p => p.Row == 8 && p.Field == "ma_xa" && p.Message.Contains("99999"));
        problems.ShouldContain(p => p.Row == 9 && p.Field == "ngay_sinh");
        problems.ShouldContain(p => p.Row == 10 && p.Field == "gioi_tinh");
        problems.ShouldContain(p => p.Row == 11 && p.Field == "nhom" && p.Message.Contains("từ đủ 80 tuổi"));
        problems.ShouldContain(p => p.Row == 12 && p.Field == "muc_do" && p.Message.Contains("nặng hoặc đặc biệt nặng"));
        problems.ShouldContain(p => p.Row == 13 && p.Field == "thang_bat_dau");
        problems.ShouldContain(p => p.Row == 14 && p.Field == "ma_xa" && p.Message.Contains("ngoài địa bàn"));
        problems.ShouldNotContain(p => p.Row == 2 || p.Row == 5);

        var commit = await _officer.PostAsync($"/api/v1/registry/imports/{report.GetProperty("batchId").GetInt64()}/commit", null, Ct);
        commit.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await commit.Content.ReadAsStringAsync(Ct)).ShouldContain("Chưa ghi dòng nào");
        (await app.ScalarAsync<long>("SELECT count(*) FROM person")).ShouldBe(before);
    }

    [Fact]
    public async Task MissingColumns_AreOneProblemOnTheHeaderRow()
    {
        var report = await DryRunAsync("thieu-cot.csv", Encoding.UTF8.GetBytes("ho_ten,ngay_sinh\nA,01/01/1950\n"));

        var p = Problems(report).ShouldHaveSingleItem();
        p.Row.ShouldBe(1);
        p.Field.ShouldContain("so_dinh_danh");
    }

    [Fact]
    public async Task GoodXlsx_WithOldCommuneCodes_IsCommittedAllTogether()
    {
        // An old commune of Thái Nguyên that went whole into one new commune.
        var oldCode = (await app.ScalarAsync<string>("""
            SELECT m.old_commune_code FROM commune_mapping m JOIN commune c ON c.code = m.new_commune_code
            WHERE c.province_code = '19' GROUP BY m.old_commune_code HAVING count(*) = 1 ORDER BY 1 LIMIT 1
            """))!;
        var newCode = (await app.ScalarAsync<string>($"SELECT new_commune_code FROM commune_mapping WHERE old_commune_code = '{oldCode}'"))!;
        string[][] rows =
        [
            Header.Split(','),
            [Id(1948, Sex.Female, 920001), "Lường Thị Xuân", "1948-02-02", "Nữ", "", oldCode, "Bản Chang", "5a", "", "", "2022-01", "12/QĐ-UBND", ""],
            [Id(1985, Sex.Male, 920002), "Hà Văn Hạ", "15/06/1985", "Nam", "01843", "", "Tổ 2", "6", "dac_biet_nang", "", "03/2023", "", ""],
            [Id(1988, Sex.Female, 920003), "Nông Thị Thu", "01/09/1988", "Nữ", "01840", "", "", "4", "", "2", "01/2024", "", ""],
        ];

        var report = await DryRunAsync("danh-sach.xlsx", Xlsx(rows));
        Problems(report).ShouldBeEmpty();
        report.GetProperty("valid").GetInt32().ShouldBe(3);
        var batch = report.GetProperty("batchId").GetInt64();
        var commit = await _officer.PostAsync($"/api/v1/registry/imports/{batch}/commit", null, Ct);

        commit.StatusCode.ShouldBe(HttpStatusCode.OK, await commit.Content.ReadAsStringAsync(Ct));
        (await app.ScalarAsync<string>($"SELECT commune_code FROM person WHERE citizen_id = '{rows[1][0]}'")).ShouldBe(newCode);
        (await app.ScalarAsync<string>($"SELECT (categories->0->>'code') || ':' || coalesce(categories->0->>'severity', '') || ':' || start_month FROM enrolment e JOIN person p ON p.id = e.person_id WHERE p.citizen_id = '{rows[2][0]}'"))
            .ShouldBe("6:especially_severe:2023-03-01");
        (await app.ScalarAsync<short>($"SELECT (categories->0->>'children')::smallint FROM enrolment e JOIN person p ON p.id = e.person_id WHERE p.citizen_id = '{rows[3][0]}'")).ShouldBe((short)2);
        (await app.ScalarAsync<string>($"SELECT search_name FROM person WHERE citizen_id = '{rows[1][0]}'")).ShouldBe("luong thi xuan");
        (await app.ScalarAsync<string>($"SELECT new_values::text FROM audit_log WHERE action = 'import' AND entity_key = '{batch}'"))!.ShouldContain("\"people\":3");
        (await _officer.PostAsync($"/api/v1/registry/imports/{batch}/commit", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task SplitOldCommune_IsNeverGuessed_AChoiceIsAccepted()
    {
        var split = (await app.ScalarAsync<string>("""
            SELECT m.old_commune_code FROM commune_mapping m JOIN commune c ON c.code = m.new_commune_code
            WHERE c.province_code = '19' GROUP BY m.old_commune_code HAVING count(*) > 1 ORDER BY 1 LIMIT 1
            """))!;
        var choice = (await app.ScalarAsync<string>($"SELECT max(new_commune_code) FROM commune_mapping WHERE old_commune_code = '{split}'"))!;
        var csv = $"{Header}\n{Id(1949, Sex.Male, 930001)},Sầm Văn Lợi,01/01/1949,Nam,,{split},,5a,,,07/2021,,\n{Id(1949, Sex.Male, 930002)},Sầm Văn Lộc,01/01/1949,Nam,{choice},{split},,5a,,,07/2021,,\n";

        var report = await DryRunAsync("xa-chia.csv", Encoding.UTF8.GetBytes(csv));

        var p = Problems(report).ShouldHaveSingleItem();
        p.Row.ShouldBe(2);
        p.Field.ShouldBe("ma_xa");
        p.Message.ShouldContain("đã chia cho nhiều xã mới");
        p.Message.ShouldContain(choice);
        report.GetProperty("valid").GetInt32().ShouldBe(1); // row 3 chose one of them
    }

    [Fact]
    public async Task Template_XlsxAndCsv_CarryEveryColumn()
    {
        var xlsx = await _officer.GetByteArrayAsync("/api/v1/registry/imports/template?format=xlsx", Ct);
        var sheet = ImportReader.Read("mau.xlsx", xlsx);
        sheet.Headers.ShouldBe(ImportTemplate.Columns.Select(c => c.Header));
        var csv = await _officer.GetStringAsync("/api/v1/registry/imports/template?format=csv", Ct);
        csv.TrimStart('\uFEFF').Split('\n')[0].Trim().ShouldBe(string.Join(',', ImportTemplate.Columns.Select(c => c.Header)));
    }

    private static byte[] Xlsx(string[][] rows)
    {
        using var ms = new MemoryStream();
        using (var doc = SpreadsheetDocument.Create(ms, SpreadsheetDocumentType.Workbook))
        {
            var wb = doc.AddWorkbookPart();
            wb.Workbook = new Workbook(new Sheets());
            var part = wb.AddNewPart<WorksheetPart>();
            var data = new SheetData();
            for (var r = 0; r < rows.Length; r++)
            {
                var row = new Row { RowIndex = (uint)(r + 1) };
                for (var c = 0; c < rows[r].Length; c++)
                {
                    if (rows[r][c].Length > 0)
                    {
                        row.Append(new Cell { CellReference = ImportTemplate.ColumnName(c) + (r + 1), DataType = CellValues.InlineString, InlineString = new InlineString(new Text(rows[r][c])) });
                    }
                }

                data.Append(row);
            }

            part.Worksheet = new Worksheet(data);
            wb.Workbook.Sheets!.Append(new Sheet { Id = wb.GetIdOfPart(part), SheetId = 1, Name = "DanhSach" });
        }

        return ms.ToArray();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
