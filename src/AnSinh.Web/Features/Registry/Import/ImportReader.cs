using System.Globalization;
using System.Text;
using CsvHelper;
using CsvHelper.Configuration;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace AnSinh.Web.Features.Registry.Import;

/// <summary>A sheet as read: headers, and each data row with its row number as the office sees it.</summary>
public sealed record RawSheet(IReadOnlyList<string> Headers, IReadOnlyList<(int Row, string[] Cells)> Rows);

public sealed class ImportFormatException(string message) : Exception(message);

/// <summary>Reads the first sheet of an .xlsx, or a CSV (comma or semicolon; UTF-8, or Windows-1258 as Vietnamese Excel writes it).</summary>
public static class ImportReader
{
    static ImportReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static RawSheet Read(string fileName, byte[] content)
    {
        ArgumentNullException.ThrowIfNull(fileName);
        ArgumentNullException.ThrowIfNull(content);
        var isZip = content.Length > 4 && content[0] == 'P' && content[1] == 'K' && content[2] == 3 && content[3] == 4;
        if (isZip)
        {
            return ReadXlsx(content);
        }

        if (fileName.EndsWith(".xlsx", StringComparison.OrdinalIgnoreCase) || fileName.EndsWith(".xls", StringComparison.OrdinalIgnoreCase))
        {
            throw new ImportFormatException("Tệp không phải .xlsx hợp lệ (tệp .xls cũ: mở bằng Excel và lưu lại dạng .xlsx hoặc CSV UTF-8).");
        }

        return ReadCsv(content);
    }

    private static RawSheet ReadCsv(byte[] content)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(content);
        }
        catch (DecoderFallbackException)
        {
            text = Encoding.GetEncoding(1258).GetString(content);
        }

        text = text.TrimStart('\uFEFF');
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            DetectDelimiter = true,
            DetectDelimiterValues = [",", ";", "\t"],
            TrimOptions = TrimOptions.Trim,
            BadDataFound = null,
            MissingFieldFound = null,
        };
        using var csv = new CsvReader(new StringReader(text), config);
        if (!csv.Read())
        {
            throw new ImportFormatException("Tệp trống.");
        }

        var headers = csv.Parser.Record!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var rows = new List<(int, string[])>();
        while (csv.Read())
        {
            var cells = csv.Parser.Record!;
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            rows.Add((csv.Parser.Row, cells));
        }

        return new RawSheet(headers, rows);
    }

    private static RawSheet ReadXlsx(byte[] content)
    {
        try
        {
            using var ms = new MemoryStream(content, writable: false);
            using var doc = SpreadsheetDocument.Open(ms, false);
            var wb = doc.WorkbookPart ?? throw new ImportFormatException("Tệp .xlsx không có bảng tính.");
            var sheet = wb.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new ImportFormatException("Tệp .xlsx không có trang tính nào.");
            var part = (WorksheetPart)wb.GetPartById(sheet.Id!);
            var shared = wb.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToArray() ?? [];
            var rows = new List<(int Row, string[] Cells)>();
            using var reader = OpenXmlReader.Create(part);
            while (reader.Read())
            {
                if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
                {
                    continue;
                }

                var row = (Row)reader.LoadCurrentElement()!;
                var cells = new List<string>();
                foreach (var cell in row.Elements<Cell>())
                {
                    var index = ColumnIndex(cell.CellReference?.Value);
                    while (cells.Count < index)
                    {
                        cells.Add("");
                    }

                    cells.Add(CellText(cell, shared));
                }

                if (cells.Any(c => !string.IsNullOrWhiteSpace(c)))
                {
                    rows.Add(((int)(row.RowIndex?.Value ?? (uint)(rows.Count + 1)), [.. cells]));
                }
            }

            if (rows.Count == 0)
            {
                throw new ImportFormatException("Trang tính đầu tiên trống.");
            }

            return new RawSheet([.. rows[0].Cells.Select(h => h.Trim().ToLowerInvariant())], rows.Skip(1).ToList());
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or FileFormatException)
        {
            throw new ImportFormatException("Tệp .xlsx bị hỏng hoặc không đọc được: " + e.Message);
        }
    }

    private static string CellText(Cell cell, string[] shared)
    {
        var value = cell.CellValue?.Text ?? cell.InnerText;
        if (cell.DataType?.Value == CellValues.SharedString && int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < shared.Length)
        {
            return shared[i].Trim();
        }

        if (cell.DataType?.Value == CellValues.InlineString)
        {
            return (cell.InlineString?.InnerText ?? "").Trim();
        }

        return value.Trim();
    }

    private static int ColumnIndex(string? reference)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return 0;
        }

        var n = 0;
        foreach (var c in reference.TakeWhile(char.IsAsciiLetter))
        {
            n = (n * 26) + (char.ToUpperInvariant(c) - 'A' + 1);
        }

        return n - 1;
    }
}
