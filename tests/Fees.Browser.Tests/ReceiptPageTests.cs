using System.Net;
using Fees.Domain.Dues;
using Fees.Persistence;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Fees.Browser.Tests;

/// <summary>
/// Issue 10 item 5, done when: the member pays, sees the receipt on their page, and its verification page (the address
/// printed on the receipt) says it is genuine; the same address with one digit of the number changed says it cannot be
/// verified.
/// </summary>
public sealed class ReceiptPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Member_Pays_SeesTheReceipt_WhoseVerificationPageSaysGenuine_AndNotWithOneDigitChanged()
    {
        var admin = await app.Admin();
        var generated = await admin.PostAsync("/api/cycles/2026-08/generate", null);
        Assert.True(generated.IsSuccessStatusCode || generated.StatusCode == HttpStatusCode.Conflict);
        long memberId = await app.WithScopeAsync(s => s.GetRequiredService<FeesDbContext>().Members
            .Where(m => m.MemberNo == app.Demo.CellMemberNo).Select(m => m.Id).SingleAsync());
        var cell = await app.Account(app.Demo.CellCode);

        // The member transfers with their standing DT reference; the bank notifies the service.
        var (response, body) = await app.Pay(cell, 54_756, $"{PaymentReference.ForMember(memberId).Value} dong dang phi");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("matched", body.GetProperty("status").GetString());
        long receiptId = body.GetProperty("receiptId").GetInt64();

        // The member's page lists the receipt.
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        page.SetDefaultNavigationTimeout(60_000);
        await page.GotoAsync(app.BaseUrl + "/dang-phi");
        await page.FillAsync("#username", "dangvien");
        await page.FillAsync("#password", "dangvien-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => url.EndsWith("/dang-phi", StringComparison.Ordinal));
        var row = page.Locator($"#receipts li.receipt[data-receipt-id='{receiptId}']");
        Assert.Equal(1, await row.CountAsync());
        string number = (await row.GetAttributeAsync("data-number"))!;
        Assert.EndsWith("/2026/" + app.Demo.CellCode, number, StringComparison.Ordinal);
        Assert.Contains("54.756 đ", await row.InnerTextAsync(), StringComparison.Ordinal);
        await row.ScrollIntoViewIfNeededAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("receipt-member-page.png"), FullPage = true });

        // The PDF the page links to, as the member's browser downloads it, prints the verification address.
        string pdfHref = (await row.Locator("a.pdf").GetAttributeAsync("href"))!;
        var pdf = await context.APIRequest.GetAsync(app.BaseUrl + pdfHref);
        Assert.Equal(200, pdf.Status);
        Assert.Equal("application/pdf", pdf.Headers["content-type"]);
        byte[] pdfBytes = await pdf.BodyAsync();
        await File.WriteAllBytesAsync(BrowserApp.ArtifactPath("receipt.pdf"), pdfBytes);
        string text = await PdfText.Of(pdfBytes);
        Assert.Contains("BIÊN LAI THU ĐẢNG PHÍ", text, StringComparison.Ordinal);
        Assert.Contains("Số: " + number, text, StringComparison.Ordinal);
        Assert.Contains("Năm mươi tư nghìn bảy trăm năm mươi sáu đồng", text, StringComparison.Ordinal);
        string printed = PdfText.VerificationUrl(text);
        Assert.StartsWith(app.BaseUrl + "/bien-lai/xac-minh/", printed, StringComparison.Ordinal);
        Assert.Equal(app.BaseUrl + await row.Locator("a.verify").GetAttributeAsync("href"), printed);
        await context.CloseAsync();

        // Anyone (no sign-in) opens the printed address: genuine, with what the receipt prints.
        var visitor = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "vi-VN" });
        var check = await visitor.NewPageAsync();
        check.SetDefaultTimeout(60_000);
        var opened = await check.GotoAsync(printed);
        Assert.Equal(200, opened!.Status);
        Assert.Contains("hợp lệ", await check.InnerTextAsync("#verdict"), StringComparison.Ordinal);
        Assert.Equal(number, (await check.InnerTextAsync("#receipt-number")).Trim());
        Assert.Equal("54.756 đ", (await check.InnerTextAsync("#receipt-amount")).Trim());
        Assert.DoesNotContain(app.Demo.CellMemberNo, await check.InnerTextAsync("main"), StringComparison.Ordinal);
        await check.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("receipt-verified.png"), FullPage = true });

        // One digit of the number changed: not verifiable, and nothing of the receipt shown.
        string sequence = number[..number.IndexOf('/', StringComparison.Ordinal)];
        string changedSequence = sequence[..^1] + (char)('0' + (((sequence[^1] - '0') + 1) % 10));
        string changed = printed.Replace($"/{sequence}?s=", $"/{changedSequence}?s=", StringComparison.Ordinal);
        Assert.NotEqual(printed, changed);
        var refused = await check.GotoAsync(changed);
        Assert.Equal(404, refused!.Status);
        Assert.Contains("Không xác minh được biên lai này", await check.InnerTextAsync("#verdict"), StringComparison.Ordinal);
        Assert.DoesNotContain("54.756", await check.InnerTextAsync("main"), StringComparison.Ordinal);
        Assert.Equal(0, await check.Locator("#receipt-number").CountAsync());
        await check.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("receipt-not-verified.png"), FullPage = true });
        await visitor.CloseAsync();
    }
}
