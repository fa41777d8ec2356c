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

/// <summary>
/// Reads the first sheet of an .xlsx, or a CSV (comma or semicolon; UTF-8, or Windows-1258 as Vietnamese Excel writes it).
/// Whatever a file claims, memory stays bounded: each unzipped part, the rows, the columns and each cell have a
/// ceiling, and a file beyond one is refused with the place and the limit named.
/// </summary>
public static class ImportReader
{
    /// <summary>A province's whole legacy list fits (the largest has under 200,000 people).</summary>
    public const int MaxRows = 250_000;

    /// <summary>The template has 16 columns; room for a few the office adds.</summary>
    public const int MaxColumns = 40;

    public const int MaxCellLength = 1_000;

    /// <summary>Characters in one unzipped part of an .xlsx (the sheet is streamed; this bounds a zip bomb's work).</summary>
    public const long MaxPartCharacters = 256L * 1024 * 1024;

    /// <summary>Characters kept from the whole file (every cell and shared string): what is held in memory at once.</summary>
    public const long MaxTotalCharacters = 48L * 1024 * 1024;

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

        var headers = Bounded(1, csv.Parser.Record!).Select(h => h.Trim().ToLowerInvariant()).ToArray();
        var rows = new List<(int, string[])>();
        while (csv.Read())
        {
            var cells = Bounded(csv.Parser.Row, csv.Parser.Record!);
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }

            AddRow(rows, (csv.Parser.Row, cells));
        }

        return new RawSheet(headers, rows);
    }

    private static RawSheet ReadXlsx(byte[] content)
    {
        try
        {
            using var ms = new MemoryStream(content, writable: false);
            using var doc = SpreadsheetDocument.Open(ms, false, new OpenSettings { MaxCharactersInPart = MaxPartCharacters });
            var wb = doc.WorkbookPart ?? throw new ImportFormatException("Tệp .xlsx không có bảng tính.");
            var sheet = wb.Workbook.Sheets?.Elements<Sheet>().FirstOrDefault() ?? throw new ImportFormatException("Tệp .xlsx không có trang tính nào.");
            var part = (WorksheetPart)wb.GetPartById(sheet.Id!);
            var budget = new Budget();
            var shared = SharedStrings(wb.SharedStringTablePart, budget);
            var rows = new List<(int Row, string[] Cells)>();
            using var reader = OpenXmlReader.Create(part);
            while (reader.Read())
            {
                if (reader.ElementType != typeof(Row) || !reader.IsStartElement)
                {
                    continue;
                }

                var row = (Row)reader.LoadCurrentElement()!;
                var rowNumber = (int)Math.Min(row.RowIndex?.Value ?? (uint)(rows.Count + 1), int.MaxValue);
                var cells = new List<string>();
                foreach (var cell in row.Elements<Cell>())
                {
                    // A cell may name any column ("XFD1"): the row is never padded beyond the columns read.
                    var index = Math.Max(ColumnIndex(cell.CellReference?.Value), cells.Count);
                    if (index >= MaxColumns)
                    {
                        throw TooWide(rowNumber);
                    }

                    while (cells.Count < index)
                    {
                        cells.Add("");
                    }

                    cells.Add(CellText(cell, shared));
                }

                if (cells.Any(c => !string.IsNullOrWhiteSpace(c)))
                {
                    AddRow(rows, (rowNumber, Bounded(rowNumber, [.. cells])));
                    budget.Spend(cells.Sum(c => (long)c.Length));
                }
            }

            if (rows.Count == 0)
            {
                throw new ImportFormatException("Trang tính đầu tiên trống.");
            }

            return new RawSheet([.. rows[0].Cells.Select(h => h.Trim().ToLowerInvariant())], rows.Skip(1).ToList());
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or FileFormatException or System.Xml.XmlException or InvalidOperationException)
        {
            // The exception's own text is English and may quote the file: the office gets ours.
            throw new ImportFormatException("Tệp .xlsx bị hỏng hoặc không đọc được (nội dung không đúng định dạng Excel hoặc quá lớn khi giải nén). Mở bằng Excel và lưu lại, hoặc lưu dạng CSV UTF-8.");
        }
    }

    /// <summary>The characters kept so far, against <see cref="MaxTotalCharacters"/>.</summary>
    private sealed class Budget
    {
        private long _used;

        public void Spend(long characters)
        {
            _used += characters;
            if (_used > MaxTotalCharacters)
            {
                throw new ImportFormatException($"Nội dung tệp quá lớn (hơn {MaxTotalCharacters / 1024 / 1024} triệu ký tự): chia thành nhiều tệp.");
            }
        }
    }

    /// <summary>The shared strings, streamed: never more than the budget allows, whatever the part claims.</summary>
    private static string[] SharedStrings(SharedStringTablePart? part, Budget budget)
    {
        if (part is null)
        {
            return [];
        }

        var strings = new List<string>();
        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
            {
                var text = ((SharedStringItem)reader.LoadCurrentElement()!).InnerText;
                budget.Spend(text.Length);
                strings.Add(text);
            }
        }

        return [.. strings];
    }

    private static void AddRow(List<(int, string[])> rows, (int, string[]) row)
    {
        if (rows.Count >= MaxRows)
        {
            throw new ImportFormatException($"Tệp có hơn {MaxRows:N0} dòng: chia thành nhiều tệp (ví dụ theo xã).");
        }

        rows.Add(row);
    }

    private static ImportFormatException TooWide(int row) =>
        new($"Dòng {row}: có ô vượt quá {MaxColumns} cột đầu tiên. Dùng đúng mẫu nhập (các cột A–{ImportTemplate.ColumnName(ImportTemplate.Columns.Count - 1)}).");

    /// <summary>A row within the column and cell-length limits, or the error that names its place.</summary>
    private static string[] Bounded(int row, string[] cells)
    {
        if (cells.Length > MaxColumns)
        {
            throw TooWide(row);
        }

        for (var i = 0; i < cells.Length; i++)
        {
            if (cells[i].Length > MaxCellLength)
            {
                throw new ImportFormatException($"Dòng {row}, cột {ImportTemplate.ColumnName(i)}: ô dài {cells[i].Length:N0} ký tự, tối đa {MaxCellLength:N0}.");
            }
        }

        return cells;
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
            if (n > MaxColumns)
            {
                return MaxColumns; // far beyond the sheet: refused by the caller, never padded
            }
        }

        return n - 1;
    }
}
