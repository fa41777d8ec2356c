using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;

namespace AnSinh.Web.Features.Rules;

/// <summary>The input is not a JSON array of case objects: nothing is evaluated and the command fails.</summary>
public sealed class BatchInputException(string message) : Exception(message);

/// <summary>
/// `rules evaluate`: a JSON array of cases in, a JSON array of results out, in input order. A case the rules
/// cannot pay gets {"id", "error"} and the others are still evaluated; only input that is not an array of
/// objects fails the whole batch (before anything is written).
/// </summary>
public static class BatchEvaluation
{
    private static readonly JsonWriterOptions WriterOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public sealed record Summary(int Cases, int Errors);

    public static async Task<Summary> RunAsync(Stream input, Stream output, EntitlementEvaluator evaluator, IProgress<int>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        JsonDocument doc;
        try
        {
            doc = await JsonDocument.ParseAsync(input, default, ct).ConfigureAwait(false);
        }
        catch (JsonException e)
        {
            throw new BatchInputException($"Đầu vào không phải JSON hợp lệ / input is not valid JSON: {e.Message}");
        }

        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
            {
                throw new BatchInputException($"Đầu vào phải là một mảng JSON các trường hợp / input must be a JSON array of cases (found {root.ValueKind}).");
            }

            var index = 0;
            foreach (var element in root.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.Object)
                {
                    throw new BatchInputException($"Phần tử [{index}] không phải một đối tượng / element [{index}] is not an object (found {element.ValueKind}).");
                }

                index++;
            }

            await using var writer = new Utf8JsonWriter(output, WriterOptions);
            writer.WriteStartArray();
            var errors = 0;
            var done = 0;
            foreach (var element in root.EnumerateArray())
            {
                var (facts, parseError) = Parse(element);
                var result = facts is null ? Entitlement.Fail(new Core.Reason("batch.input", "", parseError!)) : evaluator.Evaluate(facts);
                Write(writer, element, result);
                if (result.IsError)
                {
                    errors++;
                }

                if (++done % 50_000 == 0)
                {
                    progress?.Report(done);
                    await writer.FlushAsync(ct).ConfigureAwait(false);
                }
            }

            writer.WriteEndArray();
            await writer.FlushAsync(ct).ConfigureAwait(false);
            progress?.Report(done);
            return new Summary(done, errors);
        }
    }

    public static int CountCases(string path)
    {
        // For the progress bar only: a cheap upper bound is enough, so count the ids.
        using var reader = File.OpenText(path);
        var count = 0;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            for (var i = line.IndexOf("\"id\"", StringComparison.Ordinal); i >= 0; i = line.IndexOf("\"id\"", i + 4, StringComparison.Ordinal))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>Case fields to facts, or the first problem, naming the field.</summary>
    public static (CaseFacts? Facts, string? Error) Parse(JsonElement c)
    {
        if (!c.TryGetProperty("id", out var id) || id.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
        {
            return (null, "id: thiếu mã trường hợp (chuỗi hoặc số)");
        }

        if (!TryString(c, "month", out var monthText) || !YearMonth.TryParse(monthText, out var month))
        {
            return (null, "month: cần tháng dạng yyyy-MM, ví dụ \"2024-07\"");
        }

        if (!TryString(c, "province", out var province) || province.Length == 0)
        {
            return (null, "province: thiếu mã tỉnh (2 chữ số, ví dụ \"19\")");
        }

        if (!TryString(c, "birthDate", out var birthText)
            || !DateOnly.TryParseExact(birthText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birth))
        {
            return (null, "birthDate: cần ngày sinh dạng yyyy-MM-dd, ví dụ \"1950-03-15\"");
        }

        if (!c.TryGetProperty("categories", out var cats) || cats.ValueKind != JsonValueKind.Array)
        {
            return (null, "categories: cần danh sách nhóm đối tượng, ví dụ [{\"code\":\"5a\"}]");
        }

        var categories = new List<CategoryFact>(cats.GetArrayLength());
        var i = 0;
        foreach (var cat in cats.EnumerateArray())
        {
            var at = $"categories[{i++}]";
            if (cat.ValueKind != JsonValueKind.Object)
            {
                return (null, $"{at}: cần một đối tượng, ví dụ {{\"code\":\"5a\"}}");
            }

            if (!TryString(cat, "code", out var code))
            {
                return (null, $"{at}.code: thiếu mã nhóm");
            }

            string? severity = null;
            if (cat.TryGetProperty("severity", out var sev) && sev.ValueKind != JsonValueKind.Null)
            {
                if (sev.ValueKind != JsonValueKind.String)
                {
                    return (null, $"{at}.severity: cần chuỗi severe hoặc especially_severe");
                }

                severity = sev.GetString();
            }

            int? children = null;
            if (cat.TryGetProperty("children", out var ch) && ch.ValueKind != JsonValueKind.Null)
            {
                if (ch.ValueKind != JsonValueKind.Number || !ch.TryGetInt32(out var n))
                {
                    return (null, $"{at}.children: cần số nguyên (số con đang nuôi)");
                }

                children = n;
            }

            var poor = false;
            if (cat.TryGetProperty("poorHousehold", out var ph) && ph.ValueKind != JsonValueKind.Null)
            {
                if (ph.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    return (null, $"{at}.poorHousehold: cần true hoặc false");
                }

                poor = ph.GetBoolean();
            }

            categories.Add(new CategoryFact(code, severity, children, poor));
        }

        return (new CaseFacts(month, province, birth, categories), null);
    }

    private static bool TryString(JsonElement e, string name, out string value)
    {
        if (e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String)
        {
            value = p.GetString()!;
            return true;
        }

        value = "";
        return false;
    }

    private static void Write(Utf8JsonWriter w, JsonElement input, Entitlement result)
    {
        w.WriteStartObject();
        w.WritePropertyName("id");
        if (input.TryGetProperty("id", out var id) && id.ValueKind is JsonValueKind.String or JsonValueKind.Number)
        {
            id.WriteTo(w);
        }
        else
        {
            w.WriteNullValue();
        }

        if (result.IsError)
        {
            w.WriteString("error", result.Error!.Field.Length == 0 ? Hosting.Texts.Of(result.Error) : $"{result.Error.Field}: {Hosting.Texts.Of(result.Error)}");
            w.WriteEndObject();
            return;
        }

        w.WriteNumber("amount", result.Total.Value);
        w.WriteStartArray("lines");
        foreach (var l in result.Lines)
        {
            w.WriteStartObject();
            w.WriteString("programme", l.Programme);
            w.WriteString("code", l.Code);
            w.WriteNumber("coefficient", l.Coefficient.Value);
            w.WriteNumber("base", l.Base.Value);
            w.WriteNumber("amount", l.Amount.Value);
            w.WriteString("reference", l.Reference);
            w.WriteString("explanation", l.Explanation);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (result.Notes.Count > 0)
        {
            w.WriteStartArray("notes");
            foreach (var n in result.Notes)
            {
                w.WriteStringValue(n);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}
