using System.Net;
using AnSinh.Web.Hosting;
using AnSinh.Web.Security;
using AnSinh.Web.Tests.Support;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;

namespace AnSinh.Web.Tests;

public sealed class UsersAdminTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task GeneratedPassword_AlwaysMeetsThePasswordPolicy()
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var probe = new AppUser { UserName = "probe", FullName = "probe", Role = Roles.Admin };
        for (var i = 0; i < 500; i++)
        {
            var password = StartupTasks.GeneratePassword();
            foreach (var validator in users.PasswordValidators)
            {
                var result = await validator.ValidateAsync(users, probe, password);
                result.Succeeded.ShouldBeTrue(password);
            }
        }
    }

    [Fact]
    public async Task EditOwnAccount_DisableOrDemote_IsRefusedWithAReason()
    {
        var admin = await app.SignedInAsync("admin");
        var adminId = (await app.ScalarAsync<string>("SELECT id FROM app_user WHERE user_name = 'admin'"))!;

        var response = await AppFixture.PostFormAsync(admin, $"/Admin/Users/Edit/{adminId}", new()
        {
            ["FullName"] = "Quản trị hệ thống",
            ["Role"] = Roles.Inspector,
            ["ProvinceCode"] = "19",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Không thể tự vô hiệu hoá hoặc đổi vai trò của chính mình");
        (await app.ScalarAsync<string>("SELECT role FROM app_user WHERE user_name = 'admin'")).ShouldBe(Roles.Admin);
    }

    [Fact]
    public async Task UsersPage_ListsAccountsWithRoleAndScope()
    {
        await app.CreateUserAsync("listed-c", Roles.CommuneOfficer, null, "01849");
        var admin = await app.SignedInAsync("admin");

        var html = await admin.GetStringAsync("/Admin/Users", TestContext.Current.CancellationToken);

        html.ShouldContain("listed-c");
        html.ShouldContain("Cán bộ cấp xã");
        html.ShouldContain("01849");
    }
}
