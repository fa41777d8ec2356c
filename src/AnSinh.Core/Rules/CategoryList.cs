namespace AnSinh.Core.Rules;

/// <summary>
/// The categories recorded for one enrolment or application, checked for shape before the rules evaluate them:
/// social assistance holds every Art. 5 category the person qualifies for (the rules then pay the highest, and
/// k4 on top of k5, k6 or k8: Art. 6.2); the social pension and care support hold exactly one code.
/// </summary>
public static class CategoryList
{
    public const int MaxCategories = 6;
    public const int MaxChildren = 20;

    public static IReadOnlyList<Reason> Check(string programme, IReadOnlyList<CategoryFact>? categories)
    {
        var reasons = new List<Reason>();
        if (categories is null || categories.Count == 0)
        {
            reasons.Add(new Reason("categories.empty", "Categories"));
            return reasons;
        }

        if (categories.Count > MaxCategories)
        {
            reasons.Add(new Reason("categories.too_many", "Categories", MaxCategories));
            return reasons;
        }

        if (programme != Programme.SocialAssistance)
        {
            var allowed = programme == Programme.SocialPension ? [CategoryCodes.SocialPension] : CategoryCodes.CareKinds;
            if (categories.Count != 1 || !allowed.Contains(categories[0].Code))
            {
                reasons.Add(new Reason("categories.not_of_programme", "Categories", categories[0].Code, programme));
            }

            return reasons;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < categories.Count; i++)
        {
            var c = categories[i];
            var field = $"Categories[{i}]";
            if (!CategoryCodes.SocialAssistance.Contains(c.Code))
            {
                reasons.Add(new Reason("categories.unknown", field, c.Code ?? ""));
                continue;
            }

            if (!seen.Add(c.Code))
            {
                reasons.Add(new Reason("categories.duplicate", field, c.Code));
            }

            if (c.Code == CategoryCodes.Disability && !CategoryCodes.Severities.Contains(c.Severity))
            {
                reasons.Add(new Reason("categories.severity_required", field));
            }
            else if (c.Code != CategoryCodes.Disability && c.Severity is not null)
            {
                reasons.Add(new Reason("categories.severity_only_disability", field, c.Code));
            }

            if (c.Code == CategoryCodes.SingleParent && c.Children is not (>= 1 and <= MaxChildren))
            {
                reasons.Add(new Reason("categories.children_required", field, MaxChildren));
            }
            else if (c.Code != CategoryCodes.SingleParent && c.Children is not null)
            {
                reasons.Add(new Reason("categories.children_only_single_parent", field, c.Code));
            }
        }

        return reasons;
    }

    /// <summary>The list in the order the rules table lists categories, so the same facts always store the same way.</summary>
    public static IReadOnlyList<CategoryFact> Normalise(IReadOnlyList<CategoryFact> categories)
    {
        ArgumentNullException.ThrowIfNull(categories);
        return [.. categories
            .Select(c => c with { Code = c.Code.Trim().ToLowerInvariant() })
            .OrderBy(c => Order(c.Code)).ThenBy(c => c.Code, StringComparer.Ordinal)];
    }

    private static int Order(string code)
    {
        for (var i = 0; i < CategoryCodes.SocialAssistance.Count; i++)
        {
            if (CategoryCodes.SocialAssistance[i] == code)
            {
                return i;
            }
        }

        return int.MaxValue;
    }
}
