using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Admin.Users;

[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(AppDbContext db, TimeProvider time) : PageModel
{
    public IReadOnlyList<AppUser> Users { get; private set; } = [];

    public bool IsLockedOut(AppUser user) => user?.LockoutEnd > time.GetUtcNow();

    public async Task OnGetAsync(CancellationToken ct) =>
        Users = await db.Users.AsNoTracking().OrderBy(u => u.ProvinceCode).ThenBy(u => u.UserName).ToListAsync(ct);
}
