using System.Globalization;
using System.Resources;
using AnSinh.Core;

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
        return Get("Reason." + reason.Code, reason.Args);
    }

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
