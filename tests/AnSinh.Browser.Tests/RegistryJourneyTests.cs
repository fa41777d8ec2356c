using AnSinh.Core.People;
using Microsoft.Playwright;
using Shouldly;

namespace AnSinh.Browser.Tests;

/// <summary>The registry as offices use it: receive at the commune, decide at the province, print, find again.</summary>
public sealed class RegistryJourneyTests(AppProcess app) : BrowserTest, IClassFixture<AppProcess>
{
    private async Task<IPage> SignInAsync(string user)
    {
        var context = await Browser.NewContextAsync(new() { Locale = "vi-VN", ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(app.BaseUrl + "/Account/Login");
        await page.FillAsync("#UserName", user);
        await page.FillAsync("#Password", AppProcess.UserPassword);
        await page.ClickAsync("#login-submit");
        await page.WaitForURLAsync(app.BaseUrl + "/");
        return page;
    }

    [Fact]
    public async Task ReceiveApproveFind_TheWholeJourney()
    {
        var shots = AppProcess.ArtifactsDir;
        var citizenId = CitizenId.Compose("019", 1950, Sex.Female, 424242);
        var scan = Path.Combine(Path.GetTempPath(), "don-de-nghi.pdf");
        await File.WriteAllTextAsync(scan, "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", TestContext.Current.CancellationToken);

        // 1. The commune officer receives the application with its form scanned, and checks it.
        var officer = await SignInAsync("xa01840");
        await officer.ClickAsync("a[href='/Registry']");
        await officer.ClickAsync("a[href='/Registry/Applications/New']");
        await officer.FillAsync("#CitizenId", citizenId);
        await officer.FillAsync("#FullName", "Nguyễn Thị Hồng Nhung");
        await officer.FillAsync("#BirthDate", "1950-04-12");
        await officer.SelectOptionAsync("#Sex", "female");
        await officer.FillAsync("#Hamlet", "Tổ 7");
        await officer.CheckAsync("#cat-5a");
        await officer.SetInputFilesAsync("#Document", scan);
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.ClickAsync("#receive-submit");
        await officer.WaitForURLAsync(new System.Text.RegularExpressions.Regex("/Registry/Applications/\\d+$"));
        var applicationUrl = officer.Url;
        (await officer.TextContentAsync("[data-testid=app-status]"))!.ShouldBe("Đã tiếp nhận");
        (await officer.TextContentAsync("main"))!.ShouldContain("don-de-nghi.pdf");
        await officer.ClickAsync("#check");
        await officer.WaitForSelectorAsync("[data-testid=app-status]:text('Đã kiểm tra')");
        await officer.ScreenshotAsync(new() { Path = Path.Combine(shots, "application-checked.png"), FullPage = true });

        // 2. The province's approver decides, with the start month, and prints the decision.
        var approver = await SignInAsync("lanhdao19");
        await approver.GotoAsync(applicationUrl);
        await approver.FillAsync("#DecisionNumber", "125/QĐ-UBND");
        await approver.ClickAsync("#approve");
        await approver.WaitForSelectorAsync("[data-testid=app-status]:text('Đã duyệt')");
        await approver.ClickAsync("[data-testid=print-decision]");
        await approver.WaitForSelectorAsync("[data-testid=decision-amount]");
        var amount = (await approver.TextContentAsync("[data-testid=decision-amount]"))!;
        amount.ShouldMatch(@"^\d{1,3}(\.\d{3})+ đ$");
        (await approver.TextContentAsync("[data-testid=decision-words]"))!.ShouldEndWith("nghìn đồng");
        (await approver.TextContentAsync("body"))!.ShouldContain("Số: 125/QĐ-UBND");
        await approver.ScreenshotAsync(new() { Path = Path.Combine(shots, "decision.png"), FullPage = true });
        var pdf = await approver.PdfAsync(new() { Path = Path.Combine(shots, "decision.pdf"), Format = "A4" });
        pdf.Length.ShouldBeGreaterThan(10_000);

        // 3. Anyone in the commune finds her by typing the name without diacritics.
        await officer.GotoAsync(app.BaseUrl + "/Registry");
        await officer.FillAsync("#Q", "nguyen thi hong nhung");
        await officer.WaitForSelectorAsync("[data-testid=people] a:text('Nguyễn Thị Hồng Nhung')");
        await officer.ClickAsync("[data-testid=people] a:text('Nguyễn Thị Hồng Nhung')");
        await officer.WaitForSelectorAsync("[data-testid=explanation]");
        (await officer.TextContentAsync("[data-testid=explanation]"))!.ShouldContain("Nhóm 5a");
        (await officer.TextContentAsync("[data-testid=periods]"))!.ShouldContain("125/QĐ-UBND");
        (await Chromium.AxeAsync(officer)).ShouldBeEmpty();
        await officer.ScreenshotAsync(new() { Path = Path.Combine(shots, "person.png"), FullPage = true });
    }
}
