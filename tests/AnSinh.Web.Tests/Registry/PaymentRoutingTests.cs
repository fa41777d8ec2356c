using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnSinh.Core.People;
using AnSinh.Core.Time;
using AnSinh.Web.Tests.Support;
using Shouldly;

using static AnSinh.Web.Tests.Registry.RegistryFixture;

namespace AnSinh.Web.Tests.Registry;

/// <summary>Payers, points and per-person instructions; the list of people who cannot be paid next month as things stand.</summary>
public sealed class PaymentRoutingTests(RegistryFixture f) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<long> PointAsync(string commune, bool withPayer = true)
    {
        long? payer = null;
        if (withPayer)
        {
            var p = await f.ProvinceOfficer.PostAsJsonAsync("/api/v1/provinces/19/payers", new { kind = "post_office", name = "Bưu điện " + Guid.NewGuid().ToString("N")[..6] }, Ct);
            p.StatusCode.ShouldBe(HttpStatusCode.Created, await p.Content.ReadAsStringAsync(Ct));
            payer = (await p.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        }

        var r = await f.ProvinceOfficer.PostAsJsonAsync("/api/v1/provinces/19/payment-points",
            new { communeCode = commune, payerId = payer, name = "Nhà văn hoá " + Guid.NewGuid().ToString("N")[..6], address = "Tổ 3", firstDay = 7, lastDay = 15 }, Ct);
        r.StatusCode.ShouldBe(HttpStatusCode.Created, await r.Content.ReadAsStringAsync(Ct));
        return (await r.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
    }

    private async Task<JsonElement[]> UnroutedAsync(HttpClient client, string? month = null) =>
        (await client.GetFromJsonAsync<JsonElement[]>("/api/v1/provinces/19/unrouted" + (month is null ? "" : "?month=" + month), Ct))!;

    [Fact]
    public async Task CombinedCategories_SingleParentOfTwoSeverelyDisabled_IsOwedBoth()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Lò Thị Hằng", "1990-04-04");
        var received = await f.OfficerA.PostAsJsonAsync("/api/v1/registry/applications", new
        {
            personId = person, programme = "social_assistance", channel = "in_person",
            categories = new object[] { new { code = "6", severity = "severe" }, new { code = "4", children = 2 } },
        }, Ct);
        received.StatusCode.ShouldBe(HttpStatusCode.Created, await received.Content.ReadAsStringAsync(Ct));
        var id = (await received.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        (await f.OfficerA.PostAsync($"/api/v1/registry/applications/{id}/check", null, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await f.ChairmanA.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = true, decisionNumber = "QĐ-46", startMonth = M(0) }, Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        var detail = await f.OfficerA.GetFromJsonAsync<JsonElement>($"/api/v1/registry/people/{person}", Ct);

        // 11/2026, base 540,000: k4 2 × 1.0 = 1,080,000 plus k6 severe 1.5 = 810,000, together 1,890,000 = (2 × 1.0 + 1.5) × 540,000.
        var entitlement = detail.GetProperty("entitlement");
        entitlement.GetProperty("amount").GetInt64().ShouldBe(1_890_000);
        entitlement.GetProperty("lines").EnumerateArray().Select(l => (l.GetProperty("code").GetString(), l.GetProperty("amount").GetInt64()))
            .ShouldBe([("4", 1_080_000L), ("6", 810_000L)], ignoreOrder: true);
    }

    [Fact]
    public async Task Instruction_BankWithSpacesAndHolderWithoutDiacritics_IsStoredAsDigits()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Nguyễn Thị Hoà", "1950-01-01");
        await f.EnrolAsync(person, "5a", M(-1));

        var wrongHolder = await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/people/{person}/payment-instructions",
            new { method = "bank", startMonth = M(1), reason = "Mở tài khoản", bankBin = "970405", accountNumber = "1903 1234 5678", accountHolder = "TRAN VAN BINH" }, Ct);
        wrongHolder.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await wrongHolder.Content.ReadAsStringAsync(Ct)).ShouldContain("AccountHolder");
        var unknownBank = await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/people/{person}/payment-instructions",
            new { method = "bank", startMonth = M(1), reason = "Mở tài khoản", bankBin = "999999", accountNumber = "1903 1234 5678", accountHolder = "NGUYEN THI HOA" }, Ct);
        (await unknownBank.Content.ReadAsStringAsync(Ct)).ShouldContain("BankBin");

        var ok = await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/people/{person}/payment-instructions",
            new { method = "bank", startMonth = M(1), reason = "Mở tài khoản Agribank", bankBin = "970405", accountNumber = "1903 1234 5678", accountHolder = "NGUYEN THI HOA" }, Ct);

        ok.StatusCode.ShouldBe(HttpStatusCode.Created, await ok.Content.ReadAsStringAsync(Ct));
        var list = await f.OfficerA.GetFromJsonAsync<JsonElement[]>($"/api/v1/registry/people/{person}/payment-instructions", Ct);
        var bank = list!.ShouldHaveSingleItem();
        bank.GetProperty("accountNumber").GetString().ShouldBe("190312345678");
        bank.GetProperty("bankName").GetString().ShouldBe("Agribank");
        // The enrolment period is untouched by a change of account.
        var detail = await f.OfficerA.GetFromJsonAsync<JsonElement>($"/api/v1/registry/people/{person}", Ct);
        detail.GetProperty("periods").EnumerateArray().Count().ShouldBe(1);
    }

    [Fact]
    public async Task Unrouted_ListsWhoCannotBePaidNextMonth_UntilFixed()
    {
        var noInstruction = await f.CreatePersonAsync(f.OfficerA, "Vi Văn Một", "1944-02-02", Sex.Male);
        await f.EnrolAsync(noInstruction, "5a", M(-2));
        var expiring = await f.CreatePersonAsync(f.OfficerA, "Vi Thị Hai", "1938-03-03");
        await f.EnrolAsync(expiring, "5c", M(-2));
        var point = await PointAsync(RegistryFixture.CommuneA);
        var proxy = await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/people/{expiring}/proxies", new
        {
            fullName = "Vi Văn Ba", citizenId = f.NewCitizenId(1975, Sex.Male), relationship = "con", validFrom = "2026-06-01", validTo = "2026-11-30",
        }, Ct);
        proxy.StatusCode.ShouldBe(HttpStatusCode.Created, await proxy.Content.ReadAsStringAsync(Ct));
        var proxyId = (await proxy.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("id").GetInt64();
        (await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/people/{expiring}/payment-instructions",
            new { method = "proxy", startMonth = M(0), reason = "Ủy quyền cho con", paymentPointId = point, proxyId }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var thisMonth = await UnroutedAsync(f.OfficerA, M(0));
        var nextMonth = await UnroutedAsync(f.OfficerA);

        thisMonth.ShouldContain(r => r.GetProperty("personId").GetInt64() == noInstruction && r.GetProperty("problem").GetString() == "none");
        thisMonth.ShouldNotContain(r => r.GetProperty("personId").GetInt64() == expiring); // the letter covers 11/2026
        nextMonth.ShouldContain(r => r.GetProperty("personId").GetInt64() == expiring && r.GetProperty("problem").GetString() == "proxy_expired");
        (await UnroutedAsync(f.OfficerB)).ShouldNotContain(r => r.GetProperty("personId").GetInt64() == noInstruction); // another commune's officer

        (await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/people/{noInstruction}/payment-instructions",
            new { method = "cash_point", startMonth = M(0), reason = "Nhận tại điểm chi trả", paymentPointId = point }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        (await UnroutedAsync(f.OfficerA)).ShouldNotContain(r => r.GetProperty("personId").GetInt64() == noInstruction);
    }

    [Fact]
    public async Task Move_EndsTheOldCommunesPoint_SoThePersonIsListedToFix()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Sầm Văn Bốn", "1941-04-04", Sex.Male);
        await f.EnrolAsync(person, "5c", M(-3));
        var point = await PointAsync(RegistryFixture.CommuneA);
        (await f.OfficerA.PostAsJsonAsync($"/api/v1/registry/people/{person}/payment-instructions",
            new { method = "cash_point", startMonth = M(-3), reason = "Điểm chi trả của xã", paymentPointId = point }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var moved = await f.ChangeAsync(f.ProvinceOfficer, person, new { kind = "move", effectiveMonth = M(1), reason = "Chuyển đến ở với con", communeCode = RegistryFixture.CommuneB });

        moved.StatusCode.ShouldBe(HttpStatusCode.NoContent, await moved.Content.ReadAsStringAsync(Ct));
        (await UnroutedAsync(f.ProvinceOfficer)).ShouldContain(r => r.GetProperty("personId").GetInt64() == person && r.GetProperty("problem").GetString() == "none");
        (await UnroutedAsync(f.ProvinceOfficer, M(0))).ShouldNotContain(r => r.GetProperty("personId").GetInt64() == person);
    }

    [Fact]
    public async Task Move_ByACommuneOfficerOutsideTheirArea_IsRefused()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Sầm Thị Năm", "1942-05-05");
        await f.EnrolAsync(person, "5c", M(-3));

        var moved = await f.ChangeAsync(f.OfficerA, person, new { kind = "move", effectiveMonth = M(0), reason = "Chuyển đi", communeCode = RegistryFixture.CommuneB });

        moved.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        (await f.OfficerA.GetAsync($"/api/v1/registry/people/{person}", Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task PaymentSetup_ByACommuneOfficerOrAnotherProvince_IsRefused()
    {
        (await f.OfficerA.PostAsJsonAsync("/api/v1/provinces/19/payers", new { kind = "post_office", name = "Bưu điện X" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await f.HanoiOfficer.PostAsJsonAsync("/api/v1/provinces/19/payers", new { kind = "post_office", name = "Bưu điện Y" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Cashless_PerCommune_CountsOnlyWorkingAccounts()
    {
        async Task<(int People, int Banked)> CommuneBAsync()
        {
            var rows = await f.OfficerB.GetFromJsonAsync<JsonElement[]>("/api/v1/provinces/19/cashless?month=" + M(0), Ct);
            var row = rows!.SingleOrDefault(r => r.GetProperty("communeCode").GetString() == RegistryFixture.CommuneB);
            rows!.ShouldAllBe(r => r.GetProperty("communeCode").GetString() == RegistryFixture.CommuneB); // a commune officer sees their own commune only
            return row.ValueKind == JsonValueKind.Undefined ? (0, 0) : (row.GetProperty("beneficiaries").GetInt32(), row.GetProperty("withAccount").GetInt32());
        }

        var before = await CommuneBAsync();
        var banked = await f.CreatePersonAsync(f.OfficerB, "Hà Văn Sáu", "1939-06-06", Sex.Male, RegistryFixture.CommuneB);
        await f.EnrolAsync(banked, "5c", M(-1), officer: f.OfficerB);
        (await f.OfficerB.PostAsJsonAsync($"/api/v1/registry/people/{banked}/payment-instructions",
            new { method = "bank", startMonth = M(0), reason = "Tài khoản", bankBin = "970436", accountNumber = "0071 0000 12345", accountHolder = "HA VAN SAU" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);
        var cash = await f.CreatePersonAsync(f.OfficerB, "Hà Thị Bảy", "1939-07-07", Sex.Female, RegistryFixture.CommuneB);
        await f.EnrolAsync(cash, "5c", M(-1), officer: f.OfficerB);
        var later = await f.CreatePersonAsync(f.OfficerB, "Hà Văn Tám", "1939-08-08", Sex.Male, RegistryFixture.CommuneB);
        await f.EnrolAsync(later, "5c", M(-1), officer: f.OfficerB);
        (await f.OfficerB.PostAsJsonAsync($"/api/v1/registry/people/{later}/payment-instructions", // opened from next month: not this month's
            new { method = "bank", startMonth = M(1), reason = "Tài khoản mới", bankBin = "970436", accountNumber = "0071000012346", accountHolder = "HA VAN TAM" }, Ct)).StatusCode.ShouldBe(HttpStatusCode.Created);

        var after = await CommuneBAsync();

        (after.People - before.People).ShouldBe(3);
        (after.Banked - before.Banked).ShouldBe(1);
    }
}
