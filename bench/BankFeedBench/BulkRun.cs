using System.Diagnostics;
using System.Globalization;
using Fees.Persistence.Bank;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Bench;

/// <summary>
/// The bulk path: a backlog of stored history transactions (each paying one real outstanding month of a member, spread
/// over the province's organizations) booked by <see cref="BankInbox.ProcessBatch"/> (the set-based
/// <see cref="ReceiptBooking.BookBatch"/>), <c>batch</c> rows per transaction, by <c>workers</c> concurrent loops (each on its
/// own lane of the receiving accounts, or with <c>--shared</c> all on the whole backlog); then
/// the books are checked as for the webhook run.
/// </summary>
internal static class BulkRun
{
    public static async Task<int> Run(int transactions, int members, int batch, int workers, bool shared, bool profile)
    {
        await using var cluster = await BenchCluster.StartAsync(profile);
        var connections = await cluster.NewDatabase("fees_bench", profile);
        using var key = Fees.Domain.Receipts.ReceiptSigningKey.Generate();
        await using var provider = await Province.Services(connections, s => s.AddSingleton(key));
        await Province.Load(provider, members);
        var payers = await Province.Payers(connections.Owner);
        string machine = await cluster.Describe();

        // A small warm-up backlog (JIT, plans), booked and left in the books; then the measured backlog.
        int warmup = Math.Min(2_000, transactions / 10);
        var sw = Stopwatch.StartNew();
        await BulkBacklog.Stage(connections.Owner, payers, 0, warmup);
        await BulkBacklog.Drain(provider, batch, workers, shared);
        await BulkBacklog.Stage(connections.Owner, payers, warmup, warmup + transactions);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Bulk: {transactions:N0} stored transactions (after {warmup:N0} to warm up, staged with COPY in {sw.Elapsed.TotalSeconds:F1} s), batches of {batch:N0}, {workers} workers ({(shared || workers == 1 ? "all on the whole backlog" : "each on its own lane of the receiving accounts")}), {payers.Count:N0} members who owe; {machine}"));
        if (profile)
        {
            await cluster.Execute(connections.Owner, "select pg_stat_statements_reset()");
        }

        var serverCpu = cluster.ServerCpuTime();
        var me = Process.GetCurrentProcess();
        var benchCpu = me.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        int booked = await BulkBacklog.Drain(provider, batch, workers, shared);
        double seconds = clock.Elapsed.TotalSeconds;
        serverCpu = cluster.ServerCpuTime() - serverCpu;
        me.Refresh();
        benchCpu = me.TotalProcessorTime - benchCpu;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"booked          {booked / seconds,8:N0} receipts/s   ({booked:N0} matched, posted and receipted in {seconds:F2} s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU during the run: booking process {benchCpu.TotalSeconds:F1} s, PostgreSQL {serverCpu.TotalSeconds:F1} s (of {2 * seconds:F1} s on 2 cores); peak working set of the booking process {me.PeakWorkingSet64 / 1e6:F0} MB"));

        int failures = booked == transactions ? 0 : 1;
        failures += await WebhookRun.Verify(provider, connections.Owner, warmup + transactions);
        if (profile)
        {
            Console.WriteLine("pg_stat_statements, the measured run, by total time:");
            foreach (string line in await BenchCluster.TopStatements(connections.Owner, 15))
            {
                Console.WriteLine("  " + line);
            }
            string plans = Path.Combine(Path.GetTempPath(), "bankfeedbench-bulk-server.log");
            File.Copy(cluster.ServerLog, plans, overwrite: true);
            Console.WriteLine($"plans of statements slower than 1 s (auto_explain): {plans}");
        }
        return failures;
    }
}
