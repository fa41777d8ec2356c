using System.Net.Http.Json;
using System.Text.Json;
using AnSinh.Core.People;
using AnSinh.Core.Time;
using AnSinh.Web.Security;
using AnSinh.Web.Tests.Support;
using Shouldly;

namespace AnSinh.Web.Tests.Registry;

/// <summary>An app with the staff a registry journey needs, and helpers that go through the HTTP API.</summary>
public sealed class RegistryFixture : IAsyncLifetime
{
    public const string CommuneA = "01840"; // Phường Đức Xuân, Thái Nguyên (19)
    public const string CommuneB = "01843"; // Phường Bắc Kạn, Thái Nguyên (19)
    public const string CommuneHanoi = "00004"; // Phường Ba Đình, Hà Nội (01)

    /// <summary>This month on the tests' pinned clock (11/2026), and months around it as yyyy-MM.</summary>
    public static readonly YearMonth Now = YearMonth.From(FakeClock.VietnamToday);

    private int _sequence;

    public static string M(int offset) => Now.AddMonths(offset).ToString();


    public AppFixture App { get; } = new();
    public HttpClient OfficerA { get; private set; } = null!;
    public HttpClient OfficerB { get; private set; } = null!;
    public HttpClient Approver { get; private set; } = null!;
    /// <summary>The chairmen of communes A and B (commune approvers): they decide, the province's default.</summary>
    public HttpClient ChairmanA { get; private set; } = null!;
    public HttpClient ChairmanB { get; private set; } = null!;
    public HttpClient ProvinceOfficer { get; private set; } = null!;
    public HttpClient HanoiOfficer { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        await App.InitializeAsync();
        await App.CreateUserAsync("reg-ca", Roles.CommuneOfficer, null, CommuneA);
        await App.CreateUserAsync("reg-cb", Roles.CommuneOfficer, null, CommuneB);
        await App.CreateUserAsync("reg-ap", Roles.ProvinceApprover, "19");
        await App.CreateUserAsync("reg-cta", Roles.CommuneApprover, null, CommuneA);
        await App.CreateUserAsync("reg-ctb", Roles.CommuneApprover, null, CommuneB);
        await App.CreateUserAsync("reg-po", Roles.ProvinceOfficer, "19");
        await App.CreateUserAsync("reg-hn", Roles.ProvinceOfficer, "01");
        OfficerA = await App.SignedInAsync("reg-ca");
        OfficerB = await App.SignedInAsync("reg-cb");
        Approver = await App.SignedInAsync("reg-ap");
        ChairmanA = await App.SignedInAsync("reg-cta");
        ChairmanB = await App.SignedInAsync("reg-ctb");
        ProvinceOfficer = await App.SignedInAsync("reg-po");
        HanoiOfficer = await App.SignedInAsync("reg-hn");
    }

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    /// <summary>A fresh, structurally valid citizen ID for a birth year and sex.</summary>
    public string NewCitizenId(int birthYear, Sex sex) => CitizenId.Compose("019", birthYear, sex, 500_000 + Interlocked.Increment(ref _sequence));

    public async Task<long> CreatePersonAsync(HttpClient client, string name, string birthDate, Sex sex = Sex.Female, string commune = CommuneA)
    {
        var year = int.Parse(birthDate[..4], System.Globalization.CultureInfo.InvariantCulture);
        var response = await client.PostAsJsonAsync("/api/v1/registry/people", new
        {
            citizenId = NewCitizenId(year, sex), fullName = name, birthDate, sex = sex == Sex.Male ? "male" : "female", communeCode = commune, hamlet = "Tổ 3",
        });
        response.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
    }

    /// <summary>Application → check → approval, through the API; returns the application id.</summary>
    public async Task<long> EnrolAsync(long personId, string category, string startMonth, string? severity = null, short? children = null, HttpClient? officer = null)
    {
        officer ??= OfficerA;
        var received = await officer.PostAsJsonAsync("/api/v1/registry/applications", new { personId, programme = "social_assistance", categories = new[] { new { code = category, severity, children } }, channel = "in_person" });
        received.StatusCode.ShouldBe(System.Net.HttpStatusCode.Created, await received.Content.ReadAsStringAsync());
        var id = (await received.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        var check = await officer.PostAsync($"/api/v1/registry/applications/{id}/check", null);
        check.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await check.Content.ReadAsStringAsync());
        var decision = await ChairmanOf(officer).PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = true, decisionNumber = $"QĐ-{id}/UBND", startMonth });
        decision.StatusCode.ShouldBe(System.Net.HttpStatusCode.OK, await decision.Content.ReadAsStringAsync());
        return id;
    }

    public async Task<Dictionary<string, string>> MonthsAsync(HttpClient client, long personId, string from, string to)
    {
        var rows = await client.GetFromJsonAsync<JsonElement[]>($"/api/v1/registry/people/{personId}/months?from={from}&to={to}");
        return rows!.ToDictionary(r => r.GetProperty("month").GetString()!, r => r.GetProperty("status").GetString() + "@" + r.GetProperty("communeCode").GetString());
    }

    /// <summary>The chairman who decides for an officer's commune (B for officer B, A otherwise).</summary>
    public HttpClient ChairmanOf(HttpClient officer) => officer == OfficerB ? ChairmanB : ChairmanA;

    /// <summary>
    /// A change through the API: a death or a move answers at once; a change that needs a decision is proposed and
    /// then approved by the chairman of the person's commune, and the decision's answer is returned.
    /// </summary>
    public async Task<HttpResponseMessage> ChangeAsync(HttpClient client, long personId, object change)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/registry/people/{personId}/enrolments/social_assistance/changes", change);
        if (response.StatusCode != System.Net.HttpStatusCode.Accepted)
        {
            return response;
        }

        var proposal = await response.Content.ReadFromJsonAsync<JsonElement>();
        var chairman = proposal.GetProperty("communeCode").GetString() == CommuneB ? ChairmanB : ChairmanA;
        return await chairman.PostAsJsonAsync($"/api/v1/registry/change-proposals/{proposal.GetProperty("id").GetInt64()}/decision",
            new { approve = true, decisionNumber = $"QĐ-TĐ-{proposal.GetProperty("id").GetInt64()}" });
    }
}
