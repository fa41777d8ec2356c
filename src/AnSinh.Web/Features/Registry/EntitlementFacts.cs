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

    /// <summary>
    /// One programme's monthly amount as a decision states it: care support on the cared person's age and the
    /// carer's kind, the other programmes on the person's categories.
    /// </summary>
    public static Entitlement ForProgramme(EntitlementEvaluator evaluator, Person person, string programme, string provinceCode, YearMonth month,
        IReadOnlyList<CategoryFact> categories, DateOnly? caredPersonBirthDate)
    {
        ArgumentNullException.ThrowIfNull(evaluator);
        ArgumentNullException.ThrowIfNull(categories);
        return programme != Programme.CareSupport ? evaluator.Evaluate(For(person, provinceCode, month, categories))
            : caredPersonBirthDate is { } born ? evaluator.EvaluateCareSupport(month, provinceCode, categories[0].Code, born)
            : Entitlement.Fail(Hosting.Texts.Get("Registry.CaredPersonMissing"));
    }
}
