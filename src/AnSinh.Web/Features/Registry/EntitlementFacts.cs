using AnSinh.Core.Rules;
using AnSinh.Web.Database;
using AnSinh.Web.Features.People;
using AnSinh.Web.Features.Rules;
using Microsoft.EntityFrameworkCore;

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
    /// One programme's monthly amount for a record (an application, a period), on the rules known on
    /// <paramref name="knownOn"/>: care support on the cared person's age and the carer's kind, the other programmes
    /// on the person's categories. What a check foresees and a decision records.
    /// </summary>
    public static async Task<Entitlement> ForProgrammeAsync(AppDbContext db, RulesCatalog rules, Person person, string programme, string provinceCode,
        YearMonth month, IReadOnlyList<CategoryFact> categories, long? caredPersonId, DateOnly knownOn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(categories);
        var evaluator = rules.Evaluator(await RulesCatalog.LoadOverridesAsync(db, ct), knownOn);
        if (programme != Programme.CareSupport)
        {
            return evaluator.Evaluate(For(person, provinceCode, month, categories));
        }

        var caredBorn = caredPersonId is { } cared
            ? await db.People.AsNoTracking().Where(p => p.Id == cared).Select(p => (DateOnly?)p.BirthDate).FirstOrDefaultAsync(ct)
            : null;
        return caredBorn is { } born ? evaluator.EvaluateCareSupport(month, provinceCode, categories[0].Code, born)
            : Entitlement.Fail(new Core.Reason("registry.cared_person_missing", "caredPersonId"));
    }
}
