using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnSinh.Core.People;
using AnSinh.Core.Time;
using AnSinh.Web.Features.Rules;
using AnSinh.Web.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;

using static AnSinh.Web.Tests.Registry.RegistryFixture;

namespace AnSinh.Web.Tests.Registry;

public sealed class RegistryTests(RegistryFixture f) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Journey_ApplicationToActive_WithBackPayHistoryAndExplanation()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Hoàng Thị Mai", "1955-04-10");

        await f.EnrolAsync(person, "5a", M(-2));

        var months = await f.MonthsAsync(f.OfficerA, person, M(-4), M(0));
        months[M(-4)].ShouldBe("none@");
        months[M(-3)].ShouldBe("none@");
        months[M(-2)].ShouldBe($"active@{RegistryFixture.CommuneA}"); // decided now, paid from two months ago: back pay
        months[M(0)].ShouldBe($"active@{RegistryFixture.CommuneA}");
        var detail = await f.OfficerA.GetFromJsonAsync<JsonElement>($"/api/v1/registry/people/{person}", Ct);
        var line = detail.GetProperty("entitlement").GetProperty("lines").EnumerateArray().ShouldHaveSingleItem();
        line.GetProperty("code").GetString().ShouldBe("5a");
        line.GetProperty("explanation").GetString()!.ShouldContain("hệ số 1,5 × mức chuẩn");
        var history = detail.GetProperty("history").EnumerateArray().ToList();
        history.ShouldContain(h => h.GetProperty("actor").GetString() == "reg-cta" && h.GetProperty("entity").GetString() == "enrolment" && h.GetProperty("action").GetString() == "insert");
        history.ShouldContain(h => h.GetProperty("actor").GetString() == "reg-ca" && h.GetProperty("entity").GetString() == "application");
    }

    [Fact]
    public async Task SecondEnrolment_SamePersonAndProgramme_IsImpossible()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Lý Văn Nam", "1950-01-10", Sex.Male);
        await f.EnrolAsync(person, "5a", M(0));

        // Through the workflow: the check names where the person is already paid.
        var again = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5c" } }, channel = "post" }, Ct);
        var id = (await again.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        var check = await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct);
        check.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await check.Content.ReadAsStringAsync(Ct)).ShouldContain("đang hưởng chế độ này tại Phường Đức Xuân");

        // And below the workflow: the database itself refuses a second period covering a month.
        var e = await Should.ThrowAsync<PostgresException>(() => f.App.ExecAsync($"""
            INSERT INTO enrolment (person_id, province_code, commune_code, programme, categories, status, start_month)
            VALUES ({person}, '01', '{RegistryFixture.CommuneHanoi}', 'social_assistance', jsonb_build_array(jsonb_build_object('code', '5a')), 'active', '{Now.AddMonths(-6).FirstDay:yyyy-MM-dd}')
            """));
        e.SqlState.ShouldBeOneOf(PostgresErrorCodes.ExclusionViolation, PostgresErrorCodes.UniqueViolation);
    }

    [Fact]
    public async Task SameCitizenId_InAnotherProvince_IsRefused()
    {
        var id = f.NewCitizenId(1960, Sex.Male);
        var body = new { citizenId = id, fullName = "Đinh Văn Hùng", birthDate = "1960-05-05", sex = "male", communeCode = RegistryFixture.CommuneA };
        (await f.OfficerA.PostAsJsonAsync("/api/v1/registry/people", body, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var elsewhere = await f.HanoiOfficer.PostAsJsonAsync("/api/v1/registry/people", body with { communeCode = RegistryFixture.CommuneHanoi }, Ct);

        elsewhere.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await elsewhere.Content.ReadAsStringAsync(Ct)).ShouldContain("đã có trong hệ thống");
    }

    [Theory]
    [InlineData("001050000123", "1951-01-01", null, HttpStatusCode.UnprocessableEntity, "không khớp năm sinh")]
    [InlineData("001050000124", "1951-01-01", "Thẻ CCCD ghi như vậy, đã đối chiếu bản gốc", HttpStatusCode.Created, null)]
    [InlineData("00105000012", "1950-01-01", "Thẻ ghi như vậy", HttpStatusCode.UnprocessableEntity, "đúng 12 chữ số")]
    public async Task CitizenId_MismatchNeedsAnOfficersReason_ShapeIsAlwaysRequired(string citizenId, string birth, string? reason, HttpStatusCode status, string? message)
    {
        var response = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/people", new
        {
            citizenId, fullName = "Trương Văn Bảy", birthDate = birth, sex = "male", communeCode = RegistryFixture.CommuneA, citizenIdOverrideReason = reason,
        }, Ct);

        response.StatusCode.ShouldBe(status);
        if (message is not null)
        {
            var body = await response.Content.ReadAsStringAsync(Ct);
            body.ShouldContain(message);
            body.ShouldContain("\"CitizenId\"");
        }
    }

    [Fact]
    public async Task IllegalTransitions_AreRefusedSayingWhy()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Phan Thị Cúc", "1952-02-02");
        var received = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5a" } }, channel = "online" }, Ct);
        var id = (await received.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();

        var early = await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = true, decisionNumber = "QĐ-1" }, Ct);
        early.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await early.Content.ReadAsStringAsync(Ct)).ShouldContain("chưa được kiểm tra");

        (await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
        var posting = await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/post", null, Ct);
        (await posting.Content.ReadAsStringAsync(Ct)).ShouldContain("không quy định niêm yết");

        // A commune officer does not decide; an approver refuses only with a reason.
        (await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = true, decisionNumber = "QĐ-2" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        var noReason = await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = false }, Ct);
        noReason.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await noReason.Content.ReadAsStringAsync(Ct)).ShouldContain("RefusalReason");
        var refused = await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = false, refusalReason = "Có người phụng dưỡng" }, Ct);
        refused.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await refused.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("status").GetString().ShouldBe("refused");
        (await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/withdraw", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Check_AgeAgainstTheCategory_IsRefusedByTheRules()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Ngô Văn Tí", "1990-03-03", Sex.Male);
        var received = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5c" } }, channel = "in_person" }, Ct);
        var id = (await received.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();

        var check = await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct);

        check.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await check.Content.ReadAsStringAsync(Ct)).ShouldContain("dành cho người từ đủ 80 tuổi");
    }

    [Fact]
    public async Task Suspension_ThenResumptionWithoutBackPay_LeavesTheSuspendedMonthsUnpaid()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Vũ Thị Lan", "1948-08-08");
        await f.EnrolAsync(person, "5a", M(-5));

        (await f.ChangeAsync(f.OfficerA, person, new { kind = "suspend", effectiveMonth = M(-3), reason = "Không nhận tiền 3 tháng liên tiếp" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await f.ChangeAsync(f.OfficerA, person, new { kind = "resume", effectiveMonth = M(-1), reason = "Đã đến nhận" })).StatusCode.ShouldBe(HttpStatusCode.OK);

        var months = await f.MonthsAsync(f.OfficerA, person, M(-5), M(0));
        months.Values.Select(v => v.Split('@')[0]).ShouldBe(["active", "active", "suspended", "suspended", "active", "active"]);
    }

    [Fact]
    public async Task Suspension_ThenResumptionWithBackPay_MakesEveryMonthPayable()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Tạ Văn Minh", "1947-07-07", Sex.Male);
        await f.EnrolAsync(person, "5a", M(-5));
        await f.ChangeAsync(f.OfficerA, person, new { kind = "suspend", effectiveMonth = M(-3), reason = "Tạm giam" });

        var resumed = await f.ChangeAsync(f.OfficerA, person, new { kind = "resume", effectiveMonth = M(0), reason = "Quyết định truy lĩnh", backPay = true });

        resumed.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await f.MonthsAsync(f.OfficerA, person, M(-5), M(0))).Values.ShouldAllBe(v => v.StartsWith("active@"));
    }

    [Fact]
    public async Task Move_ToAnotherCommune_NoMonthPaidTwiceOrLost()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Đoàn Thị Xuân", "1940-12-12");
        await f.EnrolAsync(person, "5c", M(-4));

        var moved = await f.ChangeAsync(f.ProvinceOfficer, person, new { kind = "move", effectiveMonth = M(-1), reason = "Chuyển về ở với con", communeCode = RegistryFixture.CommuneB });

        moved.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var months = await f.MonthsAsync(f.ProvinceOfficer, person, M(-4), M(0));
        months.Values.ShouldBe([
            $"active@{RegistryFixture.CommuneA}", $"active@{RegistryFixture.CommuneA}", $"active@{RegistryFixture.CommuneA}",
            $"active@{RegistryFixture.CommuneB}", $"active@{RegistryFixture.CommuneB}"]);
        // The person now belongs to the new commune: the old commune's officer no longer sees them, the new one does.
        (await f.OfficerA.GetAsync($"/api/v1/registry/people/{person}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await f.OfficerB.GetAsync($"/api/v1/registry/people/{person}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Death_StopsFromTheNextMonth_AndCreatesFuneralSupport()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Bùi Văn Tư", "1938-03-03", Sex.Male);
        await f.EnrolAsync(person, "5a", M(-6));
        var died = Now.AddMonths(-2);

        var death = await f.ChangeAsync(f.OfficerA, person, new { kind = "death", deathDate = died.FirstDay.AddDays(9).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), reason = "Giấy báo tử số 12" });

        death.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var months = await f.MonthsAsync(f.OfficerA, person, M(-3), M(0));
        months.Values.Select(v => v.Split('@')[0]).ShouldBe(["active", "active", "none", "none"]);
        var detail = await f.OfficerA.GetFromJsonAsync<JsonElement>($"/api/v1/registry/people/{person}", Ct);
        var funeral = detail.GetProperty("oneTimePayments").EnumerateArray().ShouldHaveSingleItem();
        funeral.GetProperty("kind").GetString().ShouldBe("funeral");
        funeral.GetProperty("month").GetString().ShouldBe(died.ToString());
        // Died in 09/2026: 20 × the base of 540,000 (Decree 335/2026, known since 5/10/2026) = 10,800,000.
        funeral.GetProperty("amount").GetInt64().ShouldBe(10_800_000);
        // Nothing more can be changed for this enrolment; a second death is refused.
        (await f.ChangeAsync(f.OfficerA, person, new { kind = "suspend", effectiveMonth = M(0), reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task CategoryChange_FromTheMonthTheConditionIsMet_SplitsThePeriod()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Mạc Văn Đức", "1980-06-06", Sex.Male);
        await f.EnrolAsync(person, "6", M(-3), severity: "severe");

        var change = await f.ChangeAsync(f.OfficerA, person, new { kind = "category", effectiveMonth = M(-1), reason = "Giám định lại: đặc biệt nặng", categories = new[] { new { code = "6", severity = "especially_severe" } } });

        change.StatusCode.ShouldBe(HttpStatusCode.OK);
        var detail = await f.OfficerA.GetFromJsonAsync<JsonElement>($"/api/v1/registry/people/{person}", Ct);
        var periods = detail.GetProperty("periods").EnumerateArray().Where(p => !p.GetProperty("superseded").GetBoolean()).ToList();
        periods.Select(p => (p.GetProperty("categories")[0].GetProperty("severity").GetString(), p.GetProperty("from").GetString(), p.GetProperty("to").GetString()))
            .ShouldBe([("severe", M(-3), M(-2)), ("especially_severe", M(-1), null)]);
        periods[1].GetProperty("reason").GetString().ShouldBe("Giám định lại: đặc biệt nặng");
    }

    [Fact]
    public async Task Correction_OfAMisspeltName_IsAuditedWithItsReason()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Nguyen Thi Hong", "1950-05-05");
        var citizenId = (await f.App.ScalarAsync<string>($"SELECT citizen_id FROM person WHERE id = {person}"))!;
        var body = new { citizenId, fullName = "Nguyễn Thị Hồng", birthDate = "1950-05-05", sex = "female", hamlet = "Tổ 3", reason = "" };

        (await f.OfficerA.PutAsJsonAsync($"/api/v1/registry/people/{person}", body, Ct)).StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var fixedName = await f.OfficerA.PutAsJsonAsync($"/api/v1/registry/people/{person}", body with { reason = "Theo CCCD bản gốc" }, Ct);

        fixedName.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        (await f.App.ScalarAsync<string>($"SELECT search_name FROM person WHERE id = {person}")).ShouldBe("nguyen thi hong");
        var audit = (await f.App.ScalarAsync<string>($"SELECT old_values::text || ' > ' || new_values::text || ' | ' || reason FROM audit_log WHERE entity = 'person' AND entity_key = '{person}' AND action = 'update'"))!;
        audit.ShouldContain("\"full_name\":\"Nguyen Thi Hong\"");
        audit.ShouldContain("\"full_name\":\"Nguyễn Thị Hồng\"");
        audit.ShouldEndWith("| Theo CCCD bản gốc");
        (await f.OfficerB.PutAsJsonAsync($"/api/v1/registry/people/{person}", body with { reason = "x" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task CareSupport_TheCarerIsEnrolledForTheCaredPerson()
    {
        var cared = await f.CreatePersonAsync(f.OfficerA, "Lương Văn Khải", "1990-10-10", Sex.Male);
        await f.EnrolAsync(cared, "6", M(-1), severity: "especially_severe");
        var carer = await f.CreatePersonAsync(f.OfficerA, "Lương Thị Hiền", "1965-10-10");
        var received = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications",
            new { personId = carer, programme = "care_support", categories = new[] { new { code = "household_especially_severe" } }, caredPersonId = cared, channel = "in_person" }, Ct);
        var id = (await received.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();

        var check = await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct);
        check.StatusCode.ShouldBe(HttpStatusCode.OK, await check.Content.ReadAsStringAsync(Ct));
        (await check.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("checkNotes").GetString()!.ShouldContain("Mức dự kiến");
        (await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = true, decisionNumber = "QĐ-CS-1" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var months = await f.OfficerA.GetFromJsonAsync<JsonElement[]>($"/api/v1/registry/people/{carer}/months?programme=care_support&from={M(0)}&to={M(0)}", Ct);
        months!.Single().GetProperty("status").GetString().ShouldBe("active");
        (await f.App.ScalarAsync<long>($"SELECT cared_person_id FROM enrolment WHERE person_id = {carer}")).ShouldBe(cared);
    }

    [Fact]
    public async Task Stop_FromAMonth_AndChangesBeforeTheStart_AreRefused()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Lò Thị Én", "1945-05-05");
        await f.EnrolAsync(person, "5a", M(-2));

        var early = await f.ChangeAsync(f.OfficerA, person, new { kind = "suspend", effectiveMonth = M(-5), reason = "x" });
        early.StatusCode.ShouldBe(HttpStatusCode.Conflict);
        (await early.Content.ReadAsStringAsync(Ct)).ShouldContain("trước khi bắt đầu hưởng");

        (await f.ChangeAsync(f.OfficerA, person, new { kind = "stop", effectiveMonth = M(0), reason = "Tự nguyện thôi hưởng" })).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await f.MonthsAsync(f.OfficerA, person, M(-2), M(0))).Values.Select(v => v.Split('@')[0]).ShouldBe(["active", "active", "none"]);
    }

    [Fact]
    public async Task OtherCommuneOrProvince_CannotReadOrChange()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Kiều Thị Hạnh", "1944-04-04");
        await f.EnrolAsync(person, "5a", M(0));

        (await f.OfficerB.GetAsync($"/api/v1/registry/people/{person}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await f.HanoiOfficer.GetAsync($"/api/v1/registry/people/{person}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await f.HanoiOfficer.GetAsync($"/api/v1/registry/people/{person}/months", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await f.ChangeAsync(f.OfficerB, person, new { kind = "stop", effectiveMonth = M(0), reason = "x" })).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var search = await f.HanoiOfficer.GetFromJsonAsync<JsonElement>("/api/v1/registry/people?q=kieu thi hanh", Ct);
        search.GetProperty("items").GetArrayLength().ShouldBe(0);
        (await f.OfficerB.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5a" } }, channel = "post" }, Ct))
            .StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Pages_OtherCommune_CannotOpenThePersonOrChangeIt()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Lã Thị Gấm", "1946-01-01");
        await f.EnrolAsync(person, "5a", M(0));

        (await f.OfficerA.GetAsync($"/Registry/People/{person}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await f.OfficerB.GetAsync($"/Registry/People/{person}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var application = await f.App.ScalarAsync<long>($"SELECT id FROM application WHERE person_id = {person}");
        (await f.OfficerB.GetAsync($"/Registry/Applications/{application}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await f.OfficerB.GetAsync($"/Registry/Applications/{application}/Decision", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);
        var search = await f.OfficerB.GetStringAsync("/Registry?Q=la+thi+gam", Ct);
        search.ShouldNotContain("Lã Thị Gấm");
        (await f.OfficerA.GetStringAsync("/Registry?Q=la+thi+gam", Ct)).ShouldContain("Lã Thị Gấm");
    }

    [Fact]
    public async Task OpenApi_DocumentsTheRegistry()
    {
        var doc = await f.App.Client().GetStringAsync("/openapi/v1.json", Ct);

        foreach (var path in new[] { "/api/v1/registry/people", "/api/v1/registry/applications", "/api/v1/registry/people/{personId}/enrolments/{programme}/changes", "/api/v1/registry/imports", "/api/v1/rules" })
        {
            doc.ShouldContain($"\"{path}\"");
        }
    }

    [Fact]
    public async Task Search_WithoutDiacritics_AndInVietnameseOrder()
    {
        await f.CreatePersonAsync(f.OfficerB, "Nguyễn Văn Khuê", "1950-01-01", Sex.Male, RegistryFixture.CommuneB);
        await f.CreatePersonAsync(f.OfficerB, "Đào Thị Khuê", "1951-01-01", Sex.Female, RegistryFixture.CommuneB);
        await f.CreatePersonAsync(f.OfficerB, "Dương Văn Khuê", "1952-01-01", Sex.Male, RegistryFixture.CommuneB);
        await f.CreatePersonAsync(f.OfficerB, "Hà Thị Khuế", "1953-01-01", Sex.Female, RegistryFixture.CommuneB);

        var one = await f.OfficerB.GetFromJsonAsync<JsonElement>("/api/v1/registry/people?q=nguyen van khue", Ct);
        one.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("fullName").GetString()).ShouldBe(["Nguyễn Văn Khuê"]);

        var all = await f.OfficerB.GetFromJsonAsync<JsonElement>("/api/v1/registry/people?q=khue&commune=01843&sort=name", Ct);
        var names = all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("fullName").GetString()).ToList();
        // Vietnamese order: D before Đ before H ... N.
        names.ShouldBe(["Dương Văn Khuê", "Đào Thị Khuê", "Hà Thị Khuế", "Nguyễn Văn Khuê"]);
    }

    [Fact]
    public async Task VietnameseOrder_InMemoryAndInTheDatabase_Agree()
    {
        // Name searches sort their matches in memory; lists sort in the database: both must give one order.
        string[] names = ["Ưng Văn Tý", "Ứng Thị Hoa", "Uông Văn Bình", "Đặng Thị Ánh", "Đàm Văn Ân", "Dương Thị Ẩn", "Ân Văn An", "Âu Thị Ấm", "Ánh Văn Á", "An Văn Ă", "Ơn Văn Ợ", "Ôn Thị Ốc", "Ong Văn Ò"];
        var values = string.Join(", ", names.Select((n, i) => $"('{n}', {i})"));
        var fromDb = await f.App.ScalarAsync<string>($"SELECT string_agg(n, '|' ORDER BY n COLLATE \"vi-x-icu\") FROM (VALUES {values}) v(n, i)");
        var inMemory = string.Join('|', names.Order(StringComparer.Create(System.Globalization.CultureInfo.GetCultureInfo("vi-VN"), System.Globalization.CompareOptions.None)));

        inMemory.ShouldBe(fromDb);
    }

    [Fact]
    public async Task Search_ByCitizenIdCategoryAndStatus_Pages()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Cù Thị Nụ", "1946-06-06");
        await f.EnrolAsync(person, "5c", M(0));
        var citizenId = (await f.App.ScalarAsync<string>($"SELECT citizen_id FROM person WHERE id = {person}"))!;

        var byId = await f.OfficerA.GetFromJsonAsync<JsonElement>($"/api/v1/registry/people?citizenId={citizenId}", Ct);
        byId.GetProperty("items").EnumerateArray().ShouldHaveSingleItem().GetProperty("id").GetInt64().ShouldBe(person);
        var byCategory = await f.OfficerA.GetFromJsonAsync<JsonElement>("/api/v1/registry/people?category=5c&status=active&pageSize=100", Ct);
        byCategory.GetProperty("items").EnumerateArray().ShouldContain(i => i.GetProperty("id").GetInt64() == person);
        byCategory.GetProperty("items").EnumerateArray().ShouldAllBe(i => i.GetProperty("open").EnumerateArray().Any(o => o.GetProperty("categories").EnumerateArray().Any(c => c.GetProperty("code").GetString() == "5c")));
        var paged = await f.OfficerA.GetFromJsonAsync<JsonElement>("/api/v1/registry/people?pageSize=1", Ct);
        paged.GetProperty("items").GetArrayLength().ShouldBe(1);
        paged.GetProperty("hasMore").GetBoolean().ShouldBeTrue();
    }

    [Fact]
    public async Task Overdue_ApplicationPastItsWorkingDayDeadline_IsFlagged()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Hứa Văn Lộc", "1943-03-03", Sex.Male);
        var received = FakeClock.VietnamToday.AddDays(-30).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var r = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new { personId = person, programme = "social_assistance", categories = new[] { new { code = "5a" } }, channel = "post", receivedOn = received }, Ct);
        var app = await r.Content.ReadFromJsonAsync<JsonElement>(Ct);

        var overdue = await f.OfficerA.GetFromJsonAsync<JsonElement[]>("/api/v1/registry/overdue", Ct);

        overdue!.ShouldContain(o => o.GetProperty("id").GetInt64() == app.GetProperty("id").GetInt64());
        (await f.OfficerB.GetFromJsonAsync<JsonElement[]>("/api/v1/registry/overdue", Ct))!.ShouldNotContain(o => o.GetProperty("id").GetInt64() == app.GetProperty("id").GetInt64());
    }
}
