using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.Bank;
using Fees.Persistence.Database;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests.Bank;

/// <summary>
/// Receipts are partitioned by period (the month of their booking day): a receipt lands in its month's partition and
/// what names it (allocations, biên lai, treasurer actions) names that month; a bank line of a month that has no
/// partition yet is booked all the same (the month is made first), once however many deliveries race, by every path
/// (one notification, the webhooks' batch, the backlog); and the keys, checks and audit hold against a partition.
/// </summary>
public sealed class ReceiptPartitionTests(FeesApp app) : IClassFixture<FeesApp>, IAsyncLifetime
{
    private OrgAccount _cell = null!;

    public async Task InitializeAsync()
    {
        var admin = await app.Admin();
        var r = await admin.PostAsync("/api/cycles/2026-08/generate", null);
        Assert.True(r.IsSuccessStatusCode || r.StatusCode == HttpStatusCode.Conflict);
        _cell = await app.Account(app.Demo.CellCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A member of the cell with an unpaid statement (each test takes its own).</summary>
    private async Task<(long Id, string No, long Owed)> FreshMember(int index) => await app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<FeesDbContext>();
        var row = await (from st in db.Statements
                         where st.OrgId == _cell.OrgId && st.Status == DuesStatementStatus.Issued && st.Amount > Fees.Domain.Amounts.Money.Zero
                         orderby st.MemberId
                         select new { st.MemberId, st.Amount }).Skip(index).FirstAsync();
        string no = await db.Members.Where(m => m.Id == row.MemberId).Select(m => m.MemberNo).SingleAsync();
        return (row.MemberId, no, row.Amount.Dong);
    });

    [Fact]
    public async Task AReceipt_LandsInItsMonthsPartition_AndWhatNamesItNamesThatMonth()
    {
        var (id, no, owed) = await FreshMember(0);
        var (response, body) = await app.Pay(_cell, owed + 2_000, PaymentReference.ForMember(id).Value);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("matched", body.GetProperty("status").GetString());
        long receiptId = body.GetProperty("receiptId").GetInt64();
        var month = VietnamTime.CurrentPeriod(app.Clock);

        Assert.Equal(PeriodPartitions.PartitionOf("receipts", month), await Text($"select tableoid::regclass::text from receipts where id = {receiptId}"));
        Assert.Equal(month.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), await Text($"select period::text from receipts where id = {receiptId}"));
        // The allocation is in its statement's month (August), and names its receipt's (this month).
        Assert.Equal($"{PeriodPartitions.PartitionOf("receipt_allocations", Period.FirstOnSystem)} {month.FirstDay:yyyy-MM-dd}",
            await Text($"select tableoid::regclass::text || ' ' || receipt_period from receipt_allocations where receipt_id = {receiptId}"));
        Assert.Equal($"{month.FirstDay:yyyy-MM-dd}", await Text($"select receipt_period::text from payment_receipts where receipt_id = {receiptId}"));

        // A cash receipt is in the month of the day it was taken, and the treasurer's action names that month too.
        var (cashMember, cashNo, cashOwed) = await FreshMember(1);
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        var cash = await treasurer.PostAsJsonAsync($"/api/orgs/{app.Demo.CellCode}/cash-receipts",
            new { memberNo = cashNo, amount = cashOwed, receivedOn = Period.FirstOnSystem.FirstDay.AddDays(20).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Created, cash.StatusCode);
        long cashId = (await cash.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("receiptId").GetInt64();
        Assert.Equal(PeriodPartitions.PartitionOf("receipts", Period.FirstOnSystem), await Text($"select tableoid::regclass::text from receipts where id = {cashId}"));
        Assert.Equal("2026-08-01", await Text($"select receipt_period::text from treasurer_actions where receipt_id = {cashId}"));
        Assert.NotEqual(0, cashMember);
        Assert.False(string.IsNullOrEmpty(no));

        // The receipt's page and the month's reconciliation read it by its month.
        var page = await treasurer.GetFromJsonAsync<JsonElement>($"/api/receipts/{receiptId}");
        Assert.Equal(owed + 2_000, page.GetProperty("amount").GetInt64());
        var recon = await treasurer.GetFromJsonAsync<JsonElement>($"/api/orgs/{app.Demo.CellCode}/reconciliation?period={Period.FirstOnSystem}");
        Assert.Contains(recon.GetProperty("receipts").EnumerateArray(), r => r.GetProperty("receiptId").GetInt64() == cashId);
    }

    [Fact]
    public async Task ALineOfAMonthWithoutPartition_IsBooked_OnceUnderTwentyConcurrentDeliveries()
    {
        var old = new DateTimeOffset(2005, 3, 10, 9, 30, 0, TimeSpan.FromHours(7));
        string partition = PeriodPartitions.PartitionOf("receipts", Period.Of(2005, 3));
        Assert.Null(await Text($"select to_regclass('{partition}')::text"));

        string body = BankFeed.GenericBody(BankFeed.NewTransactionId(), _cell, 31_000, "khong ro noi dung", old);
        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(async _ =>
        {
            using var client = app.CreateClient();
            var r = await client.PostGeneric(body);
            return (r.StatusCode, Body: await r.Content.ReadFromJsonAsync<JsonElement>());
        }));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single(responses, r => r.Body.GetProperty("status").GetString() == "unmatched");
        Assert.Equal(19, responses.Count(r => r.Body.GetProperty("status").GetString() == "duplicate"));
        Assert.Single(responses.Select(r => r.Body.GetProperty("receiptId").GetInt64()).Distinct());
        long receiptId = responses[0].Body.GetProperty("receiptId").GetInt64();
        Assert.Equal(partition, await Text($"select tableoid::regclass::text from receipts where id = {receiptId}"));
        Assert.Equal("1", await Text($"select count(*)::text from receipts r join bank_transactions t on t.id = r.bank_transaction_id where t.transaction_id = '{Json(body, "transactionId")}'"));
        // The month was made for every table partitioned by period, once.
        Assert.Equal(PeriodPartitions.Tables.Count.ToString(CultureInfo.InvariantCulture),
            await Text("select count(*)::text from pg_class where relname like '%\\_p2005\\_03' and relkind = 'r'"));
    }

    [Fact]
    public async Task LinesOfNewMonths_AreBooked_ByTheWebhookBatch_AndByTheBacklog()
    {
        // Ten lines of a month past every partition, at once (the webhooks' group commit books them together).
        var future = new DateTimeOffset(2031, 7, 1, 0, 30, 0, TimeSpan.FromHours(7));
        var bodies = Enumerable.Range(0, 10).Select(i => BankFeed.GenericBody(BankFeed.NewTransactionId(), _cell, 10_000 + i, "ung ho " + i, future.AddMinutes(i))).ToList();
        var answers = await Task.WhenAll(bodies.Select(async b =>
        {
            using var client = app.CreateClient();
            var r = await client.PostGeneric(b);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            return await r.Content.ReadFromJsonAsync<JsonElement>();
        }));
        Assert.All(answers, a => Assert.Equal("unmatched", a.GetProperty("status").GetString()));
        Assert.Equal("10", await Text($"select count(*)::text from {PeriodPartitions.PartitionOf("receipts", Period.Of(2031, 7))}"));

        // Stored only (a history page), then booked as a backlog: a line of yet another month.
        var older = new DateTimeOffset(2004, 11, 30, 23, 59, 0, TimeSpan.FromHours(7)); // 2004-11 in Vietnam, 2004-11-30T16:59Z
        string tid = BankFeed.NewTransactionId("H");
        var stored = await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().StoreOnly(
            new InboxEntry("generic", tid, "history", null, _cell.Bin, _cell.Number, null, false, 7_000, "khong ro", null, null, null, null, older,
                Encoding.UTF8.GetBytes("{}"), "{}"), CancellationToken.None));
        Assert.Equal(InboxOutcome.Accepted, stored.Status);
        var booked = await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().ProcessBatch(100, CancellationToken.None));
        Assert.Contains(booked, o => o.InboxId == stored.InboxId && o.ReceiptId is not null);
        Assert.Equal(PeriodPartitions.PartitionOf("receipts", Period.Of(2004, 11)),
            await Text($"select tableoid::regclass::text from receipts where bank_transaction_id = {stored.InboxId}"));
        Assert.Empty(await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().ProcessBatch(100, CancellationToken.None)));
    }

    [Fact]
    public async Task TheKeysAndChecks_HoldAgainstAPartition_AndTheAuditCatchesALineBookedInTwoMonths()
    {
        var (_, body) = await app.Pay(_cell, 12_345, "khong ro");
        long receiptId = body.GetProperty("receiptId").GetInt64();
        long lineId = long.Parse(await Text($"select bank_transaction_id::text from receipts where id = {receiptId}") ?? "0", CultureInfo.InvariantCulture);
        var month = VietnamTime.CurrentPeriod(app.Clock);
        const string Copy = """
            insert into receipts (province_id, org_id, source, bank_transaction_id, amount, status, content, resolution, booked_at, booking_date, period,
                                  recorded_by, created_at, updated_at)
            select province_id, org_id, source, bank_transaction_id, amount, 'unmatched', content, resolution, booked_at, {0}, {1}, 'x', now(), now()
            from receipts where id = {2}
            """;

        await using var asApp = new NpgsqlConnection(app.Database.App);
        await asApp.OpenAsync();
        // The same line again, in the same month's partition: the key refuses it.
        var twice = await Assert.ThrowsAsync<PostgresException>(() => Exec(asApp, string.Format(CultureInfo.InvariantCulture, Copy, "booking_date", "period", receiptId)));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, twice.SqlState);
        Assert.Contains("bank_transaction_id", twice.ConstraintName, StringComparison.Ordinal); // the key's index on this month's partition
        // A period that is not the booking day's month: refused by the check, whichever partition it would go to.
        var wrongMonth = await Assert.ThrowsAsync<PostgresException>(() => Exec(asApp, string.Format(CultureInfo.InvariantCulture, Copy, "booking_date", "date '2026-09-01'", receiptId)));
        Assert.Equal(PostgresErrorCodes.CheckViolation, wrongMonth.SqlState);
        Assert.Equal("ck_receipts_period", wrongMonth.ConstraintName);
        // An allocation naming another month of its receipt points at nothing.
        var allocation = await Assert.ThrowsAsync<PostgresException>(() => Exec(asApp, $"""
            insert into receipt_allocations (province_id, receipt_id, receipt_period, statement_id, member_id, period, org_id, amount, kind, created_by, created_at)
            select r.province_id, r.id, date '2026-09-01', s.id, s.member_id, s.period, s.org_id, 1, 'manual', 'x', now()
            from receipts r cross join lateral (select * from dues_statements where org_id = r.org_id limit 1) s where r.id = {receiptId}
            """));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, allocation.SqlState);
        // A treasurer's action may not name a receipt without its month (a foreign key with a null column is not checked).
        var action = await Assert.ThrowsAsync<PostgresException>(() => Exec(asApp, $"""
            insert into treasurer_actions (province_id, org_id, kind, key, receipt_id, created_by, created_at)
            select province_id, org_id, 'cash', 'tamper', null, 'x', now() from receipts where id = {receiptId};
            update treasurer_actions set receipt_id = {receiptId} where key = 'tamper'
            """));
        Assert.Equal(PostgresErrorCodes.CheckViolation, action.SqlState);
        Assert.Equal("ck_treasurer_actions_receipt_period", action.ConstraintName);

        var admin = await app.Admin();
        Assert.True((await Check(admin)).GetProperty("passed").GetBoolean());
        // The owner (outside the service) books the same line again in another month: no key spans partitions, the audit does.
        var other = month.AddMonths(-1);
        await using (var owner = new NpgsqlConnection(app.Database.Owner))
        {
            await owner.OpenAsync();
            await Exec(owner, string.Format(CultureInfo.InvariantCulture, Copy, $"date '{other.FirstDay:yyyy-MM-dd}'", $"date '{other.FirstDay:yyyy-MM-dd}'", receiptId));
        }
        var tampered = await Check(admin);
        Assert.False(tampered.GetProperty("passed").GetBoolean());
        var details = tampered.GetProperty("violations").EnumerateArray().Select(v => v.GetProperty("detail").GetString()!).ToList();
        Assert.Contains(details, d => d == $"bank line {lineId} has 2 receipts");
        Assert.Contains(details, d => d.StartsWith($"dated {other.FirstDay:yyyy-MM-dd}, its bank line booked ", StringComparison.Ordinal));
        await using (var owner = new NpgsqlConnection(app.Database.Owner))
        {
            await owner.OpenAsync();
            await Exec(owner, $"delete from receipts where bank_transaction_id = {lineId} and period = date '{other.FirstDay:yyyy-MM-dd}'");
        }
        Assert.True((await Check(admin)).GetProperty("passed").GetBoolean());
    }

    private static async Task<JsonElement> Check(HttpClient admin) =>
        (await admin.GetFromJsonAsync<JsonElement>("/api/audit/checks")).GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == ReceiptsCheck.Name);

    private static string Json(string body, string property) => JsonDocument.Parse(body).RootElement.GetProperty(property).GetString()!;

    private static async Task Exec(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private async Task<string?> Text(string sql)
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync() as string;
    }
}
