using System.Net.Http.Json;
using System.Text.Json;
using Fees.Testing;
using Microsoft.Playwright;

namespace Fees.Browser.Tests;

/// <summary>
/// The close page in chromium: office staff of a commune see which cells have not closed, close the whole subtree with
/// one button, and find the remittance order with its VietQR to pay the province, then mark it instructed.
/// </summary>
public sealed class ClosePageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Office_ClosesItsSubtree_AndSeesTheRemittanceOrderWithItsCode()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-11/generate", null)).EnsureSuccessStatusCode();
        var qr = await admin.GetFromJsonAsync<JsonElement>($"/api/members/{app.Demo.CellMemberNo}/payment-qr");
        var cell = await app.Account(app.Demo.CellCode);
        var (_, paid) = await app.Pay(cell, qr.GetProperty("amount").GetInt64(), qr.GetProperty("reference").GetString() + " dong dang phi");
        Assert.Equal("matched", paid.GetProperty("status").GetString());

        string commune = app.Demo.CommuneCommitteeCode;
        var page = await app.NewPage();
        await page.GotoAsync(app.BaseUrl + $"/dang-nhap?returnUrl=/to-chuc/{commune}/khoa-so?period=2026-11");
        await page.FillAsync("#username", "vanphong");
        await page.FillAsync("#password", "vanphong-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => url.Contains("/khoa-so", StringComparison.Ordinal));

        Assert.Equal("Chưa khóa sổ", await page.InnerTextAsync("#close-status"));
        Assert.Contains("chưa khóa sổ", await page.InnerTextAsync("#blocked"), StringComparison.Ordinal);
        Assert.True(await page.Locator("#children tr[data-status=missing]").CountAsync() > 0);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("close-before.png"), FullPage = true });

        await page.ClickAsync("#close-subtree-button");
        await page.Locator("#message").WaitForAsync();
        Assert.StartsWith("Khóa sổ toàn bộ tháng 11/2026", await page.InnerTextAsync("#message"), StringComparison.Ordinal);
        Assert.StartsWith("Đã khóa sổ", await page.InnerTextAsync("#close-status"), StringComparison.Ordinal);
        Assert.Equal(0, await page.Locator("#children tr[data-status=missing]").CountAsync());

        // The commune's own order to the province: its code to scan, then "instructed" once the office ordered it.
        var order = page.Locator("article[data-status=created]").Filter(new LocatorFilterOptions { HasText = "nộp " });
        await order.First.Locator("svg").WaitForAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("close-after.png"), FullPage = true });
        await order.First.Locator("form[action*=Instruct] button").ClickAsync();
        await page.Locator("#message").WaitForAsync();
        Assert.Contains("Đã lập lệnh chuyển", await page.InnerTextAsync("#message"), StringComparison.Ordinal);
        Assert.Equal(1, await page.Locator("article[data-status=instructed]").CountAsync());
    }
}
