using AnSinh.Web.Database;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Admin.Users;

[Authorize(Policy = Policies.Admin)]
public sealed class IndexModel(AppDbContext db) : PageModel
{
    public IReadOnlyList<AppUser> Users { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) =>
        Users = await db.Users.AsNoTracking().OrderBy(u => u.ProvinceCode).ThenBy(u => u.UserName).ToListAsync(ct);
}
