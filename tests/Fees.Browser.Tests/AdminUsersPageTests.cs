using Fees.Testing;
using Microsoft.Playwright;

namespace Fees.Browser.Tests;

/// <summary>The admin's users page, driven as an admin would: create a treasurer, lock, unlock, set a new password.</summary>
public sealed class AdminUsersPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Treasurer = "thuquy.moi";

    [Fact]
    public async Task Admin_CreatesLocksUnlocksAndResetsATreasurer_WhoThenSignsInWithTheNewPassword()
    {
        var page = await app.NewPage();
        await page.GotoAsync(app.BaseUrl + "/dang-nhap");
        await page.FillAsync("#username", "admin");
        await page.FillAsync("#password", FeesApp.AdminPassword);
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => !url.Contains("/dang-nhap", StringComparison.Ordinal));
        await BrowserApp.ClickAndWaitForUrl(page, "header nav a[href='/quan-tri/tai-khoan']", url => url.EndsWith("/quan-tri/tai-khoan", StringComparison.Ordinal));
        Assert.Equal("Tài khoản người dùng", await page.InnerTextAsync("h1"));

        // Create: a treasurer of the demo cell, with an initial password.
        await page.FillAsync("#new-username", Treasurer);
        await page.SelectOptionAsync("#new-role", "treasurer");
        await page.FillAsync("#new-org", app.Demo.CellCode);
        await page.FillAsync("#new-password", "mat-khau-ban-dau");
        await page.ClickAsync("form.create button[type=submit]");
        await Message(page, $"Đã tạo tài khoản {Treasurer}.");
        var row = page.Locator($"tr[data-username='{Treasurer}']");
        Assert.Equal("Chi ủy / người thu đảng phí", await row.Locator("td").Nth(1).InnerTextAsync());
        Assert.StartsWith(app.Demo.CellCode, await row.Locator("td").Nth(2).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("Đang hoạt động", await row.Locator("td.state").InnerTextAsync());

        // Lock, then unlock.
        await row.Locator("button.lock").ClickAsync();
        await Message(page, $"Đã khóa tài khoản {Treasurer}; các phiên đăng nhập của tài khoản đã kết thúc.");
        Assert.Equal("Bị khóa", await row.Locator("td.state").InnerTextAsync());
        await row.Locator("button.unlock").ClickAsync();
        await Message(page, $"Đã mở khóa tài khoản {Treasurer}.");
        Assert.Equal("Đang hoạt động", await row.Locator("td.state").InnerTextAsync());

        // A new password, set by the admin.
        await row.Locator("details.reset summary").ClickAsync();
        await row.Locator("input[name=password]").FillAsync("mat-khau-moi-2026");
        await row.Locator("details.reset button[type=submit]").ClickAsync();
        await Message(page, $"Đã đặt mật khẩu mới cho tài khoản {Treasurer}; các phiên đăng nhập của tài khoản đã kết thúc.");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("admin-users.png"), FullPage = true });

        // The treasurer signs in with the new password (the old one no longer works) and sees their cell.
        var treasurer = await app.NewPage();
        await treasurer.GotoAsync(app.BaseUrl + "/dang-nhap?returnUrl=/to-chuc");
        await treasurer.FillAsync("#username", Treasurer);
        await treasurer.FillAsync("#password", "mat-khau-ban-dau");
        await treasurer.ClickAsync("button[type=submit]");
        Assert.Equal("Tên đăng nhập hoặc mật khẩu không đúng.", (await treasurer.InnerTextAsync(".error")).Trim());
        await treasurer.FillAsync("#password", "mat-khau-moi-2026");
        await BrowserApp.ClickAndWaitForUrl(treasurer, "button[type=submit]", url => url.Contains("/to-chuc/" + app.Demo.CellCode, StringComparison.Ordinal));
        Assert.StartsWith("Chi bộ", await treasurer.InnerTextAsync("h1"), StringComparison.Ordinal);
    }

    /// <summary>Waits for the status line a change leaves after its redirect.</summary>
    private static Task Message(IPage page, string text) =>
        page.Locator("p.message", new() { HasText = text }).WaitForAsync();
}
