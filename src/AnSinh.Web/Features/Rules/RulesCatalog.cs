using AnSinh.Core.Rules;
using AnSinh.Web.Database;
using AnSinh.Web.Features.Places;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Rules;

/// <summary>
/// The national rules (embedded, validated once when the app starts: an invalid set stops the start with
/// every problem listed) and the 34 province codes; province overrides come from the database per use.
/// </summary>
public sealed class RulesCatalog
{
    public RulesCatalog()
    {
        Rules = RuleSetLoader.LoadEmbedded();
        ProvinceCodes = PlaceLoader.Rows(PlaceLoader.UnitsFile, PlaceLoader.ReadEmbedded(PlaceLoader.UnitsFile), 4)
            .Where(r => r[2] == "province")
            .Select(r => r[0])
            .ToHashSet(StringComparer.Ordinal);
    }

    public RuleSet Rules { get; }

    public IReadOnlySet<string> ProvinceCodes { get; }

    public static async Task<IReadOnlyList<ProvinceOverride>> LoadOverridesAsync(AppDbContext db, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        var rows = await db.ProvinceRuleOverrides.AsNoTracking().ToListAsync(ct);
        return [.. rows.Select(r => r.ToRule())];
    }

    public EntitlementEvaluator Evaluator(IReadOnlyList<ProvinceOverride> overrides, DateOnly knownOn) =>
        new(Rules, ProvinceCodes, overrides, knownOn);
}
