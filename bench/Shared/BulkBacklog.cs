using System.Globalization;
using System.Text;
using Fees.Persistence.Bank;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NpgsqlTypes;

namespace Fees.Bench;

/// <summary>
/// A backlog of stored bank transactions for the bulk path, shared by BankFeedBench and NationalBench: staged with one
/// binary COPY, then booked by <see cref="BankInbox.ProcessBatch"/> (the set-based booking) in concurrent loops.
/// </summary>
internal static class BulkBacklog
{
    /// <summary>
    /// Books until nothing waits, with <paramref name="workers"/> concurrent loops, each on its own lane of the receiving
    /// accounts (<see cref="BacklogLane"/>), or all on the whole backlog when <paramref name="shared"/>.
    /// </summary>
    internal static async Task<int> Drain(IServiceProvider provider, int batch, int workers, bool shared = false)
    {
        var lanes = shared ? Enumerable.Repeat(BacklogLane.All, workers).ToList() : BacklogLane.Split(workers);
        var counts = await Task.WhenAll(lanes.Select(lane => Task.Run(async () =>
        {
            int mine = 0;
            while (true)
            {
                await using var scope = provider.CreateAsyncScope();
                var done = await scope.ServiceProvider.GetRequiredService<BankInbox>().ProcessBatch(batch, lane, CancellationToken.None);
                if (done.Count == 0)
                {
                    return mine;
                }
                mine += done.Count;
            }
        })));
        return counts.Sum();
    }

    /// <summary>
    /// Stores transactions <paramref name="from"/>…<paramref name="to"/> of the plan in the inbox with one binary COPY
    /// (as a history import would leave them: state <c>accepted</c>), in the order of <see cref="Province.Transfers"/>;
    /// their bank ids are <paramref name="prefix"/> and the transfer's number.
    /// </summary>
    internal static async Task Stage(string owner, List<Payer> payers, int from, int to, string prefix = "BENCH")
    {
        var bookedAt = DateTimeOffset.UtcNow;
        await using var conn = new NpgsqlConnection(owner);
        await conn.OpenAsync();
        await using var copy = await conn.BeginBinaryImportAsync("""
            copy bank_transactions (provider, transaction_id, channel, bank_bin, account_number, direction, amount, content, counterparty_name,
                                    booked_at, received_at, raw_body, raw_headers) from stdin (format binary)
            """);
        int n = from;
        foreach (var (_, payer, amount) in Province.Transfers(payers, to).Skip(from))
        {
            string tid = string.Create(CultureInfo.InvariantCulture, $"{prefix}{n:D9}");
            await copy.StartRowAsync();
            await copy.WriteAsync("generic", NpgsqlDbType.Text);
            await copy.WriteAsync(tid, NpgsqlDbType.Text);
            await copy.WriteAsync("history", NpgsqlDbType.Text);
            await copy.WriteAsync(payer.Bin, NpgsqlDbType.Char);
            await copy.WriteAsync(payer.Account, NpgsqlDbType.Text);
            await copy.WriteAsync("in", NpgsqlDbType.Text);
            await copy.WriteAsync(amount, NpgsqlDbType.Bigint);
            await copy.WriteAsync(Province.Content(payer.Reference, n), NpgsqlDbType.Text);
            await copy.WriteAsync("NGUYEN VAN A", NpgsqlDbType.Text);
            await copy.WriteAsync(bookedAt, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(bookedAt, NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(Encoding.UTF8.GetBytes(tid), NpgsqlDbType.Bytea);
            await copy.WriteAsync("{}", NpgsqlDbType.Jsonb);
            n++;
        }
        await copy.CompleteAsync();
    }
}
