using AnSinh.Core.People;

namespace AnSinh.Web.Features.Registry;

/// <summary>
/// How far back registry dates may go: no earlier than the rules the system holds (Decree 136/2013, from 1/2014),
/// and an application's receipt no more than a year before it is entered. A date outside is a typing mistake.
/// Free text is cleaned (<see cref="FreeText"/>) and bounded, so that one field can never swell a page.
/// </summary>
public static class RegistryBounds
{
    public static readonly YearMonth FirstMonth = new(2014, 1);

    public const int MaxReceivedDaysAgo = 366;

    public const int MaxReasonLength = 500;
    public const int MaxNameLength = 200;
    public const int MaxHamletLength = 100;
    public const int MaxAddressLength = 300;
    public const int MaxPhoneLength = 20;
    public const int MaxDecisionNumberLength = 50;

    /// <summary>Cleans a free-text field; a value longer than <paramref name="max"/>, or missing when required, is a problem for that field.</summary>
    /// <param name="lines">Keeps the line breaks of a text of several lines (<see cref="FreeText.CleanLines"/>).</param>
    public static string? Text(string? value, string field, int max, List<(string, string)> problems, bool required = false, bool lines = false)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var clean = lines ? FreeText.CleanLines(value) : FreeText.Clean(value);
        if (clean is null && required)
        {
            problems.Add((field, Hosting.Texts.Get("Bounds.Required", Hosting.Texts.Get("Field." + field), max)));
        }
        else if (clean?.Length > max)
        {
            problems.Add((field, Hosting.Texts.Get("Bounds.TooLong", Hosting.Texts.Get("Field." + field), max, clean.Length)));
        }

        return clean;
    }
}
