using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Fees.Api.Bank;
using Fees.Api.Jobs;
using Fees.BankGateway.History;
using Fees.Domain.Dues;
using Fees.Persistence;
using Fees.Testing;
using Hangfire;
using Hangfire.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests.Bank;

/// <summary>
/// Issue 10, items 2 and 3: the providers' history APIs are polled (against a real FakeBank process), so a transfer whose
/// webhook never came is still booked, and a transaction that arrives both ways (even at the same moment) is booked once.
/// </summary>
public sealed class BankPollTests(BankPollApp app) : IClassFixture<BankPollApp>, IAsyncLifetime
{
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
        await app.Bank.AccountAsync(_cell, "CHI BO " + app.Demo.CellCode, "generic", "sepay", "casso");
        await app.Bank.ConfigureAsync(new { faults = new { historyFailNext = 0 } });
        // What earlier tests left unread is read now, so each test's counts are its own.
        await Poll("sepay");
        await Poll("casso");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>A member of the cell with two unpaid months (each test takes its own, so tests share no statements).</summary>
    private async Task<(long Id, string No, long Owed)> Member(int index) => await app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<FeesDbContext>();
        long id = await (from st in db.Statements
                         where st.OrgId == _cell.OrgId && st.Status == DuesStatementStatus.Issued && st.Amount > Fees.Domain.Amounts.Money.Zero
                         group st by st.MemberId into g
                         where g.Count() == 2
                         orderby g.Key
                         select g.Key).Skip(index).FirstAsync();
        var statements = await db.Statements.Where(st => st.MemberId == id).ToListAsync();
        string no = await db.Members.Where(m => m.Id == id).Select(m => m.MemberNo).SingleAsync();
        return (id, no, statements.Sum(st => st.Amount.Dong));
    });

    private Task<JsonNode> Transfer(long memberId, long amount, object delivery, object? rewrite = null, DateTimeOffset? bookedAt = null) =>
        app.Bank.TransferAsync(new
        {
            toBin = _cell.Bin,
            toAccount = _cell.Number,
            amount,
            content = PaymentReference.ForMember(memberId).Value + " Dang phi",
            fromName = "Nguyễn Văn Đức",
            fromAccount = "0011001234567",
            fromBin = "970415",
            rewrite,
            bookedAt,
            delivery,
        });

    private Task<PollRun> Poll(string provider) =>
        app.WithScopeAsync(s => s.GetRequiredService<BankPoller>().Poll(provider, BankPoller.AllAccounts, CancellationToken.None));

    private async Task<JsonElement> Statements(string memberNo) =>
        await (await app.Admin()).GetFromJsonAsync<JsonElement>($"/api/members/{memberNo}/statements");

    /// <summary>Receipts, ledger entries and inbox rows of one bank transaction (by its bank reference).</summary>
    private async Task<(long Inbox, long Receipts, long Entries, long Waiting)> Booked(string bankReference) => (
        await app.OwnerScalar("select count(*) from bank_transactions where bank_reference = @ref", ("ref", bankReference)),
        await app.OwnerScalar("select count(*) from receipts r join bank_transactions t on r.bank_transaction_id = t.id where t.bank_reference = @ref", ("ref", bankReference)),
        await app.OwnerScalar("select count(*) from ledger_entries e join bank_transactions t on e.source_id = 'bt-' || t.id where t.bank_reference = @ref", ("ref", bankReference)),
        await app.OwnerScalar("select count(*) from bank_transactions where bank_reference = @ref and state = 'accepted'", ("ref", bankReference)));

    [Fact]
    public async Task ATransferWhoseWebhookNeverCame_IsBookedByTheSePayPoll_WithTheRecordAsItsRawBody()
    {
        var (id, no, owed) = await Member(0);
        var transfer = await Transfer(id, owed, new { skipWebhook = true }, rewrite: new { preset = "interbank-to-vcb" });
        string reference = (string)transfer["bankReference"]!;

        var run = await Poll("sepay");

        Assert.Null(run.Failure);
        Assert.Equal(1, run.Stored);
        Assert.Equal(1, run.Booked);
        Assert.Empty(await app.Bank.DeliveriesAsync(reference));
        Assert.All((await Statements(no)).EnumerateArray(), s => Assert.Equal("paid", s.GetProperty("status").GetString()));
        Assert.Equal((1L, 1L, 1L, 0L), await Booked(reference));
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select channel, provider, transaction_id, convert_from(raw_body, 'UTF8') from bank_transactions where bank_reference = @ref", conn);
        cmd.Parameters.AddWithValue("ref", reference);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        Assert.Equal("history", r.GetString(0));
        Assert.Equal("sepay", r.GetString(1));
        Assert.Equal(transfer["ids"]!["sepay"]!.ToJsonString(), r.GetString(2));
        var raw = JsonNode.Parse(r.GetString(3))!;
        Assert.Equal(r.GetString(2), (string)raw["id"]!);
        Assert.Equal(reference, (string)raw["reference_number"]!);
        Assert.Equal((string)transfer["content"]!, (string)raw["transaction_content"]!);
    }

    [Fact]
    public async Task ATransferWhoseWebhookNeverCame_IsBookedByTheCassoPoll()
    {
        var (id, no, owed) = await Member(1);
        var transfer = await Transfer(id, owed, new { skipWebhook = true });
        string reference = (string)transfer["bankReference"]!;

        var run = await Poll("casso");

        Assert.Null(run.Failure);
        Assert.Equal(1, run.Booked);
        Assert.All((await Statements(no)).EnumerateArray(), s => Assert.Equal("paid", s.GetProperty("status").GetString()));
        Assert.Equal((1L, 1L, 1L, 0L), await Booked(reference));
        Assert.Equal(1, await app.OwnerScalar("select count(*) from bank_transactions where bank_reference = @ref and provider = 'casso' and channel = 'history'", ("ref", reference)));
    }

    [Fact]
    public async Task ATransferDeliveredByWebhook_AndPolledByBothProviders_IsBookedOnce()
    {
        var (id, no, owed) = await Member(2);
        var transfer = await Transfer(id, owed, new { providers = new[] { "sepay" } });
        string reference = (string)transfer["bankReference"]!;
        await app.Bank.WaitIdleAsync();
        var delivery = Assert.Single(await app.Bank.DeliveriesAsync(reference))!;
        Assert.Equal(200, (int)delivery["statusCode"]!);

        var sepay = await Poll("sepay");
        var casso = await Poll("casso");

        // SePay's history row has the webhook's id; Casso's has its own id but the same bank reference and account.
        Assert.Equal((0, 1), (sepay.Stored, sepay.Duplicates));
        Assert.Equal((0, 1), (casso.Stored, casso.Duplicates));
        Assert.Equal((1L, 1L, 1L, 0L), await Booked(reference));
        Assert.Equal(1, await app.OwnerScalar("select count(*) from bank_transactions where bank_reference = @ref and channel = 'webhook'", ("ref", reference)));
        Assert.All((await Statements(no)).EnumerateArray(), s => Assert.Equal("paid", s.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task TheWebhookAndThePollRacingOnOneTransaction_BookItOnce_EveryTime()
    {
        var (id, _, _) = await Member(3);
        const int rounds = 12;
        const long amount = 100;
        var references = new List<string>();
        for (int i = 0; i < rounds; i++)
        {
            // Two copies of the webhook wait on FakeBank's clock; advancing it sends them at the moment two polls start.
            var transfer = await Transfer(id, amount, new { providers = new[] { "sepay" }, delayMs = 1, copies = 2, concurrent = true });
            references.Add((string)transfer["bankReference"]!);
            await Task.WhenAll(app.Bank.AdvanceAsync(TimeSpan.FromMilliseconds(1)), Poll("sepay"), Poll("sepay"));
            await app.Bank.WaitIdleAsync();
        }
        await Poll("sepay");

        foreach (string reference in references)
        {
            Assert.Equal((1L, 1L, 1L, 0L), await Booked(reference));
            var deliveries = await app.Bank.DeliveriesAsync(reference);
            Assert.Equal(2, deliveries.Count);
            Assert.All(deliveries, d => Assert.Equal(200, (int)d!["statusCode"]!));
        }
        long member = await app.OwnerScalar("select coalesce(sum(paid), 0) from dues_statements where member_id = @id", ("id", id));
        long credited = await app.OwnerScalar("select coalesce(sum(credited), 0) from receipts where member_id = @id", ("id", id));
        Assert.Equal(rounds * amount, member + credited);
        Assert.Equal(rounds, await app.OwnerScalar("select count(*) from receipts where member_id = @id", ("id", id)));
    }

    [Fact]
    public async Task RereadingAPage_AfterTheCursorWasRewound_StoresAndBooksNothingTwice()
    {
        var (id, _, owed) = await Member(4);
        var transfer = await Transfer(id, owed, new { skipWebhook = true });
        string reference = (string)transfer["bankReference"]!;
        await Poll("sepay");
        long receipts = await app.OwnerScalar("select count(*) from receipts");

        // As if the commit that moved the cursor had never happened: the next poll reads everything again.
        await using (var conn = new NpgsqlConnection(app.Database.Owner))
        {
            await conn.OpenAsync();
            await using var rewind = new NpgsqlCommand("update bank_poll_cursors set cursor = jsonb_set(cursor, '{lastId}', '0') where provider = 'sepay'", conn);
            Assert.Equal(1, await rewind.ExecuteNonQueryAsync());
        }
        var again = await Poll("sepay");

        Assert.Null(again.Failure);
        Assert.Equal(0, again.Stored);
        Assert.True(again.Duplicates >= 1, $"{again.Duplicates} duplicates");
        Assert.Equal(receipts, await app.OwnerScalar("select count(*) from receipts"));
        Assert.Equal((1L, 1L, 1L, 0L), await Booked(reference));
    }

    [Fact]
    public async Task ATransientHistoryFailure_IsRetriedByTheResilienceHandler_AndThePollBooks()
    {
        var (id, _, owed) = await Member(5);
        var transfer = await Transfer(id, owed, new { skipWebhook = true });
        await app.Bank.ConfigureAsync(new { faults = new { historyFailNext = 1, historyFailStatus = 503 } });

        var run = await Poll("sepay");

        Assert.Null(run.Failure);
        Assert.Equal(1, run.Booked);
        Assert.Equal((1L, 1L, 1L, 0L), await Booked((string)transfer["bankReference"]!));
    }

    [Fact]
    public async Task AHistoryOutage_IsAValue_TheCursorStays_AndTheNextPollBooks()
    {
        var (id, _, owed) = await Member(6);
        var transfer = await Transfer(id, owed, new { skipWebhook = true });
        string reference = (string)transfer["bankReference"]!;
        await Poll("sepay");
        await Transfer(id, 1_000, new { skipWebhook = true });
        string before = await CursorJson("sepay");
        await app.Bank.ConfigureAsync(new { faults = new { historyFailNext = 100, historyFailStatus = 503 } });

        var failed = await Poll("sepay");

        Assert.Equal(HistoryFailureKind.ProviderUnavailable, failed.Failure);
        Assert.Equal(0, failed.Stored);
        Assert.Equal(before, await CursorJson("sepay"));
        Assert.Equal(1, await app.OwnerScalar("select count(*) from bank_poll_cursors where provider = 'sepay' and last_error like 'ProviderUnavailable%'"));

        await app.Bank.ConfigureAsync(new { faults = new { historyFailNext = 0 } });
        var next = await Poll("sepay");

        Assert.Null(next.Failure);
        Assert.Equal(1, next.Booked);
        Assert.Equal(0, await app.OwnerScalar("select count(*) from bank_poll_cursors where provider = 'sepay' and last_error is not null"));
        Assert.Equal((1L, 1L, 1L, 0L), await Booked(reference));
    }

    [Fact]
    public async Task ATransactionBookedBeforeTheFirstDayPolled_IsPassedOver()
    {
        var (id, _, _) = await Member(7);
        await Poll("sepay");
        var old = await Transfer(id, 5_000, new { skipWebhook = true }, bookedAt: FeesApp.Today.AddDays(-3));

        var run = await Poll("sepay");

        Assert.Equal(1, run.Skipped);
        Assert.Equal(0, run.Stored);
        Assert.Equal(0, await app.OwnerScalar("select count(*) from bank_transactions where bank_reference = @ref", ("ref", (string)old["bankReference"]!)));
    }

    [Fact]
    public void PollTargets_AreOnePerConfiguredAccount_OrAllAccountsWhenNoneIsListed()
    {
        var services = new ServiceCollection();
        services.AddOptions<BankPollingOptions>();
        services.AddOptions<SePayHistoryOptions>().Configure(o =>
        {
            o.ApiToken = "t";
            o.Accounts = ["0071000123456", "1903456789", "0071000123456"];
        });
        services.AddOptions<CassoHistoryOptions>().Configure(o => o.ApiKey = "k");
        using var provider = services.BuildServiceProvider();

        Assert.Equal([("sepay", "0071000123456"), ("sepay", "1903456789"), ("casso", BankPoller.AllAccounts)], BankPollJobs.Targets(provider));
    }

    [Fact]
    public async Task PollJobs_AreScheduledPerTarget_AndAStaleOneIsRemoved()
    {
        var recurring = app.Services.GetRequiredService<IRecurringJobManager>();
        recurring.AddOrUpdate<BankPollJobs>(BankPollJobs.JobId("sepay", "999999"), j => j.Poll("sepay", "999999", CancellationToken.None), Cron.Never());

        await app.WithScopeAsync(s =>
        {
            BankPollJobs.Schedule(s);
            return Task.FromResult(0);
        });

        using var connection = app.Services.GetRequiredService<JobStorage>().GetConnection();
        var ids = connection.GetRecurringJobs().Select(j => j.Id).Where(i => i.StartsWith(BankPollJobs.JobIdPrefix, StringComparison.Ordinal)).Order().ToList();
        Assert.Equal(["bank-poll-casso-all", "bank-poll-sepay-all"], ids);
    }

    private async Task<string> CursorJson(string provider)
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select cursor::text from bank_poll_cursors where provider = @p", conn);
        cmd.Parameters.AddWithValue("p", provider);
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
