using System.Diagnostics;
using System.Globalization;
using Fees.Bench;
using Fees.Domain.Amounts;
using Fees.Domain.Ledger;
using Fees.Domain.Time;
using Fees.Persistence.Database;
using Fees.Persistence.Ledger;
using Npgsql;

// Ledger posting throughput on a private PostgreSQL cluster (the service's own embedded setup, migrated, the
// service's restricted role, the service's data source settings): single-event postings from 1, 8 and 32 connections
// onto ONE organization's bank account (the hot-row worst case), then batched postings.
// Usage: dotnet run -c Release --project bench/LedgerBench -- [seconds=10] [plain]
// "plain": the data source without the service's settings (Npgsql's defaults: a reset per pooled connection, no
// automatic preparation), for comparison.
int seconds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
bool plain = args.Contains("plain", StringComparer.Ordinal);
await using var cluster = await BenchCluster.StartAsync();
var connections = await cluster.NewDatabase("fees_bench");
long orgId = await CreateOrg(connections.Owner);
await using var dataSource = plain ? NpgsqlDataSource.Create(connections.App) : FeesDataSource.Create(connections.App);
var store = new LedgerStore(dataSource);

string machine = await cluster.Describe();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Ledger postings, {seconds} s per run, {machine}, every post onto one bank account, data source: {(plain ? "Npgsql defaults" : "the service's")}"));
foreach (int writers in new[] { 1, 8, 32 })
{
    long count = await Run(writers, 1, seconds, store, orgId);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"single-event  {writers,2} connections: {count / (double)seconds,8:F0} postings/s"));
}
foreach (int writers in new[] { 1, 8 })
{
    long count = await Run(writers, 500, seconds, store, orgId);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batched (500) {writers,2} connections: {count / (double)seconds,8:F0} postings/s"));
}
string totals = await BenchCluster.Scalar<string>(connections.Owner,
    "select count(*) || ' entries, ' || (count(*) - count(distinct (source_kind, source_id))) || ' duplicate sources' from ledger_entries");
Console.WriteLine(totals);
return;

static async Task<long> Run(int writers, int batch, int seconds, LedgerStore store, long orgId)
{
    var stop = Stopwatch.StartNew();
    string run = Guid.NewGuid().ToString("N")[..8];
    var period = Period.Of(2026, 8);
    var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        long posted = 0;
        while (stop.Elapsed.TotalSeconds < seconds)
        {
            var entries = Enumerable.Range(0, batch).Select(i =>
            {
                long n = posted + i;
                long amount = 10_000 + (n % 90_000);
                return PostingRules.BankReceipt(orgId, string.Create(CultureInfo.InvariantCulture, $"FT-{run}-{w}-{n}"), new DateOnly(2026, 8, 15),
                    Money.Vnd(amount), [new DuesAllocation(1 + (n % 300), period, Money.Vnd(amount / 2))], 1 + (n % 300), "Nộp đảng phí");
            }).ToList();
            var results = batch == 1 ? [await store.Post(entries[0])] : await store.PostBatch(entries);
            posted += results.Count(r => r.Status == PostStatus.Posted);
        }
        return posted;
    })));
    return counts.Sum();
}

static async Task<long> CreateOrg(string owner)
{
    await using var conn = new NpgsqlConnection(owner);
    await conn.OpenAsync();
    await using var cmd = new NpgsqlCommand("""
        insert into orgs (code, name, kind, parent_id, path, province_code, setting, wage_region, created_at, updated_at)
        values ('BENCH', 'Chi bộ đo hiệu năng', 'cell', null, '/BENCH/', 'BENCH', 'other', 1, now(), now()) returning id
        """, conn);
    return (long)(await cmd.ExecuteScalarAsync())!;
}
