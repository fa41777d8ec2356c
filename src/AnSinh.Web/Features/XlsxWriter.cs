using System.Globalization;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;

namespace AnSinh.Web.Features;

/// <summary>
/// Writes .xlsx files row by row (OpenXmlWriter), so a province's list never sits in memory as a document:
/// text cells inline, the first row as headers.
/// </summary>
public static class XlsxWriter
{
    public static async Task WriteAsync(Stream output, IReadOnlyList<(string Name, IAsyncEnumerable<string[]> Rows)> sheets, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sheets);
        using var doc = SpreadsheetDocument.Create(output, SpreadsheetDocumentType.Workbook);
        var wb = doc.AddWorkbookPart();
        var entries = new List<Sheet>();
        uint id = 1;
        foreach (var (name, rows) in sheets)
        {
            var part = wb.AddNewPart<WorksheetPart>();
            using (var w = OpenXmlWriter.Create(part))
            {
                w.WriteStartElement(new Worksheet());
                w.WriteStartElement(new SheetData());
                uint r = 1;
                await foreach (var row in rows.WithCancellation(ct))
                {
                    w.WriteStartElement(new Row { RowIndex = r });
                    for (var i = 0; i < row.Length; i++)
                    {
                        w.WriteElement(new Cell
                        {
                            CellReference = ColumnName(i) + r.ToString(CultureInfo.InvariantCulture),
                            DataType = CellValues.InlineString,
                            InlineString = new InlineString(new Text(row[i] ?? "")),
                        });
                    }

                    w.WriteEndElement();
                    r++;
                }

                w.WriteEndElement();
                w.WriteEndElement();
            }

            entries.Add(new Sheet { Id = wb.GetIdOfPart(part), SheetId = id++, Name = name });
        }

        wb.Workbook = new Workbook(new Sheets(entries));
    }

    /// <summary>Rows already in memory (small sheets: templates, explanations).</summary>
    public static async IAsyncEnumerable<string[]> Rows(IEnumerable<string[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        foreach (var row in rows)
        {
            yield return row;
        }

        await Task.CompletedTask;
    }

    /// <summary>A, B, …, Z, AA, AB, …</summary>
    public static string ColumnName(int index)
    {
        var name = "";
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }
}
