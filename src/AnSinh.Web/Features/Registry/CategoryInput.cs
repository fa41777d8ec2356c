using AnSinh.Core.Rules;

namespace AnSinh.Web.Features.Registry;

/// <summary>
/// The category picker of the receive and change forms: every social-assistance category that applies
/// (checkboxes), the disability severity for category 6 and the number of children for category 4.
/// </summary>
public sealed class CategoryInput
{
    public const string Prefix = "Cat";

    public List<string> Codes { get; set; } = [];
    public string? Severity { get; set; }
    public int? Children { get; set; }

    /// <summary>Severity and children belong to their own category only, whatever else the form sent.</summary>
    public IReadOnlyList<CategoryFact> ToFacts() =>
        [.. Codes.Where(c => !string.IsNullOrWhiteSpace(c)).Distinct(StringComparer.Ordinal).Select(c => new CategoryFact(
            c,
            c == CategoryCodes.Disability && !string.IsNullOrEmpty(Severity) ? Severity : null,
            c == CategoryCodes.SingleParent ? Children : null))];

    public static CategoryInput From(IReadOnlyList<CategoryFact> facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return new CategoryInput
        {
            Codes = [.. facts.Select(f => f.Code)],
            Severity = facts.FirstOrDefault(f => f.Severity is not null)?.Severity,
            Children = facts.FirstOrDefault(f => f.Children is not null)?.Children,
        };
    }
}
