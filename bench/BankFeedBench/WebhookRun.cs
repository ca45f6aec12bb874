using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Fees.BankGateway.Providers;
using Fees.Domain.Receipts;
using Fees.Domain.Time;
using Fees.Persistence.Ledger;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Bench;

/// <summary>
/// Webhooks through the service: the service in its own process on a loopback port, 32 senders each posting signed
/// <c>generic</c> notifications one after another (a closed loop: a sender sends its next when the last is answered),
/// every notification paying one real outstanding month of a member, spread over the province's organizations.
/// Measures each request's latency, then waits until every notification is booked (the 202s' jobs included), then
/// checks the books.
/// </summary>
internal static class WebhookRun
{
    private const int Senders = 32;
    private const string Secret = "bench-generic-secret";

    public static async Task<int> Run(int notifications, int members, bool profile)
    {
        await using var cluster = await BenchCluster.StartAsync(profile);
        var connections = await cluster.NewDatabase("fees_bench", profile);
        // One receipt signing key for the service (configured, as a deployment would) and for this run's audit checks.
        using var key = ReceiptSigningKey.Generate();
        await using var provider = await Province.Services(connections, s => s.AddSingleton(key));
        await Province.Load(provider, members);
        var payers = await Province.Payers(connections.Owner);
        int warmup = Math.Min(1_000, notifications / 10);
        var plan = Plan(payers, warmup + notifications);
        string machine = await cluster.Describe();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Webhooks: {notifications:N0} notifications (after {warmup:N0} to warm up) from {Senders} senders, {plan.Select(p => p.Account).Distinct().Count():N0} organizations' accounts, {payers.Count:N0} members who owe; {machine}"));

        await using var service = await ServiceProcess.StartAsync(connections, cluster.Directory("service"), Secret, key.ExportPrivateKeyPem());
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Senders, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = service.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

        // Warm up (JIT, pools, prepared statements), then let the books settle.
        await Send(http, plan.Take(warmup).ToList());
        await Drained(connections.Owner, warmup, TimeSpan.FromMinutes(5));
        if (profile)
        {
            await cluster.Execute(connections.Owner, "select pg_stat_statements_reset()");
        }

        var measured = plan.Skip(warmup).ToList();
        var serviceCpu = service.CpuTime();
        var serverCpu = cluster.ServerCpuTime();
        var benchCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var results = await Send(http, measured);
        double sent = clock.Elapsed.TotalSeconds;
        double booked = await Drained(connections.Owner, warmup + notifications, TimeSpan.FromMinutes(10)) is { } at ? at : double.NaN;
        double bookedAt = clock.Elapsed.TotalSeconds;
        serviceCpu = service.CpuTime() - serviceCpu;
        serverCpu = cluster.ServerCpuTime() - serverCpu;
        benchCpu = Process.GetCurrentProcess().TotalProcessorTime - benchCpu;

        var latencies = results.Select(r => r.Milliseconds).Order().ToArray();
        var statuses = results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count():N0}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"requests        {notifications / sent,8:N0} /s   ({notifications:N0} answered in {sent:F2} s; {string.Join(", ", statuses)})"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency         p50 {Quantile(latencies, 0.50),6:F1} ms   p95 {Quantile(latencies, 0.95),6:F1} ms   p99 {Quantile(latencies, 0.99),6:F1} ms   max {latencies[^1],7:F1} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"fully booked    {notifications / bookedAt,8:N0} /s   (stored, matched, posted and receipted: all {notifications:N0} in {bookedAt:F2} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU during the run: service {serviceCpu.TotalSeconds:F1} s, PostgreSQL {serverCpu.TotalSeconds:F1} s, senders {benchCpu.TotalSeconds:F1} s (of {2 * bookedAt:F1} s on 2 cores); service peak RSS {service.PeakResidentBytes() / 1e6:F0} MB"));
        _ = booked;

        int failures = await Verify(provider, connections.Owner, warmup + notifications);
        if (profile)
        {
            Console.WriteLine("pg_stat_statements, the measured run, by total time:");
            foreach (string line in await BenchCluster.TopStatements(connections.Owner, 25))
            {
                Console.WriteLine("  " + line);
            }
        }
        return failures;
    }

    internal sealed record Notification(int Sender, string Body, string Account);

    internal sealed record Result(int Status, double Milliseconds);

    /// <summary>
    /// The transfers of <see cref="Province.Transfers"/>, each paying the oldest month left; a payer's notifications all go through one sender, in
    /// order, so each pays exactly the month it names.
    /// </summary>
    private static List<Notification> Plan(List<Payer> payers, int count)
    {
        var plan = new List<Notification>(count);
        var bookedAt = VietnamTime.ToVietnam(DateTimeOffset.UtcNow);
        string run = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        int n = 0;
        foreach (var (p, payer, amount) in Province.Transfers(payers, count))
        {
            string body = JsonSerializer.Serialize(new Dictionary<string, object?>
            {
                ["transactionId"] = string.Create(CultureInfo.InvariantCulture, $"BENCH{run}{n:D8}"),
                ["bankBin"] = payer.Bin,
                ["accountNumber"] = payer.Account,
                ["amount"] = amount,
                ["content"] = Province.Content(payer.Reference, n),
                ["bookedAt"] = bookedAt.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
                ["counterpartyName"] = "NGUYEN VAN A",
            });
            plan.Add(new Notification(p % Senders, body, payer.Account));
            n++;
        }
        return plan;
    }

    private static async Task<List<Result>> Send(HttpClient http, List<Notification> plan)
    {
        var perSender = plan.GroupBy(n => n.Sender).Select(g => g.ToList()).ToList();
        var results = await Task.WhenAll(perSender.Select(queue => Task.Run(async () =>
        {
            var mine = new List<Result>(queue.Count);
            foreach (var n in queue)
            {
                byte[] body = Encoding.UTF8.GetBytes(n.Body);
                using var content = new ByteArrayContent(body);
                content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
                content.Headers.Add(GenericSignature.HeaderName, GenericSignature.Sign(Secret, body));
                long start = Stopwatch.GetTimestamp();
                using var response = await http.PostAsync("/api/bank/notifications/generic", content);
                _ = await response.Content.ReadAsByteArrayAsync();
                mine.Add(new Result((int)response.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds));
                if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.Accepted))
                {
                    Console.Error.WriteLine($"HTTP {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                }
            }
            return mine;
        })));
        return results.SelectMany(r => r).ToList();
    }

    /// <summary>Waits until <paramref name="expected"/> bench transactions are in the inbox and none waits to be booked.</summary>
    private static async Task<double?> Drained(string owner, int expected, TimeSpan limit)
    {
        var waited = Stopwatch.StartNew();
        await using var conn = new NpgsqlConnection(owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select count(*), count(*) filter (where state = 'accepted') from bank_transactions where transaction_id like 'BENCH%'", conn);
        while (waited.Elapsed < limit)
        {
            await using (var r = await cmd.ExecuteReaderAsync())
            {
                await r.ReadAsync();
                if (r.GetInt64(0) >= expected && r.GetInt64(1) == 0)
                {
                    return waited.Elapsed.TotalSeconds;
                }
            }
            await Task.Delay(20);
        }
        Console.Error.WriteLine("Not every notification was booked in time.");
        return null;
    }

    /// <summary>Every notification sent is one receipt, matched, one ledger entry, one month paid; every organization's books balance; every audit check passes.</summary>
    internal static async Task<int> Verify(IServiceProvider provider, string owner, int sent)
    {
        int failures = 0;
        await using var conn = new NpgsqlConnection(owner);
        await conn.OpenAsync();
        await using (var cmd = new NpgsqlCommand("""
            select count(*), count(r.id), count(*) filter (where r.status = 'matched'), count(distinct e.id),
                   (select count(*) from (select org_id from ledger_postings group by org_id having sum(amount) <> 0) x),
                   (select count(*) from payment_receipts pr join receipts r2 on r2.id = pr.receipt_id join bank_transactions t2 on t2.id = r2.bank_transaction_id
                    where t2.transaction_id like 'BENCH%')
            from bank_transactions t
            left join receipts r on r.bank_transaction_id = t.id
            left join ledger_entries e on e.source_kind = 1 and e.source_id = 'bt-' || t.id
            where t.transaction_id like 'BENCH%'
            """, conn) { CommandTimeout = 0 })
        {
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            long stored = r.GetInt64(0), receipts = r.GetInt64(1), matched = r.GetInt64(2), entries = r.GetInt64(3), unbalanced = r.GetInt64(4), bienLai = r.GetInt64(5);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"verified        sent {sent:N0}: stored {stored:N0}, receipts {receipts:N0} ({matched:N0} matched), ledger entries {entries:N0}, biên lai {bienLai:N0}; organizations whose books do not balance: {unbalanced}"));
            failures += stored == sent && receipts == sent && matched == sent && entries == sent && bienLai == sent && unbalanced == 0 ? 0 : 1;
        }
        await using (var cmd = new NpgsqlCommand("""
            select coalesce(r.resolution, t.state), count(*), min(t.content) from bank_transactions t left join receipts r on r.bank_transaction_id = t.id
            where t.transaction_id like 'BENCH%' and r.status is distinct from 'matched' group by 1 order by 1
            """, conn))
        {
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  not matched: {r.GetString(0)} {r.GetInt64(1):N0} (e.g. '{r.GetString(2)}')"));
            }
        }
        var checks = await provider.GetRequiredService<AuditCheckRunner>().RunAll("");
        var failed = checks.Where(c => !c.Passed).Select(c => c.Name).ToList();
        Console.WriteLine($"audit checks    {checks.Count - failed.Count} of {checks.Count} pass{(failed.Count > 0 ? "; failed: " + string.Join(", ", failed) : "")}");
        return failures + failed.Count;
    }

    private static double Quantile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];
}
