using System.Globalization;
using System.Text;
using Fees.Testing;
using Microsoft.Playwright;
using Npgsql;

namespace Fees.Browser.Tests;

/// <summary>
/// The import page's progress bar (issue 12 §1): with JavaScript the upload, then the server's own record of the run,
/// then the page's usual answer; without JavaScript the form posts as it always did.
/// </summary>
public sealed class ImportPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    private const string Header = "member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on\n";

    /// <summary>A members file of <paramref name="count"/> new members of the demo cell (the office's scope).</summary>
    private byte[] MembersFile(int first, int count)
    {
        var sb = new StringBuilder(Header, count * 90);
        for (int i = first; i < first + count; i++)
        {
            sb.Append(CultureInfo.InvariantCulture, $"72{i:D6},Nguyễn Thị Hồng Nhung,{app.Demo.CellCode},official,si,1985-03-02,F,2010-02-03\n");
        }
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private async Task<IPage> SignedInOffice(BrowserNewPageOptions? options = null)
    {
        var page = await app.NewPage(options);
        await page.GotoAsync(app.BaseUrl + "/dang-nhap?returnUrl=/nhap-du-lieu");
        await page.FillAsync("#username", "vanphong");
        await page.FillAsync("#password", "vanphong-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => url.EndsWith("/nhap-du-lieu", StringComparison.Ordinal));
        return page;
    }

    [Fact]
    public async Task ALargeMembersFile_ShowsTheUploadThenTheServersProgress_ThenTheResult()
    {
        var page = await SignedInOffice();
        byte[] file = MembersFile(0, 10_000); // about 0.9 MB: the bar is seen through the held lock, not through size
        // Every state the bar passes through, as the clerk would have seen it.
        await page.EvaluateAsync("""
            () => {
              window.barStates = [];
              const panel = document.getElementById('import-progress');
              const note = () => window.barStates.push(document.getElementById('import-progress-title').textContent + ' | '
                + document.getElementById('import-progress-text').textContent);
              new MutationObserver(note).observe(panel, { subtree: true, childList: true, characterData: true, attributes: true });
            }
            """);

        // Hold the import lock, as another office's import would: the run then waits where the page can see it
        // (deterministic, however fast this machine reads the file).
        await using var other = new NpgsqlConnection(app.Database.Owner);
        await other.OpenAsync();
        await using (var hold = new NpgsqlCommand("select pg_advisory_lock(hashtext('fees.import'))", other))
        {
            await hold.ExecuteNonQueryAsync();
        }
        await page.SetInputFilesAsync("#file-members", new FilePayload { Name = "dang-vien-lon.csv", MimeType = "text/csv", Buffer = file });
        await page.Locator("form.import").Filter(new() { Has = page.Locator("#file-members") }).Locator("button").ClickAsync();

        // The server's record, read by the page: the run is waiting for the lock.
        await page.Locator("#import-progress-title", new() { HasText = "Đang chờ lượt nhập trước kết thúc" }).WaitForAsync();
        Assert.True(await page.Locator("#import-progress-bar").IsVisibleAsync());
        Assert.True(await page.Locator("form.import button").First.IsDisabledAsync()); // one import at a time from this page
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("import-progress-waiting.png"), FullPage = true });
        await using (var release = new NpgsqlCommand("select pg_advisory_unlock(hashtext('fees.import'))", other))
        {
            await release.ExecuteNonQueryAsync();
        }

        // Then the same answer as without JavaScript, and the bar full.
        string result = await page.InnerTextAsync("#import-answer section.ok");
        Assert.Contains("Đã nhập tệp dang-vien-lon.csv", result, StringComparison.Ordinal);
        Assert.Contains("Thêm mới: 10000", result, StringComparison.Ordinal);
        Assert.Equal("Hoàn tất", await page.InnerTextAsync("#import-progress-title"));
        Assert.Equal(1.0, await page.EvalOnSelectorAsync<double>("#import-progress-bar", "b => b.position"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("import-progress-done.png"), FullPage = true });

        var states = await page.EvaluateAsync<string[]>("() => window.barStates");
        Assert.Contains(states, s => s.Contains("Đang tải lên", StringComparison.Ordinal) || s.StartsWith("Đã tải lên", StringComparison.Ordinal));
        int upload = Array.FindIndex(states, s => s.Contains("tải lên", StringComparison.Ordinal));
        int waiting = Array.FindIndex(states, s => s.StartsWith("Đang chờ", StringComparison.Ordinal));
        int done = Array.FindIndex(states, s => s.StartsWith("Hoàn tất", StringComparison.Ordinal));
        Assert.True(upload >= 0 && upload < waiting && waiting < done, string.Join('\n', states));

        // What the server measured: the whole file read.
        Assert.Equal(1, await app.OwnerScalar(
            "select count(*) from import_runs where username = 'vanphong' and phase = 'done' and bytes_total = @size and bytes_read = @size and rows_created = 10000",
            ("size", (long)file.Length)));
    }

    [Fact]
    public async Task WithoutJavaScript_TheFormStillPosts_AndShowsTheResult()
    {
        var page = await SignedInOffice(new BrowserNewPageOptions { JavaScriptEnabled = false });
        await page.SetInputFilesAsync("#file-members", new FilePayload { Name = "dang-vien.csv", MimeType = "text/csv", Buffer = MembersFile(100_000, 3) });
        await BrowserApp.ClickAndWaitForUrl(page, "#file-members ~ button", url => url.EndsWith("/nhap-du-lieu", StringComparison.Ordinal));

        string result = await page.InnerTextAsync("section.ok");
        Assert.Contains("Thêm mới: 3", result, StringComparison.Ordinal);
        Assert.True(await page.Locator("#import-progress").IsHiddenAsync());
    }
}
