using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Persistence;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Fees.Browser.Tests;

/// <summary>The treasurer's reconciliation page in chromium: allocate an unmatched receipt by hand, record a cash payment.</summary>
public sealed class ReconciliationPageTests(BrowserApp app) : IClassFixture<BrowserApp>
{
    [Fact]
    public async Task Treasurer_AllocatesAnUnmatchedReceiptByHand_AndRecordsACashPayment()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        var cell = await app.Account(app.Demo.CellCode);
        var owing = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            return await (from st in db.Statements
                          join m in db.Members on st.MemberId equals m.Id
                          where st.OrgId == cell.OrgId && st.Status == DuesStatementStatus.Issued && st.Amount > Money.Zero
                          orderby m.MemberNo
                          select new { m.MemberNo, m.FullName, st.Amount }).Take(2).ToListAsync();
        });
        var (first, second) = (owing[0], owing[1]);
        // Paid with no reference, from an account in the member's own name: it waits for the treasurer.
        var (_, paid) = await app.Pay(cell, first.Amount.Dong, "dong dang phi", counterpartyName: Fees.Domain.Matching.TransferContent.Fold(first.FullName));
        long receiptId = paid.GetProperty("receiptId").GetInt64();
        Assert.Equal("unmatched", paid.GetProperty("status").GetString());

        var page = await app.NewPage();
        await page.GotoAsync(app.BaseUrl + "/dang-nhap?returnUrl=/to-chuc/" + app.Demo.CellCode + "/doi-soat?period=2026-12");
        await page.FillAsync("#username", "thuquy");
        await page.FillAsync("#password", "thuquy-demo");
        await BrowserApp.ClickAndWaitForUrl(page, "button[type=submit]", url => url.Contains("/doi-soat", StringComparison.Ordinal));

        var item = page.Locator($"#queue-{receiptId}");
        Assert.Contains(first.FullName, await item.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(first.MemberNo, await item.Locator("input[name=memberNo]").InputValueAsync());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("reconciliation-queue.png"), FullPage = true });
        await item.Locator("form[action*=Allocate] button").ClickAsync();
        await page.Locator("#message").WaitForAsync();
        Assert.Equal("Đã phân bổ khoản thu.", await page.InnerTextAsync("#message"));
        Assert.Equal(0, await page.Locator($"#queue-{receiptId}").CountAsync());

        await page.FillAsync("#cash-form input[name=memberNo]", second.MemberNo);
        await page.FillAsync("#cash-form input[name=amount]", second.Amount.Dong.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await page.ClickAsync("#cash-form button");
        await page.Locator("#message").WaitForAsync();
        Assert.Equal("Đã ghi nhận đảng phí nộp bằng tiền mặt.", await page.InnerTextAsync("#message"));
        Assert.Contains("Tiền mặt", await page.InnerTextAsync("#receipts"), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = BrowserApp.ArtifactPath("reconciliation-after.png"), FullPage = true });

        foreach (string no in new[] { first.MemberNo, second.MemberNo })
        {
            var statements = await admin.GetFromJsonAsync<JsonElement>($"/api/members/{no}/statements");
            Assert.Equal("paid", statements.EnumerateArray().Single(s => s.GetProperty("period").GetString() == "2026-08").GetProperty("status").GetString());
        }
    }
}
