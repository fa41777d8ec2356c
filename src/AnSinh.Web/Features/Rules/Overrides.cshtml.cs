using System.Globalization;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace AnSinh.Web.Features.Rules;

/// <summary>A province's own base level and social pension (Decree 20 Art. 4.3), effective-dated; edited by its province officers.</summary>
[Authorize(Policy = Policies.ProvinceRules)]
public sealed class OverridesModel(AppDbContext db, RulesCatalog catalog, TimeProvider time) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";

    [BindProperty] public string Kind { get; set; } = ProvinceOverride.BaseLevelKind;
    [BindProperty] public string? FromMonth { get; set; }
    [BindProperty] public string? ToMonth { get; set; }
    [BindProperty] public long? Amount { get; set; }
    [BindProperty] public string? Reference { get; set; }
    [BindProperty] public string? DecidedOn { get; set; }

    public string ProvinceName { get; private set; } = "";
    public IReadOnlyList<ProvinceRuleOverride> Overrides { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct) => await LoadAsync(ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAddAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var today = time.VietnamToday();
        var (row, errors) = Validate(today);
        foreach (var (field, message) in errors)
        {
            ModelState.AddModelError(field, message);
        }

        if (row is null)
        {
            return Page();
        }

        db.Audit.Reason = row.Reference;
        db.ProvinceRuleOverrides.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation })
        {
            ModelState.AddModelError(nameof(FromMonth), Hosting.Texts.Get("Overrides.Err.Overlap"));
            db.ChangeTracker.Clear();
            return Page();
        }

        return Redirect($"/Rules/Overrides/{ProvinceCode}");
    }

    public async Task<IActionResult> OnPostEndAsync(long id, string? endMonth, CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var row = await db.ProvinceRuleOverrides.FirstOrDefaultAsync(o => o.Id == id && o.ProvinceCode == ProvinceCode, ct);
        if (row is null)
        {
            return NotFound();
        }

        if (!YearMonth.TryParse(endMonth, out var end) || end.FirstDay < row.FromMonth || (row.ToMonth is not null && end.FirstDay > row.ToMonth))
        {
            ModelState.AddModelError("EndMonth", $"Tháng kết thúc phải dạng yyyy-MM, không trước {row.FromMonth:yyyy-MM}{(row.ToMonth is null ? "" : $" và không sau {row.ToMonth:yyyy-MM}")}.");
            return Page();
        }

        row.ToMonth = end.FirstDay;
        db.Audit.Reason = $"kết thúc mức {row.Reference} sau tháng {end}";
        await db.SaveChangesAsync(ct);
        return Redirect($"/Rules/Overrides/{ProvinceCode}");
    }

    private (ProvinceRuleOverride? Row, List<(string Field, string Message)> Errors) Validate(DateOnly today)
    {
        var errors = new List<(string, string)>();
        if (Kind is not (ProvinceOverride.BaseLevelKind or ProvinceOverride.SocialPensionKind))
        {
            errors.Add((nameof(Kind), Hosting.Texts.Get("Overrides.Err.Kind")));
        }

        if (!YearMonth.TryParse(FromMonth, out var from))
        {
            errors.Add((nameof(FromMonth), Hosting.Texts.Get("Overrides.Err.FromFormat")));
        }

        YearMonth? to = null;
        if (!string.IsNullOrWhiteSpace(ToMonth))
        {
            if (!YearMonth.TryParse(ToMonth, out var t))
            {
                errors.Add((nameof(ToMonth), Hosting.Texts.Get("Overrides.Err.ToFormat")));
            }
            else if (t < from)
            {
                errors.Add((nameof(ToMonth), Hosting.Texts.Get("Overrides.Err.ToBeforeFrom")));
            }
            else
            {
                to = t;
            }
        }

        if (string.IsNullOrWhiteSpace(Reference))
        {
            errors.Add((nameof(Reference), Hosting.Texts.Get("Overrides.Err.Reference")));
        }

        if (!DateOnly.TryParseExact(DecidedOn, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var decided))
        {
            errors.Add((nameof(DecidedOn), Hosting.Texts.Get("Overrides.Err.IssuedFormat")));
        }
        else if (decided > today)
        {
            errors.Add((nameof(DecidedOn), Hosting.Texts.Get("Overrides.Err.IssuedFuture")));
        }

        if (Amount is null or <= 0)
        {
            errors.Add((nameof(Amount), Hosting.Texts.Get("Overrides.Err.Amount")));
        }
        else if (errors.Count == 0)
        {
            // Art. 4.3: a province may set a higher level, never a lower one.
            var r = catalog.Rules.For(from, ProvinceCode, today, []);
            var national = Kind == ProvinceOverride.BaseLevelKind ? r.NationalBase?.Amount : r.Pension?.Amount;
            if (national is null)
            {
                errors.Add((nameof(FromMonth), Hosting.Texts.Get("Overrides.Err.NoNational", Display.Month(from))));
            }
            else if (Amount.Value <= national.Value.Value)
            {
                errors.Add((nameof(Amount), Hosting.Texts.Get("Overrides.Err.BelowNational", national.Value.ToDisplay(), Display.Month(from))));
            }
        }

        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new ProvinceRuleOverride
        {
            ProvinceCode = ProvinceCode,
            Kind = Kind,
            FromMonth = from.FirstDay,
            ToMonth = to?.FirstDay,
            Amount = Amount!.Value,
            Reference = Reference!.Trim(),
            DecidedOn = decided,
            CreatedBy = User.Identity?.Name ?? "?",
        }, errors);
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var province = await db.Provinces.AsNoTracking().FirstOrDefaultAsync(p => p.Code == ProvinceCode, ct);
        if (province is null)
        {
            return false;
        }

        ProvinceName = province.Name;
        Overrides = await db.ProvinceRuleOverrides.AsNoTracking().Where(o => o.ProvinceCode == ProvinceCode)
            .OrderBy(o => o.Kind).ThenBy(o => o.FromMonth).ToListAsync(ct);
        return true;
    }
}
