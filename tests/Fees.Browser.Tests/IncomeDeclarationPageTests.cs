using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fees.Browser.Tests;

/// <summary>
/// Issue 10 item 7 in chromium: the demo member declares a new income on their page, the cell's treasurer confirms it from
/// the queue, and the next generation's statement, on the member's page, is computed from it and says so. Its own
/// service: the test moves the clock into January.
/// </summary>
public sealed class IncomeDeclarationPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Member_DeclaresIncome_TreasurerConfirms_AndTheNextGenerationUsesIt()
    {
        // The member, from their dues page, declares a new SI salary from December.
        var member = await app.NewPage(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "vi-VN" });
        await member.GotoAsync(app.BaseUrl + "/dang-phi");
        await member.FillAsync("#username", "dangvien");
        await member.FillAsync("#password", "dangvien-demo");
        await BrowserApp.ClickAndWaitForUrl(member, "button[type=submit]", url => url.EndsWith("/dang-phi", StringComparison.Ordinal));
        await BrowserApp.ClickAndWaitForUrl(member, "#income-link", url => url.EndsWith("/dang-phi/thu-nhap", StringComparison.Ordinal));
        Assert.Equal("2026-12", await member.InputValueAsync("#declare-form input[name=from]"));
        await member.FillAsync("#declare-form input[name=siSalary]", "9876500");
        await member.FillAsync("#declare-form input[name=note]", "Lương mới theo hợp đồng lao động từ tháng 12/2026");
        await member.ClickAsync("#declare-form button");
        await Expect(member.Locator("#message")).ToHaveTextAsync("Đã gửi bản kê khai thu nhập. Chi ủy sẽ xem xét và xác nhận.");
        var row = member.Locator("#declarations li.declaration").First;
        Assert.Contains("Chờ chi ủy xác nhận", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("9.876.500 đ", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await member.Locator("#open-note").CountAsync());
        string id = (await row.GetAttributeAsync("data-id"))!;
        await member.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("income-declared.png"), FullPage = true });

        // The treasurer finds it in the cell's queue (linked from the cell's page) and confirms it.
        var treasurer = await app.NewPage();
        await treasurer.GotoAsync(app.BaseUrl + "/dang-nhap?returnUrl=/to-chuc/" + app.Demo.CellCode);
        await treasurer.FillAsync("#username", "thuquy");
        await treasurer.FillAsync("#password", "thuquy-demo");
        await BrowserApp.ClickAndWaitForUrl(treasurer, "button[type=submit]", url => url.EndsWith("/to-chuc/" + app.Demo.CellCode, StringComparison.Ordinal));
        await BrowserApp.ClickAndWaitForUrl(treasurer, "#income-declarations-link", url => url.EndsWith("/ke-khai-thu-nhap", StringComparison.Ordinal));
        var card = treasurer.Locator($"article.declaration[data-id='{id}']");
        Assert.Contains("9.876.500 đ", await card.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("Lương mới theo hợp đồng lao động", await card.InnerTextAsync(), StringComparison.Ordinal);
        await treasurer.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("income-queue.png"), FullPage = true });
        await card.Locator("button.confirm").ClickAsync();
        await Expect(treasurer.Locator("#message")).ToContainTextAsync($"Đã xác nhận bản kê khai số {id}");
        Assert.Equal(0, await treasurer.Locator($"article.declaration[data-id='{id}']").CountAsync());
        await Expect(treasurer.Locator("#queue-empty")).ToBeVisibleAsync();

        // The member's page shows it confirmed, and the figure on file now comes from the declaration.
        await member.ReloadAsync();
        Assert.Contains("Đã xác nhận", await member.InnerTextAsync("#declarations"), StringComparison.Ordinal);
        Assert.Contains("theo kê khai của đảng viên", await member.InnerTextAsync("#latest-income"), StringComparison.Ordinal);

        // January's generation (the clock in January; sign-ins last hours, so everyone signs in again) uses it.
        app.Clock.Advance(TimeSpan.FromDays(31));
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2027-01/generate", null)).EnsureSuccessStatusCode();
        var statements = await admin.GetFromJsonAsync<JsonElement>($"/api/members/{app.Demo.CellMemberNo}/statements");
        var january = statements.EnumerateArray().Single(s => s.GetProperty("period").GetString() == "2027-01");
        Assert.Equal(98_765, january.GetProperty("amount").GetInt64());

        var later = await app.NewPage(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "vi-VN" });
        await later.GotoAsync(app.BaseUrl + "/dang-phi");
        await later.FillAsync("#username", "dangvien");
        await later.FillAsync("#password", "dangvien-demo");
        await BrowserApp.ClickAndWaitForUrl(later, "button[type=submit]", url => url.EndsWith("/dang-phi", StringComparison.Ordinal));
        string page = await later.InnerTextAsync("main");
        Assert.Contains("98.765 đ", page, StringComparison.Ordinal);
        Assert.Contains($"theo kê khai của đảng viên (bản kê khai số {id}), đã được chi ủy xác nhận", page, StringComparison.Ordinal);
        await later.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("income-used-in-january.png"), FullPage = true });
    }
}
