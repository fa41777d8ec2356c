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
public sealed class CreateModel(AppDbContext db, UserManager<AppUser> users, TimeProvider time) : PageModel
{
    [BindProperty] public string UserName { get; set; } = "";
    [BindProperty] public string FullName { get; set; } = "";
    [BindProperty] public string Role { get; set; } = Roles.CommuneOfficer;
    [BindProperty] public string? ProvinceCode { get; set; }
    [BindProperty] public string? CommuneCode { get; set; }
    [BindProperty] public string? JobTitle { get; set; }
    [BindProperty] public string Password { get; set; } = "";
    [BindProperty] public long? PayerId { get; set; }

    public IReadOnlyList<Province> Provinces { get; private set; } = [];
    public IReadOnlyList<Payment.Payer> Payers { get; private set; } = [];
    public UserFormFields Fields => new(FullName, Role, ProvinceCode, CommuneCode, Provinces, JobTitle);

    public async Task OnGetAsync(CancellationToken ct)
    {
        Provinces = await db.Provinces.AsNoTracking().OrderBy(p => p.Code).ToListAsync(ct);
        Payers = await db.Payers.AsNoTracking().OrderBy(p => p.ProvinceCode).ThenBy(p => p.Name).ToListAsync(ct);
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        var (user, errors) = await UserCommands.CreateAsync(users, db, new CreateUserRequest(UserName, FullName, Role, ProvinceCode, CommuneCode, Password, JobTitle, PayerId), time, ct);
        if (user is not null)
        {
            return Redirect("/Admin/Users");
        }

        foreach (var (field, messages) in errors)
        {
            messages.ForEach(m => ModelState.AddModelError(field, m));
        }

        await OnGetAsync(ct);
        return Page();
    }
}
