using Microsoft.Playwright;

namespace Fees.Browser.Tests;

/// <summary>Office staff (văn phòng cấp ủy) open the reports at /bao-cao, preview B01/ĐP, download it and see the completion chart.</summary>
public sealed class ReportsPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Office_PreviewsAndDownloadsB01_AndSeesTheCompletionChart()
    {
        var admin = await app.Admin();
        foreach (string period in new[] { "2026-10", "2026-11" })
        {
            Assert.True((await admin.PostAsync($"/api/cycles/{period}/generate", null)).IsSuccessStatusCode);
        }

        var page = await app.NewPage();
        await page.GotoAsync(app.BaseUrl + "/dang-nhap?returnUrl=/bao-cao");
        await page.FillAsync("#username", "vanphong");
        await page.FillAsync("#password", "vanphong-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => url.EndsWith("/bao-cao", StringComparison.Ordinal));
        Assert.Equal(1, await page.Locator("header nav a[href='/bao-cao']").CountAsync());

        // The office's own committee, this quarter, B01/ĐP.
        Assert.Equal(app.Demo.CommuneCommitteeCode, await page.InputValueAsync("#org"));
        await page.FillAsync("#range", "2026-Q4");
        await page.SelectOptionAsync("#report", "b01");
        await BrowserApp.ClickAndWaitForUrl(page, "#preview", url => url.Contains("report=b01", StringComparison.Ordinal));
        string preview = await page.InnerTextAsync("#report-preview");
        Assert.Contains("Báo cáo thu nộp đảng phí", preview, StringComparison.Ordinal);
        Assert.Contains("Số đảng viên đến cuối kỳ báo cáo", preview, StringComparison.Ordinal);
        Assert.Contains("Quý IV năm 2026", preview, StringComparison.Ordinal);

        var download = await page.RunAndWaitForDownloadAsync(() => page.ClickAsync("#download-pdf"));
        // A browser takes the Vietnamese name (filename*); clients that cannot read it get b01-<org>-2026-Q4.pdf.
        Assert.Equal($"Báo cáo thu nộp đảng phí {app.Demo.CommuneCommitteeCode} 2026-Q4.pdf", download.SuggestedFilename);
        string path = BrowserApp.ArtifactPath("b01-download.pdf");
        await download.SaveAsAsync(path);
        byte[] pdf = await File.ReadAllBytesAsync(path);
        Assert.True(pdf.Length > 1000, $"{pdf.Length} bytes");
        Assert.Equal("%PDF"u8.ToArray(), pdf[..4]);

        // The completion dashboard: the chart is an image that loaded, with a line per unit below it.
        var chart = page.Locator("#completion-chart");
        await chart.ScrollIntoViewIfNeededAsync();
        await page.WaitForFunctionAsync("() => { const i = document.querySelector('#completion-chart'); return i.complete && i.naturalWidth > 0; }");
        Assert.Equal(900, await chart.EvaluateAsync<int>("i => i.naturalWidth"));
        Assert.Contains("Tiến độ đóng đảng phí", await page.InnerTextAsync("#completion"), StringComparison.Ordinal);
        Assert.True(await page.Locator("#completion table tbody tr").CountAsync() >= 2);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("office-reports.png"), FullPage = true });
    }

    [Fact]
    public async Task Office_SeesTheRangeError_InVietnamese_ForAMalformedRange()
    {
        var page = await app.NewPage();
        await page.GotoAsync(app.BaseUrl + "/dang-nhap?returnUrl=/bao-cao");
        await page.FillAsync("#username", "vanphong");
        await page.FillAsync("#password", "vanphong-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => url.EndsWith("/bao-cao", StringComparison.Ordinal));
        var response = await page.GotoAsync(app.BaseUrl + $"/bao-cao?org={app.Demo.CommuneCommitteeCode}&range=2026-Q9&report=b01");
        Assert.Equal(400, response!.Status);
        Assert.Contains("Khoảng thời gian phải có dạng", await page.InnerTextAsync("#error"), StringComparison.Ordinal);
    }
}
