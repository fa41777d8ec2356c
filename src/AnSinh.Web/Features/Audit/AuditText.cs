using System.Globalization;
using System.Text.Json;
using AnSinh.Core.Time;
using AnSinh.Web.Hosting;

namespace AnSinh.Web.Features.Audit;

/// <summary>One field of an audited change as people read it: its name and the values before and after, in words.</summary>
public sealed record AuditChange(string Field, string Old, string New);

/// <summary>
/// The audit log stores rows as JSON; people read them as "Trạng thái: Đã kiểm tra → Đã duyệt". Names of tables,
/// actions, fields and coded values come from the resources; dates and times are shown in Vietnam's zone; secrets,
/// file contents and bookkeeping columns are left out (the JSON stays in the database and the API for inspectors).
/// </summary>
public static class AuditText
{
    private static readonly HashSet<string> Hidden =
    [
        "id", "created_at", "updated_at", "search_name", "password_hash", "security_stamp", "concurrency_stamp", "normalized_email", "normalized_user_name",
        "content", "letter", "access_failed_count", "lockout_enabled", "two_factor_enabled", "phone_number_confirmed", "email_confirmed", "report", "request",
        "problems", "letter_sha256", "sha256", "province_code",
    ];

    public static string Entity(string entity) => Label("Audit.Entity." + entity, entity);

    public static string Action(string action) => Label("Audit.Action." + action, action);

    /// <summary>The fields an insert set, or an update changed, worded; unchanged and hidden fields left out.</summary>
    public static IReadOnlyList<AuditChange> Changes(string? oldJson, string? newJson)
    {
        var before = Parse(oldJson);
        var after = Parse(newJson);
        var keys = after.Keys.Concat(before.Keys).Distinct().Where(k => !Hidden.Contains(k));
        var changes = new List<AuditChange>();
        foreach (var key in keys)
        {
            var o = before.TryGetValue(key, out var ov) ? Value(key, ov) : "";
            var n = after.TryGetValue(key, out var nv) ? Value(key, nv) : "";
            if (o != n && !(o.Length == 0 && n == "—"))
            {
                changes.Add(new AuditChange(Label("Audit.Field." + key, key), o, n));
            }
        }

        return changes;
    }

    private static Dictionary<string, JsonElement> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.ValueKind == JsonValueKind.Object
            ? doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone())
            : [];
    }

    private static string Value(string key, JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => "—",
        JsonValueKind.True => Texts.Get("Audit.Yes"),
        JsonValueKind.False => Texts.Get("Audit.No"),
        JsonValueKind.Number when key is "amount" => Display.Money(v.GetInt64()),
        JsonValueKind.Number when key is "sex" => Texts.Get(v.GetInt32() == 1 ? "Registry.Sex.female" : "Registry.Sex.male"),
        JsonValueKind.Number => v.GetRawText(),
        JsonValueKind.Array when key == "categories" => string.Join("; ", v.EnumerateArray().Select(Category)),
        JsonValueKind.Array => Texts.Get("Audit.Items", v.GetArrayLength()),
        JsonValueKind.Object => Texts.Get("Audit.Items", v.EnumerateObject().Count()),
        _ => Text(key, v.GetString()!),
    };

    private static string Text(string key, string s)
    {
        if (s.Length == 10 && DateOnly.TryParseExact(s, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            return key.EndsWith("month", StringComparison.Ordinal) ? Display.Month(YearMonth.From(d)) : d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture);
        }

        if (s.Length > 19 && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.None, out var t))
        {
            return t.ToOffset(VietnamTime.Offset).ToString("dd/MM/yyyy HH:mm", CultureInfo.InvariantCulture);
        }

        // Coded values (statuses, kinds, methods, programmes, roles) have words; free text is shown as written.
        return key is "status" or "kind" or "method" or "programme" or "channel" or "role" or "decider" or "doc_type" ? Label($"Audit.Value.{key}.{s}", s) : s;
    }

    private static string Category(JsonElement c)
    {
        var code = c.TryGetProperty("Code", out var x) ? x.GetString() ?? "" : "";
        var severity = c.TryGetProperty("Severity", out var sv) && sv.ValueKind == JsonValueKind.String ? sv.GetString() : null;
        short? children = c.TryGetProperty("Children", out var ch) && ch.ValueKind == JsonValueKind.Number ? ch.GetInt16() : null;
        // Social assistance codes are 1 to 8 with letters; the social pension has one code; the rest are care support.
        var programme = code == "social_pension" ? Core.Rules.Programme.SocialPension
            : code.Length <= 2 ? Core.Rules.Programme.SocialAssistance : Core.Rules.Programme.CareSupport;
        return Texts.Category(programme, new Core.Rules.CategoryFact(code, severity, children));
    }

    private static string Label(string key, string fallback)
    {
        var text = Texts.Get(key);
        return text == key ? fallback : text;
    }
}
