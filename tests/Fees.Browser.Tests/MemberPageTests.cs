using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Amounts;
using Microsoft.Playwright;

namespace Fees.Browser.Tests;

/// <summary>Issue 5: the member's own page shows what is owed and the code to pay it, the same code the API serves.</summary>
public sealed class MemberPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private async Task GenerateAugustAndSeptember()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/cycles/2026-09/generate", null)).EnsureSuccessStatusCode();
    }

    private async Task<IPage> SignedIn(string username, string password, string path, ViewportSize viewport)
    {
        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = viewport, Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        page.SetDefaultNavigationTimeout(60_000);
        await page.GotoAsync(app.BaseUrl + path);
        Assert.Contains("/dang-nhap", page.Url, StringComparison.Ordinal);
        await page.FillAsync("#username", username);
        await page.FillAsync("#password", password);
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => url.EndsWith(path, StringComparison.Ordinal));
        return page;
    }

    [Fact]
    public async Task Member_SignsIn_SeesTheAmountAndTheCode_WhosePayloadIsTheApis()
    {
        await GenerateAugustAndSeptember();
        var page = await SignedIn("dangvien", "dangvien-demo", "/dang-phi", new ViewportSize { Width = 390, Height = 844 });

        var api = await app.ClientFor("dangvien", "dangvien-demo");
        var qr = await api.GetFromJsonAsync<JsonElement>($"/api/members/{app.Demo.CellMemberNo}/payment-qr");
        string payload = qr.GetProperty("payload").GetString()!;
        string amount = Money.Vnd(qr.GetProperty("amount").GetInt64()).ToDisplayString();

        Assert.Equal(payload, (await page.TextContentAsync("#qr-payload"))?.Trim());
        Assert.Equal(amount, (await page.InnerTextAsync("#amount-due")).Trim());
        Assert.Equal(amount, (await page.InnerTextAsync("#qr-amount")).Trim());
        Assert.Equal(qr.GetProperty("accountNumber").GetString(), (await page.InnerTextAsync("#account-number")).Trim());
        Assert.Equal(qr.GetProperty("accountName").GetString(), (await page.InnerTextAsync("#account-name")).Trim());
        string content = (await page.InnerTextAsync("#transfer-content")).Trim();
        Assert.StartsWith(qr.GetProperty("reference").GetString()!, content, StringComparison.Ordinal);
        Assert.Contains("tháng 8/2026", await page.InnerTextAsync(".months"), StringComparison.Ordinal);
        Assert.Contains("tháng 9/2026", await page.InnerTextAsync(".months"), StringComparison.Ordinal);

        // The image really loaded (served with the page's cookie) and is at least 300 px.
        int width = await page.EvalOnSelectorAsync<int>("#qr-image", "img => img.complete ? img.naturalWidth : 0");
        Assert.True(width >= 300, $"QR image width {width}");

        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("member-qr.png"), FullPage = true });
        await page.SetViewportSizeAsync(1280, 900);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("member-qr-desktop.png"), FullPage = true });
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Treasurer_PrintsTheCellsStaticCodes_AndCannotPrintASiblingCells()
    {
        string path = $"/chi-bo/{app.Demo.CellCode}/ma-qr-tinh?pageSize=200";
        var page = await SignedIn("thuquy", "thuquy-demo", path, new ViewportSize { Width = 1280, Height = 900 });

        int slips = await page.Locator(".slip").CountAsync();
        Assert.True(slips > 1, $"{slips} slips");
        var slip = page.Locator($".slip[data-member-no='{app.Demo.CellMemberNo}']");
        Assert.Equal(1, await slip.CountAsync());
        Assert.Contains("DANG PHI", await slip.InnerTextAsync(), StringComparison.Ordinal);
        await page.EmulateMediaAsync(new PageEmulateMediaOptions { Media = Media.Print });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("static-qr-sheet-print.png"), FullPage = true });

        var sibling = await page.GotoAsync(app.BaseUrl + $"/chi-bo/{app.Demo.SiblingCellCode}/ma-qr-tinh");
        Assert.Equal(403, sibling!.Status);
        await page.Context.CloseAsync();
    }
}
