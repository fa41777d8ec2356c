using AnSinh.Core.People;
using AnSinh.Web.Tests.Support;
using Npgsql;
using Shouldly;

namespace AnSinh.Web.Tests;

public sealed class CliTests
{
    [Theory]
    [InlineData("no-such-command")]
    [InlineData("seed", "demo", "--people", "abc")]
    [InlineData("seed", "demo", "--people", "0")]
    [InlineData("users", "add", "--username", "x")]
    public async Task BadArguments_PrintUsageAndExitNonZero(params string[] args)
    {
        var result = await CliRunner.RunAsync(await TestDatabase.CreateEmptyAsync(), args);

        result.ExitCode.ShouldNotBe(0);
        (result.Stdout + result.Stderr).ShouldContain("Usage:");
    }

    [Fact]
    public async Task SeedDemo_CreatesValidPeopleOverTheProvincesRealCommunes()
    {
        var cs = await TestDatabase.CreateMigratedAsync();

        var result = await CliRunner.RunAsync(cs, "seed", "demo", "--province", "19", "--people", "600");

        result.ExitCode.ShouldBe(0, result.Stderr);
        result.Stdout.ShouldContain("Seeded 600 people and 600 enrolments in province 19");
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("""
            SELECT p.citizen_id, extract(year FROM p.birth_date)::int, p.sex, c.province_code, e.categories->0->>'code', e.programme
            FROM person p JOIN commune c ON c.code = p.commune_code JOIN enrolment e ON e.person_id = p.id
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var categories = new Dictionary<string, int>();
        var rows = 0;
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows++;
            CitizenId.Check(reader.GetString(0), reader.GetInt32(1), (Sex)reader.GetInt16(2)).ShouldBeNull(reader.GetString(0));
            reader.GetString(3).ShouldBe("19");
            var key = reader.GetString(5) + "/" + reader.GetString(4);
            categories[key] = categories.GetValueOrDefault(key) + 1;
        }

        rows.ShouldBe(600);
        // The Chợ Đồn mix: disability is the largest group (785/1714), elderly next (553/1714), carers 268/1714.
        var disabled = categories.GetValueOrDefault("social_assistance/6");
        disabled.ShouldBeInRange(230, 320);
        (categories.GetValueOrDefault("social_assistance/5a") + categories.GetValueOrDefault("social_assistance/5b") + categories.GetValueOrDefault("social_assistance/5c")).ShouldBeInRange(150, 240);
        categories.GetValueOrDefault("care_support/household_especially_severe").ShouldBeInRange(60, 130);
    }

    [Fact]
    public async Task SeedDemo_WithStaff_CreatesTheCommuneOfficerChairmanAndProvinceStaff_WhoCanSignIn()
    {
        var cs = await TestDatabase.CreateMigratedAsync();

        var result = await CliRunner.RunAsync(cs, "seed", "demo", "--province", "19", "--people", "80", "--staff");

        result.ExitCode.ShouldBe(0, result.Stderr);
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("SELECT role, coalesce(job_title, ''), province_code, coalesce(commune_code, '') FROM app_user WHERE role <> 'admin' ORDER BY role", conn);
        await using var reader = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<string>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add($"{reader.GetString(0)}|{reader.GetString(1)}|{reader.GetString(2)}|{(reader.GetString(3).Length > 0 ? "commune" : "")}");
        }

        await reader.DisposeAsync();
        rows.ShouldBe(["commune_approver|Chủ tịch|19|commune", "commune_officer||19|commune", "inspector||19|", "payer_clerk||19|", "province_approver|Phó Chủ tịch|19|", "province_officer||19|"]);
        // The shared password is printed once, for the newcomer to sign in with.
        result.Stdout.ShouldMatch(@"shared password: As\d-\S{16}");
        // Each demo month went to the post office and the bank: files built, money transferred, results back from both.
        await using var demo = new NpgsqlCommand("""
            SELECT (SELECT count(DISTINCT run_id) FROM payer_file WHERE status = 'ready'), (SELECT count(DISTINCT kind) FROM payer_file),
                   (SELECT count(DISTINCT format) FROM payer_result), (SELECT count(*) FROM payer_transfer) > 0
            """, conn);
        await using var d = await demo.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        await d.ReadAsync(TestContext.Current.CancellationToken);
        (d.GetInt64(0), d.GetInt64(1), d.GetInt64(2), d.GetBoolean(3)).ShouldBe((4L, 5L, 2L, true));
        await d.DisposeAsync();

        // Oversight: three grievances (answered, waiting, overdue and escalated) and an inspection with one finding acted on.
        await using var oversight = new NpgsqlCommand("""
            SELECT string_agg(status || ':' || (escalated_at IS NOT NULL), ',' ORDER BY id) FROM grievance
            UNION ALL SELECT string_agg(status, ',' ORDER BY id) FROM inspection_finding
            UNION ALL SELECT string_agg(g.status || ':' || d.kind || ':' || d.content_type || ':' || (convert_from(substring(d.content from 1 for 8), 'LATIN1')), ',') FROM grievance_document d JOIN grievance g ON g.id = d.grievance_id
            """, conn);
        await using var o = await oversight.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var got = new List<string>();
        while (await o.ReadAsync(TestContext.Current.CancellationToken))
        {
            got.Add(o.GetString(0));
        }

        got.ShouldBe(["answered:false,received:false,accepted:true", "actioned,open", "accepted:letter:application/pdf:%PDF-1.4"]); // the overdue letter's scan
    }

    [Fact]
    public async Task SeedDemo_IfEmptyOnASeededProvince_SkipsAndKeepsTheData()
    {
        var cs = await TestDatabase.CreateMigratedAsync();
        (await CliRunner.RunAsync(cs, "seed", "demo", "--province", "01", "--people", "50")).ExitCode.ShouldBe(0);

        var again = await CliRunner.RunAsync(cs, "seed", "demo", "--province", "01", "--people", "50", "--if-empty");

        again.ExitCode.ShouldBe(0, again.Stderr);
        again.Stdout.ShouldContain("already has people");
        await using var conn = new NpgsqlConnection(cs);
        await conn.OpenAsync(TestContext.Current.CancellationToken);
        await using var cmd = new NpgsqlCommand("SELECT count(*) FROM person", conn);
        (await cmd.ExecuteScalarAsync(TestContext.Current.CancellationToken)).ShouldBe(50L);
    }

    [Fact]
    public async Task SeedDemo_UnknownProvince_SaysSoAndExits1()
    {
        var result = await CliRunner.RunAsync(await TestDatabase.CreateMigratedAsync(), "seed", "demo", "--province", "99", "--people", "10");

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("Không có tỉnh mã '99'");
    }

    [Fact]
    public async Task UsersAdd_CommuneOfficerWithoutCommune_IsRefusedNamingTheField()
    {
        var result = await CliRunner.RunAsync(await TestDatabase.CreateMigratedAsync(),
            "users", "add", "--username", "c1", "--full-name", "Phạm Thị Lan", "--role", "commune_officer", "--province", "19", "--password", "Lan-Password-2026");

        result.ExitCode.ShouldBe(1);
        result.Stderr.ShouldContain("CommuneCode: Cán bộ cấp xã phải gắn với một xã/phường");
    }
}
