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
        var response = await PostImportAsync(fileName, content);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, await response.Content.ReadAsStringAsync(Ct));
        return await response.Content.ReadFromJsonAsync<JsonElement>(Ct);
    }

    private async Task<HttpResponseMessage> PostImportAsync(string fileName, byte[] content)
    {
        var page = await _officer.GetStringAsync("/Registry/Import", Ct);
        var token = WebUtility.HtmlDecode(Token().Match(page).Groups[1].Value);
        using var form = new MultipartFormDataContent
        {
            { new ByteArrayContent(content), "file", fileName },
            { new StringContent(token), "__RequestVerificationToken" },
        };
        return await _officer.PostAsync("/api/v1/registry/imports", form, Ct);
    }

    /// <summary>A valid .xlsx with one part's bytes replaced as an attacker would write them.</summary>
    private static byte[] Tampered(string[][] rows, bool withSharedStrings, string partSuffix, Action<Stream> write)
    {
        var xlsx = Xlsx(rows, withSharedStrings);
        using var ms = new MemoryStream();
        ms.Write(xlsx);
        using (var zip = new System.IO.Compression.ZipArchive(ms, System.IO.Compression.ZipArchiveMode.Update, leaveOpen: true))
        {
            var entry = zip.Entries.Single(e => e.FullName.EndsWith(partSuffix, StringComparison.Ordinal));
            var name = entry.FullName;
            entry.Delete();
            using var stream = zip.CreateEntry(name, System.IO.Compression.CompressionLevel.Fastest).Open();
            write(stream);
        }

        return ms.ToArray();
    }

    private static readonly string[][] HeaderOnly = [[.. Header.Split(',')], ["x"]];

    [Fact]
    public async Task Xlsx_ACellNamingAFarAwayColumn_IsRefusedNamingTheRow()
    {
        var bomb = Tampered(HeaderOnly, false, "sheet1.xml", s => s.Write(Encoding.UTF8.GetBytes(
            """<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>so_dinh_danh</t></is></c></row><row r="2"><c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>""")));

        var response = await PostImportAsync("xa-xa.xlsx", bomb);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("Dòng 2");
    }

    [Fact]
    public async Task Xlsx_SharedStringsThatExpandHugely_AreRefusedWithinTheBudget()
    {
        // About 3 MB zipped, 150 MB of XML and 100 million characters unzipped.
        var bomb = Tampered(HeaderOnly, true, "sharedStrings.xml", s =>
        {
            using var w = new StreamWriter(s, new UTF8Encoding(false), 1 << 16);
            w.Write("""<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">""");
            var item = "<si><t>" + new string('a', 40) + "</t></si>";
            for (var i = 0; i < 2_500_000; i++)
            {
                w.Write(item);
            }

            w.Write("</sst>");
        });
        bomb.Length.ShouldBeLessThan(ImportCommands.MaxFileBytes);

        var response = await PostImportAsync("bom.xlsx", bomb);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("quá lớn"); // refused by the character budget, not read to the end
    }

    [Fact]
    public async Task Xlsx_MalformedSheetXml_IsRefusedNot500()
    {
        var broken = Tampered(HeaderOnly, false, "sheet1.xml", s => s.Write("<worksheet><sheetData><row r=\"1\"><c"u8));

        var response = await PostImportAsync("hong.xlsx", broken);

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("bị hỏng");
    }

    [Fact]
    public async Task Csv_ACellLongerThanTheLimit_IsRefusedNamingRowAndColumn()
    {
        var csv = Header + "\n" + Id(1950, Sex.Female, 1) + "," + new string('x', ImportReader.MaxCellLength + 1) + ",01/01/1950,nu,01840,,,5a,,,2026-01,QĐ-1,\n";

        var response = await PostImportAsync("dai.csv", Encoding.UTF8.GetBytes(csv));

        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("Dòng 2, cột B");
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

    private Task<HttpResponseMessage> CommitAsync(long batch) => _officer.PostAsync($"/api/v1/registry/imports/{batch}/commit", null, Ct);

    [Fact]
    public async Task TwoCommitsOfOneFileAtOnce_OneWritesTheOtherIsToldSo_NeverA500()
    {
        var csv = Header + "\n" + $"{Id(1947, Sex.Female, 930001)},Mè Thị Song,01/01/1947,Nữ,01840,,,5a,,,2024-01,,\n";
        var batch = (await DryRunAsync("song-song.csv", Encoding.UTF8.GetBytes(csv))).GetProperty("batchId").GetInt64();

        var answers = await Task.WhenAll(CommitAsync(batch), CommitAsync(batch), CommitAsync(batch));

        answers.Select(a => a.StatusCode).Order().ShouldBe([HttpStatusCode.OK, HttpStatusCode.Conflict, HttpStatusCode.Conflict]);
        (await app.ScalarAsync<long>($"SELECT count(*) FROM person WHERE citizen_id = '{Id(1947, Sex.Female, 930001)}'")).ShouldBe(1);
        // The file's personal data is not kept once it is in the registry.
        (await app.ScalarAsync<bool>($"SELECT content IS NULL FROM import_batch WHERE id = {batch}")).ShouldBeTrue();
    }

    [Fact]
    public async Task ADryRunNeverCommitted_IsDroppedAfterAWeek()
    {
        var csv = Header + "\n" + $"{Id(1946, Sex.Male, 930002)},Lù Văn Cũ,01/01/1946,Nam,01840,,,5a,,,2024-01,,\n";
        var batch = (await DryRunAsync("cu.csv", Encoding.UTF8.GetBytes(csv))).GetProperty("batchId").GetInt64();
        await app.ExecAsync($"UPDATE import_batch SET created_at = created_at - interval '8 days' WHERE id = {batch}");

        await DryRunAsync("moi.csv", Encoding.UTF8.GetBytes(Header + "\n"));

        (await app.ScalarAsync<string>($"SELECT status || '|' || (content IS NULL) FROM import_batch WHERE id = {batch}")).ShouldBe("expired|true");
        var commit = await CommitAsync(batch);
        commit.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await commit.Content.ReadAsStringAsync(Ct)).ShouldContain("đã được xoá sau 7 ngày");
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

    private static byte[] Xlsx(string[][] rows, bool withSharedStrings = false)
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
            if (withSharedStrings)
            {
                wb.AddNewPart<SharedStringTablePart>().SharedStringTable = new SharedStringTable(new SharedStringItem(new Text("x")));
            }

            wb.Workbook.Sheets!.Append(new Sheet { Id = wb.GetIdOfPart(part), SheetId = 1, Name = "DanhSach" });
        }

        return ms.ToArray();
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Token();
}
