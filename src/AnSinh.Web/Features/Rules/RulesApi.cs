using AnSinh.Core.Time;
using AnSinh.Web.Database;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AnSinh.Web.Features.Rules;

/// <summary>Public: the rules and amounts in force, as the "Mức trợ cấp" page shows them.</summary>
public static class RulesApi
{
    public static void Map(IEndpointRouteBuilder v1) =>
        v1.MapGet("/rules", Get).WithTags("Rules").AllowAnonymous().WithName("GetRules");

    public static async Task<Results<Ok<RatesView>, ValidationProblem, ProblemHttpResult>> Get(
        string? month, string? province, RulesCatalog catalog, AppDbContext db, TimeProvider time, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var ym = YearMonth.From(time.VietnamToday());
        if (month is not null && !YearMonth.TryParse(month, out ym))
        {
            errors["month"] = [Hosting.Texts.Get("Rules.Err.Month")];
        }

        if (string.IsNullOrWhiteSpace(province))
        {
            errors["province"] = [Hosting.Texts.Get("Rules.Err.Province")];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: Hosting.Texts.Get("Problem.BadParameter"));
        }

        if (!catalog.ProvinceCodes.Contains(province!))
        {
            return Problems.NotFound(Hosting.Texts.Get("Problem.NoProvince"), Hosting.Texts.Get("Rules.Err.NoProvince", province ?? ""));
        }

        var overrides = await RulesCatalog.LoadOverridesAsync(db, ct);
        return TypedResults.Ok(RatesView.Build(catalog.Rules, ym, province!, time.VietnamToday(), overrides));
    }
}
