using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace AnSinh.Web.Features;

/// <summary>
/// Writes .xlsx files row by row, straight into a zip written entry by entry (ZipArchive in create mode), so a
/// province's list sits in memory neither as a document nor as the zip being made: text cells inline, the first
/// row as headers. The parts are the minimal SpreadsheetML package (content types, relationships, workbook, sheets).
/// The first version used the Open XML SDK's package, which keeps every part in memory until it closes: 735 MB of
/// working set for a 160,000-line list.
/// </summary>
public static class XlsxWriter
{
    private const string Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string Rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

    public static async Task WriteAsync(Stream output, IReadOnlyList<(string Name, IAsyncEnumerable<string[]> Rows)> sheets, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(sheets);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true);
        await TextAsync(zip, "[Content_Types].xml", $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>{string.Concat(sheets.Select((_, i) => $"<Override PartName=\"/xl/worksheets/sheet{i + 1}.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"))}</Types>
            """);
        await TextAsync(zip, "_rels/.rels", """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>
            """);
        await TextAsync(zip, "xl/workbook.xml", $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="{Main}" xmlns:r="{Rel}"><sheets>{string.Concat(sheets.Select((s, i) => $"<sheet name=\"{System.Security.SecurityElement.Escape(SheetName(s.Name))}\" sheetId=\"{i + 1}\" r:id=\"rId{i + 1}\"/>"))}</sheets></workbook>
            """);
        await TextAsync(zip, "xl/_rels/workbook.xml.rels", $"""
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">{string.Concat(sheets.Select((_, i) => $"<Relationship Id=\"rId{i + 1}\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet{i + 1}.xml\"/>"))}</Relationships>
            """);
        for (var i = 0; i < sheets.Count; i++)
        {
            await using var entry = zip.CreateEntry($"xl/worksheets/sheet{i + 1}.xml", CompressionLevel.Fastest).Open();
            await using var w = XmlWriter.Create(entry, new XmlWriterSettings { Async = true, Encoding = new UTF8Encoding(false) });
            await w.WriteStartDocumentAsync(true);
            await w.WriteStartElementAsync(null, "worksheet", Main);
            await w.WriteStartElementAsync(null, "sheetData", Main);
            var r = 1;
            await foreach (var row in sheets[i].Rows.WithCancellation(ct))
            {
                var rowRef = r.ToString(CultureInfo.InvariantCulture);
                await w.WriteStartElementAsync(null, "row", Main);
                await w.WriteAttributeStringAsync(null, "r", null, rowRef);
                for (var c = 0; c < row.Length; c++)
                {
                    await w.WriteStartElementAsync(null, "c", Main);
                    await w.WriteAttributeStringAsync(null, "r", null, ColumnName(c) + rowRef);
                    await w.WriteAttributeStringAsync(null, "t", null, "inlineStr");
                    await w.WriteStartElementAsync(null, "is", Main);
                    await w.WriteStartElementAsync(null, "t", Main);
                    await w.WriteStringAsync(Clean(row[c] ?? ""));
                    await w.WriteEndElementAsync();
                    await w.WriteEndElementAsync();
                    await w.WriteEndElementAsync();
                }

                await w.WriteEndElementAsync();
                r++;
            }

            await w.WriteEndElementAsync();
            await w.WriteEndElementAsync();
            await w.WriteEndDocumentAsync();
        }
    }

    private static async Task TextAsync(ZipArchive zip, string name, string text)
    {
        await using var entry = zip.CreateEntry(name, CompressionLevel.Fastest).Open();
        await entry.WriteAsync(Encoding.UTF8.GetBytes(text.Trim()));
    }

    /// <summary>Excel's sheet names: at most 31 characters, none of : \ / ? * [ ].</summary>
    private static string SheetName(string name)
    {
        var clean = new string([.. name.Select(ch => ":\\/?*[]".Contains(ch, StringComparison.Ordinal) ? ' ' : ch)]);
        return clean.Length <= 31 ? clean : clean[..31];
    }

    /// <summary>Characters XML 1.0 cannot carry (control characters in a pasted name) are dropped, never an exception mid-file.</summary>
    private static string Clean(string s)
    {
        if (s.All(XmlConvert.IsXmlChar))
        {
            return s; // nearly every cell: no copy
        }

        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            if (XmlConvert.IsXmlChar(s[i]))
            {
                sb.Append(s[i]);
            }
            else if (i + 1 < s.Length && XmlConvert.IsXmlSurrogatePair(s[i + 1], s[i]))
            {
                sb.Append(s, i++, 2); // a character beyond the basic plane, kept whole
            }
        }

        return sb.ToString();
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
