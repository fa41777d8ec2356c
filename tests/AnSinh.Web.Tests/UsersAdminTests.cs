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

    [Fact]
    public async Task EditWithAnInvalidNewPassword_ChangesNothing()
    {
        var user = await app.CreateUserAsync("half-edit", Roles.CommuneOfficer, null, "01840");
        var admin = await app.SignedInAsync("admin");

        var response = await AppFixture.PostFormAsync(admin, $"/Admin/Users/Edit/{user.Id}", new()
        {
            ["FullName"] = "Tên Mới", ["Role"] = Roles.ProvinceOfficer, ["ProvinceCode"] = "19", ["NewPassword"] = "short",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await app.ScalarAsync<string>($"SELECT role || '|' || full_name FROM app_user WHERE id = '{user.Id}'")).ShouldBe("commune_officer|Người dùng half-edit");
        (await AppFixture.SignInAsync(app.Client(), "half-edit", AppFixture.UserPassword)).StatusCode.ShouldBe(HttpStatusCode.Redirect); // the old password still works
    }

    [Fact]
    public async Task Approver_NeedsTheTitlePrintedAboveTheirSignature()
    {
        var admin = await app.SignedInAsync("admin");

        var without = await AppFixture.PostFormAsync(admin, "/Admin/Users/Create", new()
        {
            ["UserName"] = "ct-no-title", ["FullName"] = "Lường Văn Chủ", ["Role"] = Roles.CommuneApprover, ["CommuneCode"] = "01840", ["Password"] = AppFixture.UserPassword,
        });
        var with = await AppFixture.PostFormAsync(admin, "/Admin/Users/Create", new()
        {
            ["UserName"] = "ct-title", ["FullName"] = "Lường Văn Chủ", ["Role"] = Roles.CommuneApprover, ["CommuneCode"] = "01840", ["Password"] = AppFixture.UserPassword, ["JobTitle"] = "Phó Chủ tịch",
        });

        (await without.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("chức danh in trên quyết định");
        with.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.ScalarAsync<string>("SELECT role || '|' || commune_code || '|' || job_title FROM app_user WHERE user_name = 'ct-title'")).ShouldBe("commune_approver|01840|Phó Chủ tịch");
    }
}
