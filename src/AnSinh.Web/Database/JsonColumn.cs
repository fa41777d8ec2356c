using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace AnSinh.Web.Database;

/// <summary>An immutable value stored as jsonb (web casing): written once, compared by its JSON.</summary>
public static class JsonColumn<T>
    where T : class
{
    private static readonly JsonSerializerOptions Options = CategoriesJson.Options;

    public static readonly ValueConverter<T, string> Converter = new(v => JsonSerializer.Serialize(v, Options), v => JsonSerializer.Deserialize<T>(v, Options)!);

    public static readonly ValueComparer<T> Comparer = new(
        (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
        v => JsonSerializer.Serialize(v, Options).GetHashCode(StringComparison.Ordinal),
        v => v);
}
