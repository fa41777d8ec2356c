using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using AnSinh.Web.Tests.Support;
using Shouldly;
using static AnSinh.Web.Tests.Registry.RegistryFixture;

namespace AnSinh.Web.Tests.Registry;

/// <summary>
/// The pages a province officer and a commune officer use for payment routing: payers, contracts and points;
/// a person's instruction per method, proxies with their scanned letter, and the standard authorisation letter.
/// </summary>
public sealed class PaymentPagesTests(RegistryFixture f) : IClassFixture<RegistryFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A page refuses by sending the browser to the access-denied page.</summary>
    private static void Refused(HttpResponseMessage r)
    {
        r.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        r.Headers.Location!.ToString().ShouldContain("/Account/AccessDenied");
    }

    private static string Unique(string stem) => stem + " " + Guid.NewGuid().ToString("N")[..6];

    [Fact]
    public async Task Payers_ProvinceOfficerAddsPayerContractAndPoint_OthersRefused()
    {
        var payerName = Unique("Bưu điện tỉnh");
        (await AppFixture.PostFormAsync(f.ProvinceOfficer, "/Payment/Payers/19?handler=Payer", new() { ["Kind"] = "post_office", ["Name"] = payerName }, "/Payment/Payers/19"))
            .Headers.Location!.ToString().ShouldStartWith("/Payment/Payers/19?done=payer");
        var payerId = await f.App.ScalarAsync<long>($"SELECT id FROM payer WHERE name = '{payerName}'");

        // The fee as an officer types it in Vietnamese, 0,55 %, is kept exactly as 55 hundredths of a percent; "all communes" covers every commune of the province.
        var reference = Unique("HĐ");
        var contract = await AppFixture.PostFormAsync(f.ProvinceOfficer, "/Payment/Payers/19?handler=Contract", new()
        {
            ["PayerId"] = payerId.ToString(CultureInfo.InvariantCulture), ["Reference"] = reference, ["PaysCash"] = "true", ["FeePercent"] = "0,55",
            ["TransferDay"] = "20", ["PayFromDay"] = "7", ["PayToDay"] = "15", ["ResultsDay"] = "18", ["SettlementDay"] = "20", ["ValidFrom"] = "2026-01-01", ["AllCommunes"] = "true",
        }, "/Payment/Payers/19");
        contract.StatusCode.ShouldBe(HttpStatusCode.Redirect, await contract.Content.ReadAsStringAsync(Ct));
        (await f.App.ScalarAsync<int>($"SELECT fee_basis_points FROM payer_contract WHERE reference = '{reference}'")).ShouldBe(55);
        (await f.App.ScalarAsync<long>($"SELECT count(*) FROM payer_contract_commune cc JOIN payer_contract c ON c.id = cc.contract_id WHERE c.reference = '{reference}'"))
            .ShouldBe(await f.App.ScalarAsync<long>("SELECT count(*) FROM commune WHERE province_code = '19'"));

        // A fee given with a dot works too; a fee of 12 % is refused, naming the fee.
        var tooHigh = await AppFixture.PostFormAsync(f.ProvinceOfficer, "/Payment/Payers/19?handler=Contract", new()
        {
            ["PayerId"] = payerId.ToString(CultureInfo.InvariantCulture), ["Reference"] = Unique("HĐ"), ["PaysCash"] = "true", ["FeePercent"] = "12",
            ["ValidFrom"] = "2026-01-01", ["Communes"] = CommuneA,
        }, "/Payment/Payers/19");
        tooHigh.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await tooHigh.Content.ReadAsStringAsync(Ct)).ShouldContain("Phí chi trả là phần trăm từ 0 đến 10");

        var pointName = Unique("Nhà văn hóa tổ");
        (await AppFixture.PostFormAsync(f.ProvinceOfficer, "/Payment/Payers/19?handler=Point", new()
        {
            ["CommuneCode"] = CommuneA, ["PointPayerId"] = payerId.ToString(CultureInfo.InvariantCulture), ["Name"] = pointName, ["FirstDay"] = "7", ["LastDay"] = "12",
        }, "/Payment/Payers/19")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var page = await f.ProvinceOfficer.GetStringAsync("/Payment/Payers/19", Ct);
        page.ShouldContain(pointName);
        page.ShouldContain("ngày 7–12");
        page.ShouldContain("0,55 %");

        // Another province, a commune officer, and a province officer adding a bank: refused.
        Refused(await f.HanoiOfficer.GetAsync("/Payment/Payers/19", Ct));
        Refused(await f.OfficerA.GetAsync("/Payment/Payers/19", Ct));
        Refused(await AppFixture.PostFormAsync(f.ProvinceOfficer, "/Payment/Payers/19?handler=Bank", new() { ["Bin"] = "970499", ["ShortName"] = "X", ["FullName"] = "X" }, "/Payment/Payers/19"));
        (await f.App.ScalarAsync<long>("SELECT count(*) FROM bank WHERE bin = '970499'")).ShouldBe(0);
    }

    [Fact]
    public async Task Admin_AddsAMissingBank_ByItsBin()
    {
        var admin = await f.App.SignedInAsync("admin");
        var bin = Random.Shared.Next(961_000, 962_999).ToString(CultureInfo.InvariantCulture); // no NAPAS BIN in this range
        var added = await AppFixture.PostFormAsync(admin, "/Payment/Payers/19?handler=Bank", new() { ["Bin"] = bin, ["ShortName"] = "Ngân hàng thử", ["FullName"] = "Ngân hàng TMCP Thử Nghiệm", ["Swift"] = "testvnvx" }, "/Payment/Payers/19");
        added.StatusCode.ShouldBe(HttpStatusCode.Redirect, await added.Content.ReadAsStringAsync(Ct));
        (await f.App.ScalarAsync<string>($"SELECT swift FROM bank WHERE bin = '{bin}'")).ShouldBe("TESTVNVX");
        var again = await AppFixture.PostFormAsync(admin, "/Payment/Payers/19?handler=Bank", new() { ["Bin"] = bin, ["ShortName"] = "Y", ["FullName"] = "Y" }, "/Payment/Payers/19");
        (await again.Content.ReadAsStringAsync(Ct)).ShouldContain("Đã có ngân hàng với mã BIN này.");
    }

    [Fact]
    public async Task PersonPayment_CashThenBankWithSpaces_ProxyWithScannedLetter_AndThePrintedLetter()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Lường Thị Nhận", "1944-04-14");
        await f.EnrolAsync(person, "5a", M(-1));
        var pointName = Unique("Điểm chi trả");
        await f.App.ExecAsync($"INSERT INTO payment_point (province_code, commune_code, name, first_day, last_day, created_by) VALUES ('19', '{CommuneA}', '{pointName}', 7, 15, 'test')");
        var point = await f.App.ScalarAsync<long>($"SELECT id FROM payment_point WHERE name = '{pointName}'");
        var url = $"/Registry/People/{person}/Payment";

        (await f.OfficerA.GetStringAsync(url, Ct)).ShouldContain("Chưa có cách nhận tiền");
        (await AppFixture.PostFormAsync(f.OfficerA, url + "?handler=Instruction", new()
        {
            ["Method"] = "cash_point", ["PaymentPointId"] = point.ToString(CultureInfo.InvariantCulture), ["StartMonth"] = M(0), ["Reason"] = "Đăng ký nhận tại điểm",
        }, url)).Headers.Location!.ToString().ShouldBe(url + "?done=instruction");
        (await f.OfficerA.GetStringAsync($"/Registry/People/{person}", Ct)).ShouldContain(pointName);

        // An account typed with spaces is stored as digits, from next month; the old instruction ends this month.
        (await AppFixture.PostFormAsync(f.OfficerA, url + "?handler=Instruction", new()
        {
            ["Method"] = "bank", ["BankBin"] = "970405", ["AccountNumber"] = "1234 5678 9012", ["AccountHolder"] = "LUONG THI NHAN", ["StartMonth"] = M(1), ["Reason"] = "Mở tài khoản Agribank",
        }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await f.App.ScalarAsync<string>($"SELECT account_number FROM payment_instruction WHERE person_id = {person} AND method = 'bank'")).ShouldBe("123456789012");
        (await f.App.ScalarAsync<string>($"SELECT to_char(end_month, 'YYYY-MM') FROM payment_instruction WHERE person_id = {person} AND method = 'cash_point'")).ShouldBe(M(0));

        // A proxy with the scanned letter: the bytes come back as stored; a text file posing as a PDF is refused.
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4 };
        var bad = await PostProxyAsync(url, "giay.pdf", "this is not a pdf"u8.ToArray());
        (await bad.Content.ReadAsStringAsync(Ct)).ShouldContain("Chỉ nhận tệp PDF, JPEG hoặc PNG");
        var saved = await PostProxyAsync(url, "giay.png", png);
        saved.Headers.Location!.ToString().ShouldBe(url + "?done=proxy");
        var proxy = await f.App.ScalarAsync<long>($"SELECT id FROM proxy_authorisation WHERE person_id = {person}");
        (await f.OfficerA.GetByteArrayAsync($"{url}?handler=Letter&proxyId={proxy}", Ct)).ShouldBe(png);
        (await f.OfficerB.GetAsync($"{url}?handler=Letter&proxyId={proxy}", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        var letter = await f.OfficerA.GetStringAsync($"/Registry/People/{person}/Proxies/{proxy}/Letter", Ct);
        letter.ShouldContain("GIẤY ỦY QUYỀN");
        letter.ShouldContain("Lường Thị Nhận");
        letter.ShouldContain("Lò Văn Hộ");
        letter.ShouldContain("quan hệ với người ủy quyền: con trai");
        letter.ShouldContain("từ ngày 01/12/2026 đến ngày 30/11/2027");
        letter.ShouldContain("XÁC NHẬN CỦA ỦY BAN NHÂN DÂN PHƯỜNG ĐỨC XUÂN");
        (await f.OfficerB.GetAsync($"/Registry/People/{person}/Proxies/{proxy}/Letter", Ct)).StatusCode.ShouldBe(HttpStatusCode.NotFound);

        // Through the proxy at the point: needs the point and the registered proxy.
        (await AppFixture.PostFormAsync(f.OfficerA, url + "?handler=Instruction", new()
        {
            ["Method"] = "proxy", ["PaymentPointId"] = point.ToString(CultureInfo.InvariantCulture), ["ProxyId"] = proxy.ToString(CultureInfo.InvariantCulture), ["StartMonth"] = M(1), ["Reason"] = "Ốm, con nhận thay",
        }, url)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await f.App.ScalarAsync<string>($"SELECT method FROM payment_instruction WHERE person_id = {person} AND superseded_at IS NULL AND start_month = '{M(1)}-01'")).ShouldBe("proxy");
    }

    [Fact]
    public async Task Errors_SpeakTheUsersLanguage_EnglishAfterTheSwitch_VietnameseAgainAfter()
    {
        var person = await f.CreatePersonAsync(f.OfficerA, "Đỗ Thị Ngôn", "1945-05-05");
        await f.App.CreateUserAsync("lang-" + person, AnSinh.Web.Security.Roles.CommuneOfficer, null, CommuneA);
        var officer = await f.App.SignedInAsync("lang-" + person);
        var bad = new { method = "pigeon", startMonth = M(1), reason = "x" };

        (await AppFixture.PostFormAsync(officer, "/Language", new() { ["culture"] = "en", ["returnUrl"] = "/" }, "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var english = await (await officer.PostAsJsonAsync($"/api/v1/registry/people/{person}/payment-instructions", bad, Ct)).Content.ReadAsStringAsync(Ct);
        english.ShouldContain("Method: at a payment point, at home, into an account or through a proxy.");
        (await officer.GetStringAsync($"/Registry/People/{person}/Transfer?Province=01", Ct)).ShouldContain("Choose province");

        (await AppFixture.PostFormAsync(officer, "/Language", new() { ["culture"] = "vi-VN", ["returnUrl"] = "/" }, "/")).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var vietnamese = await (await officer.PostAsJsonAsync($"/api/v1/registry/people/{person}/payment-instructions", bad, Ct)).Content.ReadAsStringAsync(Ct);
        vietnamese.ShouldContain("Hình thức nhận: tại điểm chi trả");
    }

    private async Task<HttpResponseMessage> PostProxyAsync(string url, string fileName, byte[] bytes)
    {
        using var form = new MultipartFormDataContent
        {
            { new StringContent(await AppFixture.TokenAsync(f.OfficerA, url)), "__RequestVerificationToken" },
            { new StringContent("Lò Văn Hộ"), "ProxyName" },
            { new StringContent(f.NewCitizenId(1975, AnSinh.Core.People.Sex.Male)), "ProxyCitizenId" },
            { new StringContent("con trai"), "Relationship" },
            { new StringContent("2026-12-01"), "ValidFrom" },
            { new StringContent("2027-11-30"), "ValidTo" },
        };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        form.Add(file, "Letter", fileName);
        return await f.OfficerA.PostAsync(url + "?handler=Proxy", form, Ct);
    }
}
