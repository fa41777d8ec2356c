using System.Globalization;
using AnSinh.Core.Rules;
using AnSinh.Core.Time;
using AnSinh.Web.Database;
using AnSinh.Web.Features.People;
using AnSinh.Web.Features.Rules;
using AnSinh.Web.Security;
using Humanizer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Registry;

/// <summary>The approval decision as an A4 print view in the Vietnamese administrative format; print or save as PDF from the browser.</summary>
[Authorize(Policy = Policies.PlaceData)]
public sealed class DecisionModel(AppDbContext db, RulesCatalog rules, TimeProvider time) : PageModel
{
    private static readonly CultureInfo Vi = CultureInfo.GetCultureInfo("vi");

    [BindProperty(SupportsGet = true)] public long ApplicationId { get; set; }

    public Application Application { get; private set; } = null!;
    public Person Person { get; private set; } = null!;
    public string CommuneName { get; private set; } = "";
    public string ProvinceName { get; private set; } = "";
    public string SignerName { get; private set; } = "";
    public Entitlement Entitlement { get; private set; } = null!;
    public MonthRules Rules { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var a = await db.Applications.AsNoTracking().WhereInScope(UserScope.From(User))
            .FirstOrDefaultAsync(x => x.Id == ApplicationId && x.Status == "approved", ct);
        if (a is null)
        {
            return NotFound();
        }

        Application = a;
        Person = await db.People.AsNoTracking().FirstAsync(p => p.Id == a.PersonId, ct);
        CommuneName = await db.Communes.AsNoTracking().Where(c => c.Code == a.CommuneCode).Select(c => c.Name).FirstAsync(ct);
        ProvinceName = await db.Provinces.AsNoTracking().Where(p => p.Code == a.ProvinceCode).Select(p => p.Name).FirstAsync(ct);
        SignerName = await db.Users.AsNoTracking().Where(u => u.UserName == a.DecidedBy).Select(u => u.FullName).FirstOrDefaultAsync(ct) ?? a.DecidedBy ?? "";
        var start = YearMonth.From(a.StartMonth!.Value);
        var today = time.VietnamToday();
        var evaluator = rules.Evaluator(await RulesCatalog.LoadOverridesAsync(db, ct), today);
        Rules = evaluator.RulesFor(start, a.ProvinceCode);
        Entitlement = evaluator.Evaluate(EntitlementFacts.For(Person, a.ProvinceCode, start, a.Categories));
        return Page();
    }

    /// <summary>"Bảy trăm năm mươi nghìn đồng": the amount in words, as written on payment documents.</summary>
    public static string InWords(long amount)
    {
        var words = amount.ToWords(Vi);
        return char.ToUpper(words[0], Vi) + words[1..] + " đồng";
    }
}
