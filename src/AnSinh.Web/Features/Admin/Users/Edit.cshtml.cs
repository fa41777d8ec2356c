using AnSinh.Web.Database;
using AnSinh.Web.Features.Places;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Features.Admin.Users;

[Authorize(Policy = Policies.Admin)]
public sealed class EditModel(AppDbContext db, UserManager<AppUser> users) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Id { get; set; } = "";
    [BindProperty] public string FullName { get; set; } = "";
    [BindProperty] public string Role { get; set; } = "";
    [BindProperty] public string? ProvinceCode { get; set; }
    [BindProperty] public string? CommuneCode { get; set; }
    [BindProperty] public string? JobTitle { get; set; }
    [BindProperty] public bool IsDisabled { get; set; }
    [BindProperty] public string? NewPassword { get; set; }
    [BindProperty] public string? Reason { get; set; }

    public string UserName { get; private set; } = "";
    public IReadOnlyList<Province> Provinces { get; private set; } = [];
    public UserFormFields Fields => new(FullName, Role, ProvinceCode, CommuneCode, Provinces, JobTitle);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == Id, ct);
        if (user is null)
        {
            return NotFound();
        }

        (UserName, FullName, Role, ProvinceCode, CommuneCode, IsDisabled, JobTitle) = (user.UserName!, user.FullName, user.Role, user.ProvinceCode, user.CommuneCode, user.IsDisabled, user.JobTitle);
        Provinces = await db.Provinces.AsNoTracking().OrderBy(p => p.Code).ToListAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var errors = await UserCommands.UpdateAsync(users, db, new UpdateUserRequest(Id, FullName, Role, ProvinceCode, CommuneCode, IsDisabled, NewPassword, Reason, users.GetUserId(User)!, JobTitle), ct);
        if (errors.Count == 0)
        {
            return Redirect("/Admin/Users");
        }

        foreach (var (field, messages) in errors)
        {
            messages.ForEach(m => ModelState.AddModelError(field, m));
        }

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == Id, ct);
        if (user is null)
        {
            return NotFound();
        }

        UserName = user.UserName!;
        Provinces = await db.Provinces.AsNoTracking().OrderBy(p => p.Code).ToListAsync(ct);
        return Page();
    }
}
