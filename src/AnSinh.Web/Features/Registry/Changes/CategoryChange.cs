using AnSinh.Core.Registry;
using AnSinh.Core.Rules;
using AnSinh.Web.Features.People;
using AnSinh.Web.Features.Rules;

namespace AnSinh.Web.Features.Registry;

/// <summary>
/// A change of categories, severity or number of children from the month the condition is met (Art. 8.1): the
/// new set must fit the programme and, for social assistance, the rules must be able to pay it that month.
/// </summary>
public sealed partial class EnrolmentCommands
{
    private async Task<Plan> PlanCategoryAsync(Person person, string programme, Enrolment open, EnrolmentPeriod period, YearMonth effective, ChangeRequest r, string actor, CancellationToken ct)
    {
        var shape = CategoryList.Check(programme, r.Categories);
        if (shape.Count > 0)
        {
            return RegistryError.Invalid(shape);
        }

        var next = open.NextPeriod(effective.FirstDay, open.Status, r.Reason, actor);
        next.Categories = CategoryList.Normalise(r.Categories!);
        var check = rules.Evaluator(await RulesCatalog.LoadOverridesAsync(db, ct), Today).Evaluate(EntitlementFacts.For(person, next.ProvinceCode, effective, next.Categories));
        return programme == Programme.SocialAssistance && check.IsError
            ? RegistryError.Invalid("Categories", Hosting.Texts.Get("Registry.NotEligible", Hosting.Texts.Of(check.Error!)))
            : Plan.Of(EnrolmentTimeline.ChangeFrom(period, effective), next);
    }
}
