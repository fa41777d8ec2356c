using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Public;

/// <summary>One beneficiary on the public list: no ID, no address beyond the hamlet, no history.</summary>
public sealed record PostingRow(string FullName, int BirthYear, string? Hamlet, string? Category, long Monthly);

/// <summary>
/// Công khai: a commune's beneficiaries of the province's latest approved month (name, year of birth, hamlet,
/// category, monthly amount), for the web and for posting at the commune office. People in the HIV categories (3 and
/// 8, in any of their enrolments) are never listed. On the web without signing in only when the province chooses;
/// otherwise its own staff see it (to print and post), and anyone else is told there is no such list.
/// </summary>
[AllowAnonymous]
public sealed class PostingModel(AppDbContext db, IAuthorizationService auth) : PageModel
{
    [BindProperty(SupportsGet = true)] public string CommuneCode { get; set; } = "";
    [BindProperty(SupportsGet = true)] public bool Print { get; set; }

    public string CommuneName { get; private set; } = "";
    public string ProvinceName { get; private set; } = "";
    public DateOnly? Month { get; private set; }
    public IReadOnlyList<PostingRow> Rows { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var commune = await db.Communes.AsNoTracking().FirstOrDefaultAsync(c => c.Code == CommuneCode, ct);
        if (commune is null)
        {
            return NotFound();
        }

        var isPublic = await db.ProvinceSettings.AsNoTracking().AnyAsync(s => s.ProvinceCode == commune.ProvinceCode && s.PublicPosting, ct);
        var staff = (await auth.AuthorizeAsync(User, null, Policies.PlaceData)).Succeeded && UserScope.From(User).Covers(commune.ProvinceCode, commune.Code);
        if (!isPublic && !staff)
        {
            return NotFound();
        }

        CommuneName = commune.Name;
        ProvinceName = (await db.ProvinceNameAsync(commune.ProvinceCode, ct))!;
        Month = await db.PayrollRuns.AsNoTracking()
            .Where(r => r.ProvinceCode == commune.ProvinceCode && (r.Status == "approved" || r.Status == "sent" || r.Status == "closed"))
            .OrderByDescending(r => r.Month).Select(r => (DateOnly?)r.Month).FirstOrDefaultAsync(ct);
        Rows = await RowsAsync(db, commune.ProvinceCode, commune.Code, Month, ct);
        return Page();
    }

    public static async Task<IReadOnlyList<PostingRow>> RowsAsync(AppDbContext db, string province, string commune, DateOnly? month, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        if (month is null)
        {
            return [];
        }

        return await db.Database.SqlQuery<PostingRow>($$"""
            SELECT p.full_name AS "FullName", extract(year FROM p.birth_date)::int AS "BirthYear", p.hamlet AS "Hamlet", l.category AS "Category", l.regular AS "Monthly"
            FROM payroll_run r JOIN payroll_line l ON l.run_id = r.id JOIN person p ON p.id = l.person_id
            WHERE r.province_code = {{province}} AND r.month = {{month}} AND r.status IN ('approved', 'sent', 'closed') AND l.commune_code = {{commune}} AND l.regular > 0
              AND coalesce(l.category, '') NOT IN ('3', '8')
              AND NOT EXISTS (SELECT 1 FROM enrolment e WHERE e.person_id = l.person_id AND e.superseded_at IS NULL
                              AND (e.categories @> '[{"code":"3"}]' OR e.categories @> '[{"code":"8"}]'))
            ORDER BY p.hamlet NULLS LAST, p.full_name
            """).ToListAsync(ct);
    }
}
