using Microsoft.Playwright;

namespace Fees.Browser.Tests;

public sealed class SignInPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Treasurer_SignsIn_AndSeesTheirCellWithItsMembers()
    {
        var page = await app.NewPage();
        await page.GotoAsync(app.BaseUrl + "/to-chuc");
        Assert.Contains("/dang-nhap", page.Url, StringComparison.Ordinal);

        await page.FillAsync("#username", "thuquy");
        await page.FillAsync("#password", "thuquy-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => url.Contains("/to-chuc/" + app.Demo.CellCode, StringComparison.Ordinal));

        string heading = await page.InnerTextAsync("h1");
        Assert.StartsWith("Chi bộ", heading, StringComparison.Ordinal);
        int rows = await page.Locator("table tbody tr").CountAsync();
        Assert.True(rows > 0);
        Assert.Equal(1, await page.Locator($"td:text-is('{app.Demo.CellMemberNo}')").CountAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("treasurer-cell.png"), FullPage = true });

        var sibling = await page.GotoAsync(app.BaseUrl + "/to-chuc/" + app.Demo.SiblingCellCode);
        Assert.Equal(403, sibling!.Status);
    }

    [Fact]
    public async Task SigningOut_EndsTheSession_AndReturnsToTheSignInPage()
    {
        var page = await app.NewPage();
        await page.GotoAsync(app.BaseUrl + "/dang-nhap");
        await page.FillAsync("#username", "kiemtra");
        await page.FillAsync("#password", "kiemtra-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => !url.Contains("/dang-nhap", StringComparison.Ordinal));
        await BrowserApp.ClickAndWaitForUrl(page, "form.signout button", url => url.Contains("/dang-nhap", StringComparison.Ordinal));
        await page.GotoAsync(app.BaseUrl + "/to-chuc");
        Assert.Contains("/dang-nhap", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WrongPassword_ShowsAVietnameseMessage_AndStaysOnTheSignInPage()
    {
        var page = await app.NewPage();
        await page.GotoAsync(app.BaseUrl + "/dang-nhap");
        await page.FillAsync("#username", "vanphong");
        await page.FillAsync("#password", "not-the-password");
        await page.ClickAsync("button[type=submit]");
        Assert.Equal("Tên đăng nhập hoặc mật khẩu không đúng.", (await page.InnerTextAsync(".error")).Trim());
    }

    [Fact]
    public async Task Office_UploadsAFileWithABadRow_AndSeesItExplainedInVietnamese()
    {
        var page = await app.NewPage();
        await page.GotoAsync(app.BaseUrl + "/dang-nhap?returnUrl=/nhap-du-lieu");
        await page.FillAsync("#username", "vanphong");
        await page.FillAsync("#password", "vanphong-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => url.EndsWith("/nhap-du-lieu", StringComparison.Ordinal));

        string csv = "member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on\n" +
                     $"66000001,Phạm Thị Hoa,{app.Demo.CellCode},official,si,1990-02-31,F,2015-06-01\n";
        await page.SetInputFilesAsync("#file-members", new FilePayload { Name = "dang-vien.csv", MimeType = "text/csv", Buffer = System.Text.Encoding.UTF8.GetBytes(csv) });
        await page.Locator("form.import").Filter(new() { Has = page.Locator("#file-members") }).Locator("button").ClickAsync();

        string report = await page.InnerTextAsync(".error-list");
        Assert.Contains("chưa có dòng nào được nhập", report, StringComparison.Ordinal);
        Assert.Contains("birth_date", report, StringComparison.Ordinal);
        Assert.Contains("Ngày không hợp lệ", report, StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("office-import-errors.png"), FullPage = true });
    }
}
