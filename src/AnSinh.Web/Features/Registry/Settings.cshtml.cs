using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

/// <summary>A province's workflow: whether applications are posted publicly and for how long, the decision deadline, and who decides.</summary>
[Authorize(Policy = Policies.ProvinceRules)]
public sealed class SettingsModel(AppDbContext db) : PageModel
{
    [BindProperty(SupportsGet = true)] public string ProvinceCode { get; set; } = "";
    [BindProperty] public int PostingDays { get; set; }
    [BindProperty] public int DecisionDays { get; set; } = 10;
    [BindProperty] public string Decider { get; set; } = "commune";
    [BindProperty] public int RecoveryCapPercent { get; set; } = 100;
    /// <summary>yyyy-MM, or empty: the payroll ledger's first month (earlier months were settled before AnSinh).</summary>
    [BindProperty] public string? PayrollFrom { get; set; }
    [BindProperty] public bool PublicPosting { get; set; }
    /// <summary>Grievance deadlines in working days; empty keeps the default (marked M: from the Law on Complaints and the Law on Denunciations).</summary>
    [BindProperty] public int? GrievanceAcceptDays { get; set; }
    [BindProperty] public int? ComplaintDays { get; set; }
    [BindProperty] public int? DenunciationDays { get; set; }
    [BindProperty] public int? PetitionDays { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public string ProvinceName { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        var s = await db.ProvinceSettings.AsNoTracking().FirstOrDefaultAsync(x => x.ProvinceCode == ProvinceCode, ct);
        (PostingDays, DecisionDays, Decider) = s is null ? (0, 10, "commune") : (s.PostingDays, s.DecisionDays, s.Decider);
        RecoveryCapPercent = s?.RecoveryCapPercent ?? 100;
        PublicPosting = s?.PublicPosting ?? false;
        (GrievanceAcceptDays, ComplaintDays, DenunciationDays, PetitionDays) = (s?.GrievanceAcceptDays, s?.ComplaintDays, s?.DenunciationDays, s?.PetitionDays);
        PayrollFrom = s?.PayrollFrom is { } from ? YearMonth.From(from).ToString() : null;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct))
        {
            return NotFound();
        }

        if (PostingDays is < 0 or > 30)
        {
            ModelState.AddModelError(nameof(PostingDays), Hosting.Texts.Get("Settings.Err.PostingDays"));
        }

        if (DecisionDays is < 1 or > 60)
        {
            ModelState.AddModelError(nameof(DecisionDays), Hosting.Texts.Get("Settings.Err.DecisionDays"));
        }

        if (Decider is not ("commune" or "province"))
        {
            ModelState.AddModelError(nameof(Decider), Hosting.Texts.Get("Settings.DeciderInvalid"));
        }

        if (RecoveryCapPercent is < 0 or > 100)
        {
            ModelState.AddModelError(nameof(RecoveryCapPercent), Hosting.Texts.Get("Settings.Err.RecoveryCap"));
        }

        foreach (var (field, days, max) in new[] { (nameof(GrievanceAcceptDays), GrievanceAcceptDays, 30), (nameof(ComplaintDays), ComplaintDays, 90), (nameof(DenunciationDays), DenunciationDays, 90), (nameof(PetitionDays), PetitionDays, 90) })
        {
            if (days is { } d && (d < 1 || d > max))
            {
                ModelState.AddModelError(field, Hosting.Texts.Get("Settings.Err.GrievanceDays", Hosting.Texts.Get("Settings." + field), max));
            }
        }

        YearMonth? payrollFrom = null;
        if (!string.IsNullOrWhiteSpace(PayrollFrom))
        {
            if (YearMonth.TryParse(PayrollFrom, out var from) && from >= RegistryBounds.FirstMonth)
            {
                payrollFrom = from;
            }
            else
            {
                ModelState.AddModelError(nameof(PayrollFrom), Hosting.Texts.Get("Settings.Err.PayrollFrom"));
            }
        }

        if (Reason?.Length > RegistryBounds.MaxReasonLength)
        {
            ModelState.AddModelError(nameof(Reason), Hosting.Texts.Get("Bounds.TooLong", Hosting.Texts.Get("Field.Reason"), RegistryBounds.MaxReasonLength, Reason.Length));
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var s = await db.ProvinceSettings.FirstOrDefaultAsync(x => x.ProvinceCode == ProvinceCode, ct);
        if (s is null)
        {
            db.ProvinceSettings.Add(s = new ProvinceSetting { ProvinceCode = ProvinceCode });
        }

        s.PostingDays = PostingDays;
        s.DecisionDays = DecisionDays;
        s.Decider = Decider;
        s.RecoveryCapPercent = RecoveryCapPercent;
        s.PublicPosting = PublicPosting;
        (s.GrievanceAcceptDays, s.ComplaintDays, s.DenunciationDays, s.PetitionDays) = (GrievanceAcceptDays, ComplaintDays, DenunciationDays, PetitionDays);
        s.PayrollFrom = payrollFrom?.FirstDay;
        db.Audit.Reason = Reason;
        await db.SaveChangesAsync(ct);
        return Redirect($"/Registry/Settings/{ProvinceCode}");
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        var name = await db.ProvinceNameAsync(ProvinceCode, ct);
        ProvinceName = name ?? "";
        return name is not null;
    }
}
