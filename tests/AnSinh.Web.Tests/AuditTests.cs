using System.Net;
using AnSinh.Web.Security;
using AnSinh.Web.Tests.Support;
using Npgsql;
using Shouldly;

namespace AnSinh.Web.Tests;

public sealed class AuditTests(AppFixture app) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task AdminCreatesUserOnThePage_AuditRowNamesTheAdminAndHidesSecrets()
    {
        var client = await app.SignedInAsync("admin");

        var response = await AppFixture.PostFormAsync(client, "/Admin/Users/Create", new()
        {
            ["UserName"] = "audited1",
            ["FullName"] = "Nguyễn Thị Hoa",
            ["Role"] = Roles.CommuneOfficer,
            ["ProvinceCode"] = "19",
            ["CommuneCode"] = "01843",
            ["Password"] = "Hoa-Password-2026",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var id = await app.ScalarAsync<string>("SELECT id FROM app_user WHERE user_name = 'audited1'");
        var actor = await app.ScalarAsync<string>($"SELECT actor FROM audit_log WHERE entity = 'app_user' AND entity_key = '{id}' AND action = 'insert'");
        actor.ShouldBe("admin");
        var values = (await app.ScalarAsync<string>($"SELECT new_values::text FROM audit_log WHERE entity_key = '{id}' AND action = 'insert'"))!;
        values.ShouldContain("\"commune_code\":\"01843\"");
        values.ShouldNotContain("password_hash");
        values.ShouldNotContain("security_stamp");
        (await app.ScalarAsync<string>($"SELECT province_code FROM audit_log WHERE entity_key = '{id}' AND action = 'insert'")).ShouldBe("19");
    }

    [Fact]
    public async Task CreateUserPage_ScopeThatDoesNotFitTheRole_ShowsTheFieldErrorAndWritesNothing()
    {
        var client = await app.SignedInAsync("admin");
        var before = await app.ScalarAsync<long>("SELECT count(*) FROM audit_log");

        var response = await AppFixture.PostFormAsync(client, "/Admin/Users/Create", new()
        {
            ["UserName"] = "badscope",
            ["FullName"] = "Trần Văn Bình",
            ["Role"] = Roles.CommuneOfficer,
            ["ProvinceCode"] = "01",
            ["CommuneCode"] = "01843",
            ["Password"] = "Binh-Password-2026",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("không thuộc tỉnh mã");
        (await app.ScalarAsync<long>("SELECT count(*) FROM app_user WHERE user_name = 'badscope'")).ShouldBe(0);
        (await app.ScalarAsync<long>("SELECT count(*) FROM audit_log")).ShouldBe(before);
    }

    [Fact]
    public async Task EditUser_DisableWithReason_IsAuditedWithTheReasonAndRefusesSignIn()
    {
        var user = await app.CreateUserAsync("tobedisabled", Roles.ProvinceOfficer, "19");
        var admin = await app.SignedInAsync("admin");

        var response = await AppFixture.PostFormAsync(admin, $"/Admin/Users/Edit/{user.Id}", new()
        {
            ["FullName"] = user.FullName,
            ["Role"] = Roles.ProvinceOfficer,
            ["ProvinceCode"] = "19",
            ["IsDisabled"] = "true",
            ["Reason"] = "Nghỉ hưu",
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await app.ScalarAsync<string>($"SELECT reason FROM audit_log WHERE entity_key = '{user.Id}' AND action = 'update' AND new_values::text LIKE '%is_disabled%'")).ShouldBe("Nghỉ hưu");
        var signIn = await AppFixture.SignInAsync(app.Client(), "tobedisabled", AppFixture.UserPassword);
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await signIn.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("Tên đăng nhập hoặc mật khẩu không đúng.");
    }

    [Fact]
    public async Task AuditLog_UpdateDeleteTruncate_AreRefusedByTheSchema()
    {
        await app.CreateUserAsync("chain1", Roles.Inspector, "19");
        foreach (var sql in new[] { "UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log", "TRUNCATE audit_log" })
        {
            var e = await Should.ThrowAsync<PostgresException>(() => app.ExecAsync(sql));
            e.SqlState.ShouldBe("42501", sql);
            e.MessageText.ShouldContain("append-only");
        }
    }

    [Fact]
    public async Task AuditVerify_IntactChainPasses_TamperedRowFailsNamingIt()
    {
        var db = await TestDatabase.CreateMigratedAsync();
        (await CliRunner.RunAsync(db, "users", "add", "--username", "v1", "--full-name", "Lê Văn Một", "--role", "inspector", "--province", "19", "--password", "Verify-Pass-2026")).ExitCode.ShouldBe(0);
        (await CliRunner.RunAsync(db, "users", "add", "--username", "v2", "--full-name", "Lê Văn Hai", "--role", "inspector", "--province", "01", "--password", "Verify-Pass-2026")).ExitCode.ShouldBe(0);

        var ok = await CliRunner.RunAsync(db, "audit", "verify");
        ok.ExitCode.ShouldBe(0, ok.Stderr);
        ok.Stdout.ShouldContain("Audit chain OK");

        long target;
        await using (var conn = new NpgsqlConnection(db))
        {
            await conn.OpenAsync(TestContext.Current.CancellationToken);
            await using var find = new NpgsqlCommand("SELECT id FROM audit_log WHERE new_values::text LIKE '%\"v1\"%'", conn);
            target = (long)(await find.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
            // Only a superuser who switches the append-only trigger off can do this; verify must still see it.
            await using var tamper = new NpgsqlCommand($"""
                ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;
                UPDATE audit_log SET new_values = replace(new_values::text, '"19"', '"01"')::json WHERE id = {target};
                ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete;
                """, conn);
            await tamper.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var broken = await CliRunner.RunAsync(db, "audit", "verify");
        broken.ExitCode.ShouldBe(2);
        broken.Stderr.ShouldContain($"row id {target}");
        broken.Stderr.ShouldContain("modified");
    }

    [Fact]
    public async Task AuditVerifyAnchor_RowsCutOffTheEnd_AreCaughtByThePrintedAnchor()
    {
        var db = await TestDatabase.CreateMigratedAsync();
        (await CliRunner.RunAsync(db, "users", "add", "--username", "a1", "--full-name", "Lê Văn Một", "--role", "inspector", "--province", "19", "--password", "Verify-Pass-2026")).ExitCode.ShouldBe(0);
        string anchor;
        await using (var conn = new NpgsqlConnection(db))
        {
            await conn.OpenAsync(TestContext.Current.CancellationToken);
            await using var last = new NpgsqlCommand("SELECT id || ':' || hash FROM audit_log ORDER BY id DESC LIMIT 1", conn);
            anchor = (string)(await last.ExecuteScalarAsync(TestContext.Current.CancellationToken))!;
        }

        var ok = await CliRunner.RunAsync(db, "audit", "verify", "--anchor", anchor);
        ok.ExitCode.ShouldBe(0, ok.Stderr);
        ok.Stdout.ShouldContain("printed anchor");

        // The tail is cut, anchor row included: what remains still chains, so only the paper shows the loss.
        await using (var conn = new NpgsqlConnection(db))
        {
            await conn.OpenAsync(TestContext.Current.CancellationToken);
            await using var cut = new NpgsqlCommand($"""
                ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update_delete;
                DELETE FROM audit_log WHERE id >= {anchor.Split(':')[0]};
                ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update_delete;
                """, conn);
            await cut.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        (await CliRunner.RunAsync(db, "audit", "verify")).ExitCode.ShouldBe(0);
        var broken = await CliRunner.RunAsync(db, "audit", "verify", "--anchor", anchor);
        broken.ExitCode.ShouldBe(2);
        broken.Stderr.ShouldContain("missing");
        (await CliRunner.RunAsync(db, "audit", "verify", "--anchor", "12x")).ExitCode.ShouldBe(1);
    }
}
