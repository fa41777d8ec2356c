using System.Text.Json;
using System.Text.Json.Serialization;
using AnSinh.Core.Rules;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AnSinh.Web.Database;

/// <summary>A list of categories as stored in the jsonb columns: [{"code":"4","children":2},{"code":"6","severity":"severe"}].</summary>
public static class CategoriesJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingDefault,
    };

    public static string Write(IReadOnlyList<CategoryFact> categories) => JsonSerializer.Serialize(categories, Options);

    public static IReadOnlyList<CategoryFact> Read(string json) => JsonSerializer.Deserialize<CategoryFact[]>(json, Options) ?? [];

    /// <summary>The containment pattern that finds lists holding a category: [{"code":"6"}].</summary>
    public static string Containing(string code) => JsonSerializer.Serialize(new[] { new { code } });

    public static readonly ValueConverter<IReadOnlyList<CategoryFact>, string> Converter = new(v => Write(v), v => Read(v));

    public static readonly ValueComparer<IReadOnlyList<CategoryFact>> Comparer = new(
        (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
        v => v.Aggregate(0, (h, c) => HashCode.Combine(h, c.GetHashCode())),
        v => v.ToArray());
}
