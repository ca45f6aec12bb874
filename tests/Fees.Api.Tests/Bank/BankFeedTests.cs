using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Dues;
using Fees.Persistence;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests.Bank;

/// <summary>
/// Money arrives: a signed notification is stored once, matched to the member's dues however the bank rewrote the
/// content, and posted; what nobody can be identified for waits in suspense; a bad signature stores nothing.
/// </summary>
public sealed class BankFeedTests(FeesApp app) : IClassFixture<FeesApp>, IAsyncLifetime
{
    private long _memberId;
    private OrgAccount _cell = null!;

    public async Task InitializeAsync()
    {
        var admin = await app.Admin();
        foreach (string period in new[] { "2026-08", "2026-09" })
        {
            var r = await admin.PostAsync($"/api/cycles/{period}/generate", null);
            Assert.True(r.IsSuccessStatusCode || r.StatusCode == HttpStatusCode.Conflict);
        }
        _cell = await app.Account(app.Demo.CellCode);
        _memberId = await app.WithScopeAsync(s => s.GetRequiredService<FeesDbContext>().Members.Where(m => m.MemberNo == app.Demo.CellMemberNo).Select(m => m.Id).SingleAsync());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A member of the cell with no payments yet (each test takes its own, so tests do not share statements).</summary>
    private async Task<(long Id, string No, long Owed)> FreshMember(int index) => await app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<FeesDbContext>();
        var row = await (from st in db.Statements
                         where st.OrgId == _cell.OrgId && st.Status == DuesStatementStatus.Issued && st.Amount > Fees.Domain.Amounts.Money.Zero
                         group st by st.MemberId into g
                         where g.Count() == 2
                         orderby g.Key
                         select g.Key).Skip(index).FirstAsync();
        var statements = await db.Statements.Where(st => st.MemberId == row).ToListAsync();
        string no = await db.Members.Where(m => m.Id == row).Select(m => m.MemberNo).SingleAsync();
        return (row, no, statements.Sum(st => st.Amount.Dong));
    });

    private async Task<JsonElement> Statements(string memberNo) =>
        await (await app.Admin()).GetFromJsonAsync<JsonElement>($"/api/members/{memberNo}/statements");

    private async Task<long> Count(string sql)
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task ATransferWithTheMembersReference_RewrittenByTheBank_PaysBothMonthsOldestFirst()
    {
        var (id, no, owed) = await FreshMember(0);
        string reference = PaymentReference.ForMember(id).Value;
        string content = $"MBVCB.1457193831.{reference[..4]} {reference[4..]}.CT tu 0291000285902 NGUYEN VAN A toi 0071000962707";

        var (response, body) = await app.Pay(_cell, owed, content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("matched", body.GetProperty("status").GetString());
        var statements = await Statements(no);
        Assert.All(statements.EnumerateArray(), s => Assert.Equal("paid", s.GetProperty("status").GetString()));
        long receiptId = body.GetProperty("receiptId").GetInt64();
        var receipt = await (await app.ClientFor("thuquy", "thuquy-demo")).GetFromJsonAsync<JsonElement>($"/api/receipts/{receiptId}");
        Assert.Equal(owed, receipt.GetProperty("amount").GetInt64());
        Assert.Equal(app.Demo.CellCode, receipt.GetProperty("orgCode").GetString());
        Assert.Equal(["2026-08", "2026-09"], receipt.GetProperty("allocations").EnumerateArray().Select(a => a.GetProperty("period").GetString()));
        Assert.All(receipt.GetProperty("allocations").EnumerateArray(), a => Assert.Equal(no, a.GetProperty("memberNo").GetString()));
    }

    [Fact]
    public async Task APartialPayment_LeavesTheOldestMonthPartlyPaid_AndAnOverpaymentBecomesCredit()
    {
        var (id, no, owed) = await FreshMember(1);
        string reference = PaymentReference.ForMember(id).Value;
        var (_, partial) = await app.Pay(_cell, 1_000, $"{reference} dong phi");
        Assert.Equal("matched", partial.GetProperty("status").GetString());
        var statements = (await Statements(no)).EnumerateArray().ToList();
        Assert.Equal("partially_paid", statements[0].GetProperty("status").GetString());
        Assert.Equal(1_000, statements[0].GetProperty("paid").GetInt64());
        Assert.Equal("issued", statements[1].GetProperty("status").GetString());

        var (_, over) = await app.Pay(_cell, owed, $"{reference} dong phi");
        Assert.Equal("matched", over.GetProperty("status").GetString());
        Assert.All((await Statements(no)).EnumerateArray(), s => Assert.Equal("paid", s.GetProperty("status").GetString()));
        var receipt = await (await app.Admin()).GetFromJsonAsync<JsonElement>($"/api/receipts/{over.GetProperty("receiptId").GetInt64()}");
        Assert.Equal(1_000, receipt.GetProperty("credited").GetInt64());
    }

    [Fact]
    public async Task TheSameNotificationTwentyTimesAtOnce_IsBookedOnce_AndEveryRedeliveryNamesTheOriginalReceipt()
    {
        var (id, _, owed) = await FreshMember(2);
        string body = BankFeed.GenericBody(BankFeed.NewTransactionId(), _cell, owed, PaymentReference.ForMember(id).Value, app.Clock.GetUtcNow());
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var client = app.CreateClient();
            var r = await client.PostGeneric(body);
            return (r.StatusCode, Body: await r.Content.ReadFromJsonAsync<JsonElement>());
        }));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(responses, r => r.Body.GetProperty("status").GetString() == "matched");
        Assert.Equal(19, responses.Count(r => r.Body.GetProperty("status").GetString() == "duplicate"));
        Assert.Single(responses.Select(r => r.Body.GetProperty("receiptId").GetInt64()).Distinct());
        long receiptId = responses[0].Body.GetProperty("receiptId").GetInt64();
        Assert.Equal(1, await Count($"select count(*) from receipts where id = {receiptId}"));
        Assert.Equal(1, await Count($"select count(*) from ledger_entries e join bank_transactions t on e.source_id = 'bt-' || t.id join receipts r on r.bank_transaction_id = t.id where r.id = {receiptId}"));
    }

    [Fact]
    public async Task ABadSignature_Answers401_AndStoresNothing()
    {
        long before = await Count("select count(*) from bank_transactions");
        using var client = app.CreateClient();
        string body = BankFeed.GenericBody(BankFeed.NewTransactionId(), _cell, 50_000, "DTXXXX", app.Clock.GetUtcNow());

        var wrongSecret = await client.PostGeneric(body, secret: "not-the-secret");
        var noSignature = await client.PostAsync("/api/bank/notifications/generic", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Unauthorized, wrongSecret.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, noSignature.StatusCode);
        Assert.Equal(before, await Count("select count(*) from bank_transactions"));
    }

    [Fact]
    public async Task ATransferWithNoReference_WaitsInSuspense_AndTouchesNoStatement()
    {
        long paidBefore = await Count($"select coalesce(sum(paid), 0)::bigint from dues_statements where org_id = {_cell.OrgId}");
        var (response, body) = await app.Pay(_cell, 54_756, "dong dang phi thang 8", counterpartyName: "NGUYEN VAN A");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("unmatched", body.GetProperty("status").GetString());
        Assert.Equal(paidBefore, await Count($"select coalesce(sum(paid), 0)::bigint from dues_statements where org_id = {_cell.OrgId}"));
        var tb = await (await app.Admin()).GetFromJsonAsync<JsonElement>($"/api/orgs/{app.Demo.CellCode}/trial-balance?asOf=2030-01-01");
        Assert.Contains(tb.GetProperty("accounts").EnumerateArray(), a => a.GetProperty("code").GetString()!.Contains("suspense", StringComparison.OrdinalIgnoreCase)
            && a.GetProperty("balance").GetInt64() >= 54_756);
    }

    [Fact]
    public async Task AWrongCheckCharacter_IsNeverPosted()
    {
        var (id, no, _) = await FreshMember(3);
        string reference = PaymentReference.ForMember(id).Value;
        char last = reference[^1];
        string wrong = reference[..^1] + (last == '2' ? '3' : '2');
        var (_, body) = await app.Pay(_cell, 10_000, wrong + " dang phi");
        Assert.Equal("unmatched", body.GetProperty("status").GetString());
        Assert.All((await Statements(no)).EnumerateArray(), s => Assert.Equal(0, s.GetProperty("paid").GetInt64()));
    }

    [Fact]
    public async Task AnOutgoingTransfer_AndACreditToAnAccountWeDoNotKeep_AreRecordedButNeverDues()
    {
        using var client = app.CreateClient();
        string outgoing = BankFeed.GenericBody(BankFeed.NewTransactionId(), _cell, -20_000, "chuyen tra", app.Clock.GetUtcNow());
        var o = await client.PostGeneric(outgoing);
        Assert.Equal("ignored", (await o.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        var stranger = _cell with { Number = "9999999999" };
        var s = await client.PostGeneric(BankFeed.GenericBody(BankFeed.NewTransactionId(), stranger, 20_000, "DP xxx", app.Clock.GetUtcNow()));
        Assert.Equal("ignored", (await s.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task AMalformedNotification_IsA400NamingTheField_AndStoresNothing()
    {
        long before = await Count("select count(*) from bank_transactions");
        using var client = app.CreateClient();
        var r = await client.PostGeneric("{\"transactionId\":\"x\",\"bankBin\":\"970436\",\"accountNumber\":\"1\",\"amount\":\"lots\",\"content\":\"\",\"bookedAt\":\"2026-12-02T10:00:00+07:00\"}");
        Assert.Equal(HttpStatusCode.BadRequest, r.StatusCode);
        var problem = await r.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("$.amount", out _), problem.ToString());
        Assert.Equal(before, await Count("select count(*) from bank_transactions"));
    }

    [Fact]
    public async Task AfterPayments_EveryAuditCheckPasses()
    {
        var (id, _, owed) = await FreshMember(4);
        await app.Pay(_cell, owed + 5_000, PaymentReference.ForMember(id).Value);
        await app.Pay(_cell, 7_000, "khong ro");
        var checks = await (await app.Admin()).GetFromJsonAsync<JsonElement>("/api/audit/checks");
        Assert.All(checks.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.ToString()));
        Assert.Contains(checks.GetProperty("checks").EnumerateArray(), c => c.GetProperty("name").GetString() == "receipts-booked-once");
    }
}
