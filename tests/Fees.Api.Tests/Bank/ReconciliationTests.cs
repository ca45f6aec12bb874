using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Persistence;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Bank;

/// <summary>
/// The treasurer's reconciliation: what waits in suspense with suggestions, allocation by hand (within the unallocated
/// remainder, once per request), refunds, cash and its deposit; the books stay whole (every audit check passes).
/// </summary>
public sealed class ReconciliationTests(FeesApp app) : IClassFixture<FeesApp>, IAsyncLifetime
{
    private OrgAccount _cell = null!;
    private HttpClient _treasurer = null!;

    public async Task InitializeAsync()
    {
        var admin = await app.Admin();
        foreach (string period in new[] { "2026-08", "2026-09" })
        {
            var r = await admin.PostAsync($"/api/cycles/{period}/generate", null);
            Assert.True(r.IsSuccessStatusCode || r.StatusCode == HttpStatusCode.Conflict);
        }
        _cell = await app.Account(app.Demo.CellCode);
        _treasurer = await app.ClientFor("thuquy", "thuquy-demo");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A member of the cell with both months unpaid: number, name and the August amount.</summary>
    private async Task<(string No, string Name, long August, long September)> Owing(int index) => await app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<FeesDbContext>();
        var ids = await (from st in db.Statements
                         where st.OrgId == _cell.OrgId && st.Status == DuesStatementStatus.Issued && st.Amount > Money.Zero
                         group st by st.MemberId into g
                         where g.Count() == 2
                         orderby g.Key descending
                         select g.Key).Skip(index).FirstAsync();
        var rows = await db.Statements.Where(x => x.MemberId == ids).OrderBy(x => x.Period).ToListAsync();
        var m = await db.Members.SingleAsync(x => x.Id == ids);
        return (m.MemberNo, m.FullName, rows[0].Amount.Dong, rows[1].Amount.Dong);
    });

    private static JsonContent Body(object o) => JsonContent.Create(o);

    [Fact]
    public async Task TheTreasurer_AllocatesAnUnmatchedReceiptByHand_WithinItsRemainder()
    {
        var (no, _, august, _) = await Owing(0);
        var (_, paid) = await app.Pay(_cell, august + 10_000, "nop tien dang phi");
        long receiptId = paid.GetProperty("receiptId").GetInt64();
        Assert.Equal("unmatched", paid.GetProperty("status").GetString());

        var tooMuch = await _treasurer.PostAsync($"/api/receipts/{receiptId}/allocate",
            Body(new { allocations = new[] { new { memberNo = no, period = "2026-08", amount = august + 10_001 } } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tooMuch.StatusCode);

        var ok = await _treasurer.PostAsync($"/api/receipts/{receiptId}/allocate",
            Body(new { allocations = new[] { new { memberNo = no, period = "2026-08", amount = august } } }));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        var receipt = await ok.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("partially_matched", receipt.GetProperty("status").GetString());
        Assert.Equal(10_000, receipt.GetProperty("inSuspense").GetInt64());
        var statements = await (await app.Admin()).GetFromJsonAsync<JsonElement>($"/api/members/{no}/statements");
        Assert.Equal("paid", statements[0].GetProperty("status").GetString());
    }

    [Fact]
    public async Task TwentyIdenticalAllocations_AtOnce_AllocateOnce_AndAnswerTheSame()
    {
        var (no, _, august, _) = await Owing(1);
        var (_, paid) = await app.Pay(_cell, august * 3, "khong ghi noi dung");
        long receiptId = paid.GetProperty("receiptId").GetInt64();
        var body = new { allocations = new[] { new { memberNo = no, period = "2026-08", amount = 1_000L } } };

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => _treasurer.PostAsync($"/api/receipts/{receiptId}/allocate", Body(body))));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.StatusCode));
        var receipt = await (await app.Admin()).GetFromJsonAsync<JsonElement>($"/api/receipts/{receiptId}");
        Assert.Equal(1_000, receipt.GetProperty("allocated").GetInt64());
        Assert.Single(receipt.GetProperty("allocations").EnumerateArray());
    }

    [Fact]
    public async Task TheQueue_SuggestsTheMemberWhoseDuesEqualTheAmount_AndWhoseNameIsThePayers()
    {
        var (no, name, august, _) = await Owing(2);
        var (_, paid) = await app.Pay(_cell, august, "dong dang phi", counterpartyName: Fees.Domain.Matching.TransferContent.Fold(name));
        long receiptId = paid.GetProperty("receiptId").GetInt64();

        var view = await _treasurer.GetFromJsonAsync<JsonElement>($"/api/orgs/{app.Demo.CellCode}/reconciliation?period=2026-12");

        var item = view.GetProperty("queue").EnumerateArray().Single(q => q.GetProperty("receiptId").GetInt64() == receiptId);
        var first = item.GetProperty("suggestions")[0];
        Assert.Equal(no, first.GetProperty("memberNo").GetString());
        Assert.Equal("AmountAndName", first.GetProperty("kind").GetString());
        Assert.Contains(view.GetProperty("arrears").EnumerateArray(), a => a.GetProperty("memberNo").GetString() == no);
        var totals = view.GetProperty("totals");
        Assert.True(totals.GetProperty("received").GetInt64() >= august);
        Assert.True(totals.GetProperty("unmatched").GetInt64() >= august);
    }

    [Fact]
    public async Task Cash_IsAReceiptOfItsOwn_UntilTheBankConfirmsItsDeposit()
    {
        var (no, _, august, september) = await Owing(3);
        var cash = await _treasurer.PostAsync($"/api/orgs/{app.Demo.CellCode}/cash-receipts", Body(new { memberNo = no, amount = august + september }));
        Assert.Equal(HttpStatusCode.Created, cash.StatusCode);
        Assert.Equal("matched", (await cash.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var statements = await (await app.Admin()).GetFromJsonAsync<JsonElement>($"/api/members/{no}/statements");
        Assert.All(statements.EnumerateArray(), s => Assert.Equal("paid", s.GetProperty("status").GetString()));

        // The treasurer takes the cash to the bank; the feed reports a credit with no reference.
        var (_, deposit) = await app.Pay(_cell, august + september, "NOP TIEN MAT CHI BO");
        long receiptId = deposit.GetProperty("receiptId").GetInt64();
        var confirmed = await _treasurer.PostAsync($"/api/receipts/{receiptId}/confirm-deposit", null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Equal("matched", (await confirmed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());

        var view = await _treasurer.GetFromJsonAsync<JsonElement>($"/api/orgs/{app.Demo.CellCode}/reconciliation");
        Assert.Equal(0, view.GetProperty("bank").GetProperty("cash").GetInt64());
        var checks = await (await app.Admin()).GetFromJsonAsync<JsonElement>("/api/audit/checks");
        Assert.All(checks.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.ToString()));
    }

    [Fact]
    public async Task ADepositLargerThanTheCash_IsRefused()
    {
        var (_, paid) = await app.Pay(_cell, 999_999_999, "NOP TIEN MAT");
        var r = await _treasurer.PostAsync($"/api/receipts/{paid.GetProperty("receiptId").GetInt64()}/confirm-deposit", null);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode);
    }

    [Fact]
    public async Task ARefund_TakesTheSuspenseBackOutOfTheBank()
    {
        var (_, paid) = await app.Pay(_cell, 33_000, "chuyen nham");
        long receiptId = paid.GetProperty("receiptId").GetInt64();
        var r = await _treasurer.PostAsync($"/api/receipts/{receiptId}/refund", Body(new { amount = 33_000, note = "chuyển nhầm, đã trả lại" }));
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("refunded", (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var again = await _treasurer.PostAsync($"/api/receipts/{receiptId}/refund", Body(new { amount = 1_000 }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, again.StatusCode);
    }

    [Fact]
    public async Task TreasurersOfOtherCells_AndAuditors_CannotTouchAReceipt()
    {
        var (_, paid) = await app.Pay(_cell, 12_000, "khong ro");
        long receiptId = paid.GetProperty("receiptId").GetInt64();
        var admin = await app.Admin();
        (await admin.PostAsJsonAsync("/api/users", new { username = "thuquy2", password = "thuquy2-password", role = "treasurer", orgCode = app.Demo.SiblingCellCode }))
            .EnsureSuccessStatusCode();
        var sibling = await app.ClientFor("thuquy2", "thuquy2-password");
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        var body = Body(new { amount = 12_000 });
        Assert.Equal(HttpStatusCode.Forbidden, (await sibling.PostAsync($"/api/receipts/{receiptId}/refund", body)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sibling.GetAsync($"/api/receipts/{receiptId}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsync($"/api/receipts/{receiptId}/refund", Body(new { amount = 12_000 }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/receipts/{receiptId}")).StatusCode);
    }
}
