using Fees.Testing;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace Fees.Browser.Tests;

/// <summary>The treasurer's organization page shows this period's dues, including what waits for income data.</summary>
public sealed class TreasurerPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Treasurer_SeesThisPeriodsDuesPerMember_AndWhatWaitsForData()
    {
        var admin = await app.Admin();
        string period = Fees.Domain.Time.VietnamTime.CurrentPeriod(app.Clock).ToString();
        (await admin.PostAsync($"/api/cycles/{period}/generate", null)).EnsureSuccessStatusCode();

        var page = await app.NewPage();
        await page.GotoAsync(app.BaseUrl + "/dang-nhap?returnUrl=/to-chuc");
        await page.FillAsync("#username", "thuquy");
        await page.FillAsync("#password", "thuquy-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => url.Contains("/to-chuc/" + app.Demo.CellCode, StringComparison.Ordinal));

        Assert.Contains("còn phải thu", await page.InnerTextAsync(".dues-summary"), StringComparison.Ordinal);
        string memberRow = await page.Locator("tr", new() { HasText = app.Demo.CellMemberNo }).InnerTextAsync();
        Assert.Contains("Chưa nộp", memberRow, StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("treasurer-dues.png"), FullPage = true });

        // The si member without income data: their statement waits, and the page says so.
        var member = await admin.GetFromJsonAsync<JsonElement>($"/api/members/{app.Demo.SiMemberWithoutIncomeNo}");
        string orgCode = member.GetProperty("orgCode").GetString()!;
        var adminPage = await app.NewPage();
        await adminPage.GotoAsync(app.BaseUrl + "/dang-nhap");
        await adminPage.FillAsync("#username", "admin");
        await adminPage.FillAsync("#password", FeesApp.AdminPassword);
        await BrowserApp.ClickAndWaitForUrl(adminPage, "button[type=submit]", url => !url.Contains("/dang-nhap", StringComparison.Ordinal));
        await adminPage.GotoAsync(app.BaseUrl + "/to-chuc/" + orgCode);
        string waitingRow = await adminPage.Locator("tr", new() { HasText = app.Demo.SiMemberWithoutIncomeNo }).InnerTextAsync();
        Assert.Contains("Chờ số liệu tiền lương", waitingRow, StringComparison.Ordinal);
    }
}
