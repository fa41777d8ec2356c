using AnSinh.Web.Database;
using AnSinh.Web.Features.Admin.Users;
using AnSinh.Web.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace AnSinh.Web.Seeding;

/// <summary>
/// The staff of a demo province, so that a newcomer can try each role: the officer and the chairman of the
/// commune with the most beneficiaries, a province officer and a province approver, a clerk of the post office and an inspector. They share one generated
/// password, printed once and kept beside the admin's in the local data folder.
/// </summary>
public static class DemoStaff
{
    public sealed record Account(string UserName, string Role, string Title);

    public static async Task<(IReadOnlyList<Account> Accounts, string Password, string CommuneName)> CreateAsync(
        IServiceProvider services, string province, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var time = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var commune = await db.Enrolments.AsNoTracking().Where(e => e.ProvinceCode == province && e.EndMonth == null && e.SupersededAt == null)
            .GroupBy(e => e.CommuneCode).OrderByDescending(g => g.Count()).ThenBy(g => g.Key).Select(g => g.Key).FirstAsync(ct);
        var communeName = await db.Communes.AsNoTracking().Where(c => c.Code == commune).Select(c => c.Name).FirstAsync(ct);
        var password = Hosting.StartupTasks.GeneratePassword();
        var postOffice = await db.Payers.AsNoTracking().Where(p => p.ProvinceCode == province && p.Kind == "post_office").OrderBy(p => p.Id).Select(p => (long?)p.Id).FirstOrDefaultAsync(ct);
        (string User, string Name, string Role, string? Commune, string? Title)[] staff =
        [
            ($"canbo.{commune}", "Nguyễn Thị Lan", Roles.CommuneOfficer, commune, null),
            ($"chutich.{commune}", "Hoàng Văn Sơn", Roles.CommuneApprover, commune, "Chủ tịch"),
            ($"canbo.tinh{province}", "Trần Minh Đức", Roles.ProvinceOfficer, null, null),
            ($"lanhdao.tinh{province}", "Phạm Thu Hà", Roles.ProvinceApprover, null, "Phó Chủ tịch"),
            ($"buudien.tinh{province}", "Vũ Văn Bình", Roles.PayerClerk, null, null),
            ($"thanhtra.tinh{province}", "Đỗ Quang Minh", Roles.Inspector, null, null),
        ];
        var created = new List<Account>();
        foreach (var s in staff)
        {
            var (user, errors) = await UserCommands.CreateAsync(users, db, new CreateUserRequest(s.User, s.Name, s.Role, province, s.Commune, password, s.Title,
                s.Role == Roles.PayerClerk ? postOffice : null), time, ct);
            if (user is not null)
            {
                created.Add(new Account(s.User, s.Role, s.Title ?? ""));
            }
            else if (!errors.ContainsKey("UserName"))
            {
                throw new InvalidOperationException($"Demo account {s.User}: {string.Join("; ", errors.SelectMany(e => e.Value))}");
            }
        }

        return (created, password, communeName);
    }
}
