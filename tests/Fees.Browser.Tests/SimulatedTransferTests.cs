using System.Net.Http.Json;
using System.Text.Json;
using Fees.Api.Hosting.Demo;
using Fees.Testing;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Fees.Browser.Tests;

/// <summary>
/// The browser service with the demo bank on (<c>Fees:DemoBank:Enabled</c>, as the embedded default has it): the service
/// starts FakeBank as its child process, points its webhooks at itself and opens the organizations' accounts in it.
/// </summary>
public sealed class DemoBankBrowserApp : BrowserApp
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Fees:DemoBank:Enabled", "true");
        // Long enough to see the page wait for the bank on a loaded machine, short enough for a test.
        builder.UseSetting("Fees:DemoBank:DeliveryDelayMs", "4000");
    }

    /// <summary>Waits until the demo bank runs and is wired to the service (it is wired once the service listens).</summary>
    public async Task WaitForDemoBank()
    {
        var bank = Services.GetRequiredService<DemoBank>();
        using var expiry = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (!bank.IsReady)
        {
            Assert.False(expiry.IsCancellationRequested, "The demo bank did not start");
            await Task.Delay(100);
        }
    }
}

/// <summary>Issue 10: in the demo, a member presses "Giả lập chuyển khoản" and watches the payment arrive.</summary>
public sealed class SimulatedTransferTests(DemoBankBrowserApp app) : IClassFixture<DemoBankBrowserApp>
{
    [Fact]
    public async Task DemoMember_PressesSimulatedTransfer_WaitsForTheBank_AndSeesTheMonthsPaid()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/cycles/2026-09/generate", null)).EnsureSuccessStatusCode();
        await app.WaitForDemoBank();

        var context = await app.Browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 390, Height = 844 }, Locale = "vi-VN" });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        page.SetDefaultNavigationTimeout(60_000);
        await page.GotoAsync(app.BaseUrl + "/dang-phi");
        await page.FillAsync("#username", "dangvien");
        await page.FillAsync("#password", "dangvien-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => url.EndsWith("/dang-phi", StringComparison.Ordinal));
        Assert.Contains("tháng 8/2026", await page.InnerTextAsync(".months"), StringComparison.Ordinal);

        await BrowserApp.ClickAndWaitForUrl(page, "#simulate-transfer", url => url.Contains("/dang-phi?cho=", StringComparison.Ordinal));

        await Expect(page.Locator("#transfer-waiting")).ToHaveTextAsync("Đã chuyển khoản, đang chờ ngân hàng báo…");
        Assert.Equal(0, await page.Locator("#simulate-transfer").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("simulated-transfer-waiting.png"), FullPage = true });
        await Expect(page.Locator("#transfer-arrived")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 90_000 });
        await Expect(page.Locator("#nothing-owed")).ToBeVisibleAsync();
        // The payment's electronic receipt (biên lai) is on the page, with its PDF and its verification address.
        var receipt = page.Locator("#receipts li.receipt");
        Assert.Equal(1, await receipt.CountAsync());
        Assert.Equal(1, await receipt.Locator("a.verify").CountAsync());
        var rows = page.Locator("table.history tbody tr");
        Assert.Equal(2, await rows.CountAsync());
        Assert.Equal(2, await page.Locator("table.history tbody tr.status-paid").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("simulated-transfer-arrived.png"), FullPage = true });

        var api = await app.ClientFor("dangvien", "dangvien-demo");
        var statements = await api.GetFromJsonAsync<JsonElement>($"/api/members/{app.Demo.CellMemberNo}/statements");
        Assert.All(statements.EnumerateArray(), s => Assert.Equal("paid", s.GetProperty("status").GetString()));
        await context.CloseAsync();
    }

    [Fact]
    public async Task SimulatedTransfer_WithoutTheFormsAntiforgeryToken_IsRefused_AndTheBankMovesNothing()
    {
        await app.WaitForDemoBank();
        var bank = app.Services.GetRequiredService<DemoBank>();
        using var fakeBank = new HttpClient { BaseAddress = bank.Address };
        int before = (await fakeBank.GetFromJsonAsync<JsonElement>("control/transfers")).GetArrayLength();
        using var cookies = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = true };
        using var member = new HttpClient(cookies) { BaseAddress = new Uri(app.BaseUrl) };
        string signIn = await member.GetStringAsync("/dang-nhap");
        string token = System.Text.RegularExpressions.Regex.Match(signIn, "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"").Groups[1].Value;
        var signedIn = await member.PostAsync("/dang-nhap", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "dangvien",
            ["password"] = "dangvien-demo",
            ["__RequestVerificationToken"] = token,
        }));
        Assert.Equal(System.Net.HttpStatusCode.Redirect, signedIn.StatusCode);

        var forged = await member.PostAsync(DemoBankEndpoints.SimulatedTransferPath, new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(before, (await fakeBank.GetFromJsonAsync<JsonElement>("control/transfers")).GetArrayLength());
    }

    [Fact]
    public async Task DemoOffice_PaysARemittanceOrderBySimulatedTransfer_AndTheFeedsConfirmIt()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/cycles/2026-09/generate", null)).EnsureSuccessStatusCode();
        await app.WaitForDemoBank();
        // Another member of the demo cell pays August and September; the cell closes September (sweeping August too).
        string memberNo = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<Fees.Persistence.FeesDbContext>();
            var cell = await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Orgs, o => o.Code == app.Demo.CellCode);
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstAsync(
                from st in db.Statements join m in db.Members on st.MemberId equals m.Id
                where st.OrgId == cell.Id && st.Amount > Fees.Domain.Amounts.Money.Zero && m.MemberNo != app.Demo.CellMemberNo
                orderby m.MemberNo select m.MemberNo);
        });
        var qr = await admin.GetFromJsonAsync<JsonElement>($"/api/members/{memberNo}/payment-qr");
        var account = await app.Account(app.Demo.CellCode);
        var (_, paid) = await app.Pay(account, qr.GetProperty("amount").GetInt64(), qr.GetProperty("reference").GetString()!);
        Assert.Equal("matched", paid.GetProperty("status").GetString());
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        var closed = await treasurer.PostAsync($"/api/orgs/{app.Demo.CellCode}/periods/2026-09/close", null);
        Assert.Equal(System.Net.HttpStatusCode.OK, closed.StatusCode);
        long orderId = (await closed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("remittanceOrderId").GetInt64();

        var page = await app.NewPage();
        page.SetDefaultTimeout(60_000);
        await page.GotoAsync(app.BaseUrl + $"/dang-nhap?returnUrl=/to-chuc/{app.Demo.CellCode}/khoa-so?period=2026-09");
        await page.FillAsync("#username", "thuquy");
        await page.FillAsync("#password", "thuquy-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => url.Contains("/khoa-so", StringComparison.Ordinal));
        await page.Locator($"#order-{orderId} form[action*=Simulate] button").ClickAsync();
        await Expect(page.Locator("#message")).ToContainTextAsync("Đã giả lập chuyển");

        // Both feeds report it: the cell's (money left: paid) and the base committee's (money arrived: confirmed).
        using var expiry = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while ((await treasurer.GetFromJsonAsync<JsonElement>($"/api/remittances/{orderId}")).GetProperty("status").GetString() != "confirmed")
        {
            Assert.False(expiry.IsCancellationRequested, "the remittance order was not confirmed by the demo bank's feeds");
            await Task.Delay(250);
        }
        await page.ReloadAsync();
        Assert.Equal("Cấp trên đã nhận", await page.Locator($"#order-{orderId} .order-status").InnerTextAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("demo-remittance-confirmed.png"), FullPage = true });
    }
}
