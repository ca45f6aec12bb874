using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fees.Api.Hosting.Embedded;
using Fees.Api.Jobs;
using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Persistence.Bank;
using Fees.Persistence.Database;
using Fees.Testing;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests.Bank;

/// <summary>
/// Exactly once under faults: a process killed between storing a notification and booking it (the job or the sweeper
/// of the next process books it, once), and PostgreSQL restarted while notifications arrive (each booked once; the
/// service answers 503, never 500, while the database is away, and the banks' retries deliver the rest).
/// </summary>
public sealed class ExactlyOnceTests
{
    [Fact]
    public async Task AProcessKilledBetweenStoringAndBooking_IsBookedOnceByTheNextProcess()
    {
        var database = await TestCluster.NewDatabase("killed");
        OrgAccount cell;
        string body;
        long inboxId;
        await using (var first = new SharedDatabaseApp(database, seedDemo: true))
        {
            await ((IAsyncLifetime)first).InitializeAsync();
            cell = await first.Account(first.Demo.CellCode);
            body = BankFeed.GenericBody(BankFeed.NewTransactionId(), cell, 25_000, "khong ro noi dung", first.Clock.GetUtcNow());
            // What the endpoint does when booking cannot finish: store, enqueue the job… and here the process dies.
            var stored = await first.WithScopeAsync(s => s.GetRequiredService<BankInbox>().StoreOnly(
                new InboxEntry("generic", JsonDocument.Parse(body).RootElement.GetProperty("transactionId").GetString()!, "webhook", null, cell.Bin, cell.Number, null,
                    false, 25_000, "khong ro noi dung", null, null, null, null, first.Clock.GetUtcNow(), Encoding.UTF8.GetBytes(body), "{}"), CancellationToken.None));
            inboxId = stored.InboxId;
            Assert.Equal(InboxOutcome.Accepted, stored.Status);
        }

        await using var second = new SharedDatabaseApp(database, seedDemo: false);
        await ((IAsyncLifetime)second).InitializeAsync();
        using var client = second.CreateClient();
        // A redelivery while it waits: the same transaction, still accepted, nothing booked twice.
        var early = await (await client.PostGeneric(body)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("duplicate", early.GetProperty("status").GetString());

        second.Clock.Advance(BankJobs.SweepAfter + TimeSpan.FromSeconds(1));
        int booked = await second.WithScopeAsync(s => s.GetRequiredService<BankJobs>().SweepPending(CancellationToken.None));
        Assert.Equal(1, booked);
        Assert.Equal(0, await second.WithScopeAsync(s => s.GetRequiredService<BankJobs>().SweepPending(CancellationToken.None)));
        // The job the first process enqueued may run too: it finds the transaction booked and changes nothing.
        await second.WithScopeAsync(async s => { await s.GetRequiredService<BankJobs>().Book(inboxId, CancellationToken.None); return 0; });

        var late = await (await client.PostGeneric(body)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("duplicate", late.GetProperty("status").GetString());
        Assert.True(late.GetProperty("receiptId").GetInt64() > 0);
        await using var conn = new NpgsqlConnection(database.Owner);
        await conn.OpenAsync();
        await using var count = new NpgsqlCommand($"select count(*) from receipts where bank_transaction_id = {inboxId}", conn);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    [Fact]
    public async Task PostgreSqlRestartedWhileNotificationsArrive_EachIsBookedOnce()
    {
        // A cluster of its own: restarting the shared one would pull the floor from under every other test class.
        string root = await TestCluster.TempDirectory();
        var cluster = await PostgresCluster.StartAsync(root, _ => { });
        try
        {
            string appPassword = "restart-" + Guid.NewGuid().ToString("N");
            await DatabaseRoles.EnsureDatabaseAndRole(cluster.ConnectionString(), "fees", appPassword);
            var database = new DatabaseConnections(cluster.ConnectionString("fees"), DatabaseRoles.AppConnectionString(cluster.ConnectionString("fees"), appPassword));
            await using var app = new SharedDatabaseApp(database, seedDemo: true);
            await ((IAsyncLifetime)app).InitializeAsync();
            var cell = await app.Account(app.Demo.CellCode);
            var bodies = Enumerable.Range(0, 120)
                .Select(i => BankFeed.GenericBody(BankFeed.NewTransactionId("RS"), cell, 1_000 + i, "khong ro " + i, app.Clock.GetUtcNow()))
                .ToList();
            using var client = app.CreateClient();
            var statuses = new System.Collections.Concurrent.ConcurrentBag<HttpStatusCode>();

            // Senders behave like the banks: anything but 2xx is retried a moment later.
            var senders = bodies.Select(async (body, i) =>
            {
                await Task.Delay(i * 15);
                for (int attempt = 0; attempt < 200; attempt++)
                {
                    HttpStatusCode code;
                    try
                    {
                        var response = await client.PostGeneric(body);
                        code = response.StatusCode;
                        if (code == HttpStatusCode.InternalServerError)
                        {
                            Console.WriteLine("500 BODY: " + await response.Content.ReadAsStringAsync());
                        }
                    }
                    catch (HttpRequestException)
                    {
                        code = HttpStatusCode.ServiceUnavailable;
                    }
                    statuses.Add(code);
                    if ((int)code is >= 200 and < 300)
                    {
                        return;
                    }
                    await Task.Delay(100);
                }
                throw new InvalidOperationException("A notification was never accepted.");
            }).ToList();
            await Task.Delay(400);
            await cluster.StopAsync(immediate: true);
            await Task.Delay(500);
            cluster = await PostgresCluster.StartAsync(root, _ => { });
            var restarted = System.Diagnostics.Stopwatch.StartNew();
            await Task.WhenAll(senders);
            Console.WriteLine($"all accepted {restarted.Elapsed.TotalSeconds:F1} s after the restart");

            Assert.DoesNotContain(HttpStatusCode.InternalServerError, statuses);
            Assert.Contains(HttpStatusCode.ServiceUnavailable, statuses);
            app.Clock.Advance(BankJobs.SweepAfter + TimeSpan.FromSeconds(1));
            await app.WithScopeAsync(s => s.GetRequiredService<BankJobs>().SweepPending(CancellationToken.None));
            await using var conn = new NpgsqlConnection(database.Owner);
            NpgsqlConnection.ClearPool(conn); // the test's own idle connections died with the server
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                select count(*), count(distinct r.id), count(*) filter (where t.state = 'accepted')
                from bank_transactions t left join receipts r on r.bank_transaction_id = t.id
                where t.transaction_id like 'RS%'
                """, conn);
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            Assert.Equal(bodies.Count, r.GetInt64(0));
            Assert.Equal(bodies.Count, r.GetInt64(1));
            Assert.Equal(0, r.GetInt64(2));
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await cluster.StopAsync(immediate: true);
        }
    }
}
