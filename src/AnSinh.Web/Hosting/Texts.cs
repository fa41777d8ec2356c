using System.Globalization;
using System.Resources;
using AnSinh.Core;
using AnSinh.Core.Time;

namespace AnSinh.Web.Hosting;

/// <summary>
/// Words for people, from the shared resources in the request's language (Vietnamese unless the user chose
/// English). Core's <see cref="Reason"/> codes become sentences here, at the edge.
/// </summary>
public static class Texts
{
    private static readonly ResourceManager Resources = new("AnSinh.Web.Resources.SharedResource", typeof(SharedResource).Assembly);

    public static string Get(string key, params object[] args)
    {
        var format = Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;
        return args.Length == 0 ? format : string.Format(CultureInfo.CurrentCulture, format, args);
    }

    public static string Of(Reason reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        return Get("Reason." + reason.Code, [.. reason.Args.Select(Word)]);
    }

    /// <summary>Core's neutral arguments as people read them: months 11/2026, dates dd/MM/yyyy, ages in years (or months under two).</summary>
    private static object Word(object arg) => arg switch
    {
        YearMonth m => Features.Display.Month(m),
        DateOnly d => d.ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
        Core.Rules.AgeSpan a => a.Months % 12 == 0 || a.Months >= 24 ? Get("Age.Years", a.Months / 12) : Get("Age.Months", a.Months),
        _ => arg,
    };

    /// <summary>A category's name in the user's language, e.g. "Người khuyết tật (đặc biệt nặng)" or "Single parent (2 children)".</summary>
    public static string Category(string programme, Core.Rules.CategoryFact c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var name = Get($"Category.{programme}.{c.Code}");
        return c.Severity is not null ? $"{name} ({Get("Registry.Severity." + c.Severity).ToLower(CultureInfo.CurrentUICulture)})"
            : c.Children is { } n ? $"{name} ({Get("Category.Children", n)})"
            : name;
    }
}
