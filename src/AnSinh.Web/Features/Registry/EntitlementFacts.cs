using AnSinh.Core.Rules;
using AnSinh.Web.Features.People;

namespace AnSinh.Web.Features.Registry;

/// <summary>The one place where registry records become the facts the rules evaluate.</summary>
public static class EntitlementFacts
{
    public static CaseFacts For(Person person, string provinceCode, YearMonth month, IReadOnlyList<CategoryFact> categories)
    {
        ArgumentNullException.ThrowIfNull(person);
        return new CaseFacts(month, provinceCode, person.BirthDate, categories);
    }

    /// <summary>
    /// A month's facts from the live, paid periods covering it: social assistance with every recorded category,
    /// and the social pension, so the rules can apply their exclusivity (the higher one only). Care support is
    /// paid to the carer and evaluated on its own. Null when no paid period covers the month.
    /// </summary>
    public static CaseFacts? ForMonth(Person person, YearMonth month, IEnumerable<Enrolment> enrolments)
    {
        ArgumentNullException.ThrowIfNull(enrolments);
        var covering = enrolments.Where(e => e.SupersededAt == null && e.Status == EnrolmentStatus.Active && e.Programme != Programme.CareSupport
            && e.StartMonth <= month.FirstDay && (e.EndMonth == null || e.EndMonth >= month.FirstDay)).ToList();
        return covering.Count == 0 ? null : For(person, covering[0].ProvinceCode, month, [.. covering.SelectMany(e => e.Categories)]);
    }
}
