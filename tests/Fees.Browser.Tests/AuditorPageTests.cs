using Fees.Persistence.AccessTrace;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Fees.Browser.Tests;

/// <summary>The auditor (Ủy ban kiểm tra) checks the live books and the fee rules, and reads the change log, at /kiem-tra.</summary>
public sealed class AuditorPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task<IPage> SignedIn(string user, string password, string returnUrl = "/kiem-tra")
    {
        var page = await app.NewPage();
        await page.GotoAsync(app.BaseUrl + "/dang-nhap?returnUrl=" + returnUrl);
        await page.FillAsync("#username", user);
        await page.FillAsync("#password", password);
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => !url.Contains("/dang-nhap", StringComparison.Ordinal));
        return page;
    }

    [Fact]
    public async Task Auditor_RunsTheBookChecksAndTheFeeLaws_AndSeesThemPassWithTheSeedShown()
    {
        var page = await SignedIn("kiemtra", "kiemtra-demo");
        Assert.EndsWith("/kiem-tra", page.Url, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("header nav a[href='/kiem-tra']").CountAsync());

        // The live books of the auditor's scope (the province).
        Assert.Equal(app.Demo.ProvinceCode, await page.InputValueAsync("#org"));
        await BrowserApp.ClickAndWaitForUrl(page, "#run-checks", url => url.Contains("run=true", StringComparison.Ordinal));
        string summary = await page.InnerTextAsync("#checks-summary");
        Assert.Contains("đạt cả", summary, StringComparison.Ordinal);
        int checks = await page.Locator("tr.check").CountAsync();
        Assert.True(checks >= 8, $"{checks} checks shown");
        Assert.Equal(checks, await page.Locator("tr.check-passed").CountAsync());
        Assert.Contains("Bút toán cân bằng", await page.InnerTextAsync("table.checks"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("auditor-book-checks.png"), FullPage = true });

        // The fee laws, seed 42, 200 cases each.
        await BrowserApp.ClickAndWaitForUrl(page, "#tab-quy-tac", url => url.Contains("tab=quy-tac", StringComparison.Ordinal));
        await page.SelectOptionAsync("#law", "all");
        await page.FillAsync("#seed", "42");
        await page.FillAsync("#cases", "200");
        await page.ClickAsync("#run-laws");
        await page.Locator("#law-results").WaitForAsync();
        Assert.Equal("42", (await page.InnerTextAsync("#run-seed")).Trim());
        Assert.Equal("200", (await page.InnerTextAsync("#run-cases")).Trim());
        Assert.Equal("Đạt cả 8 quy luật", (await page.InnerTextAsync("#laws-summary")).Trim());
        Assert.Equal(8, await page.Locator("article.law-passed").CountAsync());
        Assert.Equal("42", await page.InputValueAsync("#seed"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("auditor-fee-laws.png"), FullPage = true });

        // The run is in the change log.
        await BrowserApp.ClickAndWaitForUrl(page, "#tab-nhat-ky", url => url.Contains("tab=nhat-ky", StringComparison.Ordinal));
        await page.FillAsync("#action", "rule_checks.run");
        await BrowserApp.ClickAndWaitForUrl(page, "#filter-log", url => url.Contains("action=rule_checks.run", StringComparison.Ordinal));
        string log = await page.InnerTextAsync("table.audit-log");
        Assert.Contains("kiemtra", log, StringComparison.Ordinal);
        Assert.Contains("\"seed\": 42", log, StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("table.audit-log tbody tr").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("auditor-change-log.png"), FullPage = true });

        // The access trace: who read the demo member's records. The member reads their own page first.
        var member = await SignedIn("dangvien", "dangvien-demo", "/dang-phi");
        await member.CloseAsync();
        await app.Services.GetRequiredService<IAccessTrace>().FlushAsync();
        await BrowserApp.ClickAndWaitForUrl(page, "#tab-truy-cap", url => url.Contains("tab=truy-cap", StringComparison.Ordinal));
        Assert.Equal(0, await page.Locator("#access-trace-unavailable").CountAsync());
        await page.FillAsync("#access-user", "dangvien");
        await page.SelectOptionAsync("#access-action", "dues_page.read");
        await BrowserApp.ClickAndWaitForUrl(page, "#filter-access", url => url.Contains("user=dangvien", StringComparison.Ordinal));
        string trace = await page.InnerTextAsync("table.access-trace");
        Assert.Contains("Xem trang đảng phí của mình", trace, StringComparison.Ordinal);
        Assert.Contains("dangvien", trace, StringComparison.Ordinal);
        Assert.Contains("Đảng viên", trace, StringComparison.Ordinal);
        Assert.True(await page.Locator("table.access-trace tbody tr").CountAsync() >= 1);
        Assert.Equal("dues_page.read", await page.InputValueAsync("#access-action"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("auditor-access-trace.png"), FullPage = true });

        // A bad day is explained beside the form, in Vietnamese.
        await page.GotoAsync(app.BaseUrl + "/kiem-tra?tab=truy-cap&from=2026-12-03&to=2026-12-01");
        Assert.Contains("không được trước", await page.InnerTextAsync("[data-field=to]"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Treasurer_IsForbidden_TheAuditorsPage_AndHasNoLinkToIt()
    {
        var page = await SignedIn("thuquy", "thuquy-demo", "/");
        Assert.Equal(0, await page.Locator("header nav a[href='/kiem-tra']").CountAsync());

        var response = await page.GotoAsync(app.BaseUrl + "/kiem-tra");

        Assert.Equal(403, response!.Status);
    }
}
