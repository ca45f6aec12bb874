using Microsoft.Playwright;
using Npgsql;

namespace Fees.Browser.Tests;

/// <summary>
/// Issue 9: the auditor's page shows each violation the checks of the live books find, naming the offending rows (on a
/// service of its own: its books are tampered with).
/// </summary>
public sealed class AuditorViolationsPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Auditor_SeesEachViolation_NamingTheRow_WhenTheBooksWereTamperedWith()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        long tampered;
        await using (var conn = new NpgsqlConnection(app.Database.Owner))
        {
            await conn.OpenAsync();
            // Outside the service, as the database's owner: a statement now says 1 đồng was paid that no receipt brought.
            await using var cmd = new NpgsqlCommand(
                "update dues_statements set paid = 1 where id = (select min(id) from dues_statements where amount > 1 and paid = 0) returning id", conn);
            tampered = (long)(await cmd.ExecuteScalarAsync())!;
        }

        var page = await app.NewPage();
        await page.GotoAsync(app.BaseUrl + "/dang-nhap?returnUrl=/kiem-tra");
        await page.FillAsync("#username", "kiemtra");
        await page.FillAsync("#password", "kiemtra-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => !url.Contains("/dang-nhap", StringComparison.Ordinal));
        await BrowserApp.ClickAndWaitForUrl(page, "#run-checks", url => url.Contains("run=true", StringComparison.Ordinal));

        Assert.Contains("không đạt", await page.InnerTextAsync("#checks-summary"), StringComparison.Ordinal);
        var failed = page.Locator("tr.check-failed[data-check='statements-paid-within-amount']");
        Assert.Equal(1, await failed.CountAsync());
        Assert.StartsWith("Không đạt", (await failed.Locator(".badge.fail").InnerTextAsync()).Trim(), StringComparison.Ordinal);
        string violations = await failed.Locator("ul.violations").InnerTextAsync();
        Assert.Contains($"statement:{tampered}", violations, StringComparison.Ordinal);
        Assert.Contains("Sổ đảng phí từng tháng", await failed.InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("auditor-violations.png"), FullPage = true });
    }
}
