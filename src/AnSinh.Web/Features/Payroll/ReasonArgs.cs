using System.Globalization;
using System.Text.Json;
using AnSinh.Core.Rules;

namespace AnSinh.Web.Features.Payroll;

/// <summary>
/// A Core reason's arguments kept as JSON with their kind (a month, a day, an age, text), so that a stored problem is
/// worded later in the reader's language exactly as a live one is.
/// </summary>
public static class ReasonArgs
{
    private sealed record Arg(string K, string V);

    public static string ToJson(IEnumerable<object> args) => JsonSerializer.Serialize(args.Select(a => a switch
    {
        YearMonth m => new Arg("month", m.ToString()),
        DateOnly d => new Arg("date", d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
        AgeSpan s => new Arg("age", s.Months.ToString(CultureInfo.InvariantCulture)),
        _ => new Arg("text", Convert.ToString(a, CultureInfo.InvariantCulture) ?? ""),
    }));

    public static object[] FromJson(string json) => [.. (JsonSerializer.Deserialize<Arg[]>(json) ?? []).Select(a => a.K switch
    {
        "month" => (object)YearMonth.Parse(a.V),
        "date" => DateOnly.ParseExact(a.V, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        "age" => new AgeSpan(int.Parse(a.V, CultureInfo.InvariantCulture)),
        _ => a.V,
    })];
}
