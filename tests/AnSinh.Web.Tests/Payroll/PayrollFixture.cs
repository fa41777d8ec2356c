using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AnSinh.Core.People;
using AnSinh.Web.Security;
using AnSinh.Web.Tests.Support;
using Shouldly;

namespace AnSinh.Web.Tests.Payroll;

/// <summary>
/// An app of its own for payroll: a run covers a whole province, so each test works in a province of its own, with
/// staff made for it (commune officer and chairman, province officer and approver), a post office and a point.
/// </summary>
public sealed class PayrollFixture : IAsyncLifetime
{
    private int _sequence;

    public AppFixture App { get; } = new();

    public async ValueTask InitializeAsync()
    {
        await App.InitializeAsync();
        // Nothing here writes while a run computes, so no margin is needed: a run reads in full only whom the test
        // changed since the last run, and the shortcut for everyone else is exercised (and compared with full reads).
        Computer.TouchMargin = TimeSpan.Zero;
    }

    public AnSinh.Web.Features.Payroll.RunComputer Computer => (AnSinh.Web.Features.Payroll.RunComputer)App.Services.GetService(typeof(AnSinh.Web.Features.Payroll.RunComputer))!;

    public async ValueTask DisposeAsync() => await App.DisposeAsync();

    /// <summary>One province's staff and payment set-up, through the same commands and API the offices use.</summary>
    public sealed class Place(PayrollFixture f, string province, string commune)
    {
        public string Province { get; } = province;
        public string Commune { get; } = commune;
        public HttpClient Officer { get; internal set; } = null!;
        public HttpClient Chairman { get; internal set; } = null!;
        public HttpClient ProvinceOfficer { get; internal set; } = null!;
        public HttpClient Approver { get; internal set; } = null!;
        public string ProvinceOfficerName { get; internal set; } = "";
        public long PointId { get; internal set; }
        public long PayerId { get; internal set; }

        public async Task<long> PersonAsync(string name, string birthDate, Sex sex = Sex.Female)
        {
            var year = int.Parse(birthDate[..4], CultureInfo.InvariantCulture);
            var citizenId = CitizenId.Compose("019", year, sex, 600_000 + Interlocked.Increment(ref f._sequence));
            var response = await Officer.PostAsJsonAsync("/api/v1/registry/people", new
            {
                citizenId, fullName = name, birthDate, sex = sex == Sex.Male ? "male" : "female", communeCode = Commune, hamlet = "Thôn 1",
            });
            response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            var instruction = await Officer.PostAsJsonAsync($"/api/v1/registry/people/{id}/payment-instructions",
                new { method = "cash_point", startMonth = "2026-01", reason = "Nhận tại điểm chi trả", paymentPointId = PointId });
            instruction.StatusCode.ShouldBe(HttpStatusCode.Created, await instruction.Content.ReadAsStringAsync());
            return id;
        }

        /// <summary>Application, check and the chairman's approval from <paramref name="startMonth"/>.</summary>
        public async Task EnrolAsync(long personId, string category, string startMonth, string? severity = null)
        {
            var received = await Officer.PostAsJsonAsync("/api/v1/registry/applications",
                new { personId, programme = "social_assistance", categories = new[] { new { code = category, severity } }, channel = "in_person" });
            received.StatusCode.ShouldBe(HttpStatusCode.Created, await received.Content.ReadAsStringAsync());
            var id = (await received.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            (await Officer.PostAsync($"/api/v1/registry/applications/{id}/check", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
            var decision = await Chairman.PostAsJsonAsync($"/api/v1/registry/applications/{id}/decision", new { approve = true, decisionNumber = $"QĐ-{id}/UBND", startMonth });
            decision.StatusCode.ShouldBe(HttpStatusCode.OK, await decision.Content.ReadAsStringAsync());
        }

        /// <summary>A change: proposed by the officer and approved by the chairman, or at once (death).</summary>
        public async Task ChangeAsync(long personId, object change)
        {
            var response = await Officer.PostAsJsonAsync($"/api/v1/registry/people/{personId}/enrolments/social_assistance/changes", change);
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var proposal = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
                response = await Chairman.PostAsJsonAsync($"/api/v1/registry/change-proposals/{proposal}/decision", new { approve = true, decisionNumber = $"QĐ-TĐ-{proposal}" });
            }

            response.IsSuccessStatusCode.ShouldBeTrue(await response.Content.ReadAsStringAsync());
        }

        public string Runs => $"/api/v1/payroll/{Province}/runs";

        /// <summary>Starts a run and waits for the background worker to compute it.</summary>
        public async Task<JsonElement> ComputeAsync(string month, string cutOff)
        {
            var start = await ProvinceOfficer.PostAsJsonAsync(Runs, new { month, cutOff });
            start.StatusCode.ShouldBe(HttpStatusCode.Accepted, await start.Content.ReadAsStringAsync());
            var id = (await start.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
            return await WaitAsync(id);
        }

        public async Task<JsonElement> WaitAsync(long runId)
        {
            for (var i = 0; i < 300; i++)
            {
                var run = await ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{Runs}/{runId}");
                if (run.GetProperty("status").GetString() != "computing")
                {
                    run.GetProperty("status").GetString().ShouldBe("draft", run.ToString());
                    return run;
                }

                await Task.Delay(100);
            }

            throw new TimeoutException($"run {runId} still computing");
        }

        /// <summary>Draft → commune confirms → submitted → approved by the approver → sent.</summary>
        public async Task<JsonElement> ApproveAsync(JsonElement run)
        {
            var id = run.GetProperty("id").GetInt64();
            if (run.GetProperty("lines").GetInt32() > 0)
            {
                (await Officer.PostAsync($"{Runs}/{id}/communes/{Commune}/confirm", null)).StatusCode.ShouldBe(HttpStatusCode.OK);
            }

            var submit = await ProvinceOfficer.PostAsync($"{Runs}/{id}/submit", null);
            submit.StatusCode.ShouldBe(HttpStatusCode.OK, await submit.Content.ReadAsStringAsync());
            var approve = await Approver.PostAsync($"{Runs}/{id}/approve", null);
            approve.StatusCode.ShouldBe(HttpStatusCode.OK, await approve.Content.ReadAsStringAsync());
            var sent = await ProvinceOfficer.PostAsync($"{Runs}/{id}/sent", null);
            sent.StatusCode.ShouldBe(HttpStatusCode.OK, await sent.Content.ReadAsStringAsync());
            return await sent.Content.ReadFromJsonAsync<JsonElement>();
        }

        public async Task<JsonElement> PayAsync(string month, string cutOff) => await ApproveAsync(await ComputeAsync(month, cutOff));

        /// <summary>A person's line in a run as "month:kind:amount" items, or "" when they have none.</summary>
        public async Task<string> LineAsync(long runId, long personId)
        {
            var page = await ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{Runs}/{runId}/lines?person={personId}");
            var line = page.GetProperty("lines").EnumerateArray().SingleOrDefault();
            if (line.ValueKind == JsonValueKind.Undefined)
            {
                return "";
            }

            var no = line.GetProperty("lineNo").GetInt32();
            return string.Join(" ", page.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("lineNo").GetInt32() == no)
                .Select(i => $"{i.GetProperty("month").GetString()}:{i.GetProperty("kind").GetString()}:{i.GetProperty("amount").GetInt64()}"));
        }

        public async Task<int> LineNoAsync(long runId, long personId)
        {
            var page = await ProvinceOfficer.GetFromJsonAsync<JsonElement>($"{Runs}/{runId}/lines?person={personId}");
            return page.GetProperty("lines").EnumerateArray().Single().GetProperty("lineNo").GetInt32();
        }
    }

    /// <summary>Staff and a payment point for a province, in its first commune (by code).</summary>
    public async Task<Place> PlaceAsync(string province)
    {
        var commune = await App.ScalarAsync<string>($"SELECT min(code) FROM commune WHERE province_code = '{province}'");
        var place = new Place(this, province, commune!);
        var p = "p" + province;
        await App.CreateUserAsync(p + "-xa", Roles.CommuneOfficer, null, commune);
        await App.CreateUserAsync(p + "-ct", Roles.CommuneApprover, null, commune);
        await App.CreateUserAsync(p + "-tinh", Roles.ProvinceOfficer, province);
        await App.CreateUserAsync(p + "-duyet", Roles.ProvinceApprover, province);
        place.Officer = await App.SignedInAsync(p + "-xa");
        place.Chairman = await App.SignedInAsync(p + "-ct");
        place.ProvinceOfficer = await App.SignedInAsync(p + "-tinh");
        place.ProvinceOfficerName = p + "-tinh";
        place.Approver = await App.SignedInAsync(p + "-duyet");
        var payer = await place.ProvinceOfficer.PostAsJsonAsync($"/api/v1/provinces/{province}/payers", new { kind = "post_office", name = "Bưu điện tỉnh " + province });
        payer.StatusCode.ShouldBe(HttpStatusCode.Created, await payer.Content.ReadAsStringAsync());
        var payerId = (await payer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        place.PayerId = payerId;
        var point = await place.ProvinceOfficer.PostAsJsonAsync($"/api/v1/provinces/{province}/payment-points",
            new { communeCode = commune, payerId, name = "Nhà văn hoá thôn 1", address = "Thôn 1", firstDay = 7, lastDay = 15 });
        point.StatusCode.ShouldBe(HttpStatusCode.Created, await point.Content.ReadAsStringAsync());
        place.PointId = (await point.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        return place;
    }
}
