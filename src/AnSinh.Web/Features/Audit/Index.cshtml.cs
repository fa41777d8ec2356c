using AnSinh.Core.Audit;
using AnSinh.Web.Audit;
using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Audit;

/// <summary>The latest audit rows in the user's scope; admins can re-verify the whole chain.</summary>
[Authorize(Policy = Policies.AuditRead)]
public sealed class IndexModel(AppDbContext db, DatabaseConnection connection) : PageModel
{
    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];
    public (long Rows, AuditBreak? Break)? Verification { get; private set; }

    public async Task OnGetAsync(CancellationToken ct)
    {
        var scope = UserScope.From(User);
        var query = db.AuditEntries.AsNoTracking();
        if (scope.Level != ScopeLevel.All)
        {
            query = query.Where(a => a.ProvinceCode == scope.ProvinceCode);
        }

        Entries = await query.OrderByDescending(a => a.Id).Take(200).ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken ct)
    {
        if (!User.IsInRole(Roles.Admin))
        {
            return Forbid();
        }

        Verification = await AuditLog.VerifyAsync(connection.DataSource, null, ct);
        await OnGetAsync(ct);
        return Page();
    }
}
