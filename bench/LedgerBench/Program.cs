using System.Diagnostics;
using System.Globalization;
using Fees.Api.Hosting.Embedded;
using Fees.Bench;
using Fees.Domain.Amounts;
using Fees.Domain.Ledger;
using Fees.Domain.Time;
using Fees.Persistence.Database;
using Fees.Persistence.Ledger;
using Npgsql;

// Ledger posting throughput on a private PostgreSQL cluster (the service's own embedded setup, migrated, the
// service's restricted role, the service's data source settings), against pgbench on the same cluster in the same run:
//   1. pgbench, 8 connections, a bare one-row INSERT per transaction (the ceiling of one commit per write here);
//   2. single-event postings from 8 connections spread over many organizations' bank accounts, then onto ONE
//      organization's bank account (the hot-row worst case), each with its ratio to pgbench (issue 12: at least 25%);
//   3. single-event postings onto the hot account from 1 and 32 connections, and batched postings.
// Usage: dotnet run -c Release --project bench/LedgerBench -- [seconds=10] [plain] [--profile] [--no-record]
// --profile: pg_stat_statements and auto_explain (the server log copied to /tmp/ledgerbench-server.log); LEDGERBENCH_KEEP=<dir>
// keeps the cluster there to inspect after the run.
// "plain": the data source without the service's settings (Npgsql's defaults: a reset per pooled connection, no
// automatic preparation), for comparison.
var record = BenchRecord.Start("LedgerBench", args);
int seconds = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal) && a != "plain") is { } s ? int.Parse(s, CultureInfo.InvariantCulture) : 10;
bool plain = args.Contains("plain", StringComparer.Ordinal);
const int SpreadOrgs = 1_000;
await using var cluster = await BenchCluster.StartAsync(args.Contains("--profile", StringComparer.Ordinal), Environment.GetEnvironmentVariable("LEDGERBENCH_KEEP"));
bool profile = args.Contains("--profile", StringComparer.Ordinal);
var connections = await cluster.NewDatabase("fees_bench", profile);
long[] orgIds = await CreateOrgs(connections.Owner, SpreadOrgs);
long hotOrg = orgIds[0];
await using var dataSource = plain ? NpgsqlDataSource.Create(connections.App) : FeesDataSource.Create(connections.App);
var store = new LedgerStore(dataSource);

string machine = await cluster.Describe();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Ledger postings, {seconds} s per run, {machine}, data source: {(plain ? "Npgsql defaults" : "the service's")}"));
var serverBefore = cluster.ServerCpuTime();
var (pgbenchTps, pgbenchLine, pgbenchCpu) = await PgBench(cluster, connections.Owner, clients: 8, seconds);
double pgbenchServer = (cluster.ServerCpuTime() - serverBefore).TotalSeconds;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"pgbench one-row INSERT   8 connections: {pgbenchTps,8:F0} transactions/s  ({pgbenchLine}; CPU: client {pgbenchCpu.TotalSeconds:F1} s, server {pgbenchServer:F1} s, {(pgbenchCpu.TotalSeconds + pgbenchServer) * 1e6 / (pgbenchTps * seconds):F0} µs per transaction)"));
foreach (var (label, spread) in new[] { ("spread over " + SpreadOrgs.ToString("N0", CultureInfo.InvariantCulture) + " orgs", true), ("one hot account", false) })
{
    var (count, cpu) = await Measured(() => Run(8, 1, seconds, store, spread ? orgIds : [hotOrg]));
    double rate = count / (double)seconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"single-event  8 connections, {label,-22}: {rate,8:F0} postings/s = {rate / pgbenchTps,5:P0} of pgbench  ({cpu})"));
}
foreach (int writers in new[] { 1, 32 })
{
    var (count, cpu) = await Measured(() => Run(writers, 1, seconds, store, [hotOrg]));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"single-event {writers,2} connections, one hot account:        {count / (double)seconds,8:F0} postings/s  ({cpu})"));
}
foreach (int writers in new[] { 1, 8 })
{
    var (count, cpu) = await Measured(() => Run(writers, 500, seconds, store, [hotOrg]));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"batched (500) {writers,2} connections, one hot account:       {count / (double)seconds,8:F0} postings/s  ({cpu})"));
}
string totals = await BenchCluster.Scalar<string>(connections.Owner,
    "select count(*) || ' entries, ' || (count(*) - count(distinct (source_kind, source_id))) || ' duplicate sources' from ledger_entries");
Console.WriteLine(totals);
Console.WriteLine($"load average at the end: {string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3))}");
if (profile)
{
    Console.WriteLine("pg_stat_statements, by total time:");
    foreach (string line in await BenchCluster.TopStatements(connections.Owner, 8))
    {
        Console.WriteLine("  " + line);
    }
    if (File.Exists(cluster.ServerLog))
    {
        string plans = Path.Combine(Path.GetTempPath(), "ledgerbench-server.log");
        File.Copy(cluster.ServerLog, plans, overwrite: true);
        Console.WriteLine($"the server log, with auto_explain's plans of the slow statements: {plans}");
    }
}
await record.Save(0);
return;

// The run's count, and the CPU it cost: this process (the client) and the server's processes, in seconds.
async Task<(long Count, string Cpu)> Measured(Func<Task<long>> run)
{
    var client = Process.GetCurrentProcess().TotalProcessorTime;
    var server = cluster.ServerCpuTime();
    long count = await run();
    Process.GetCurrentProcess().Refresh();
    double clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - client).TotalSeconds;
    double serverCpu = (cluster.ServerCpuTime() - server).TotalSeconds;
    return (count, string.Create(CultureInfo.InvariantCulture,
        $"CPU: client {clientCpu:F1} s, server {serverCpu:F1} s, {(clientCpu + serverCpu) * 1e6 / Math.Max(count, 1):F0} µs per posting"));
}

static async Task<long> Run(int writers, int batch, int seconds, LedgerStore store, long[] orgIds)
{
    var stop = Stopwatch.StartNew();
    string run = Guid.NewGuid().ToString("N")[..8];
    var period = Period.Of(2026, 8);
    var counts = await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
    {
        long posted = 0;
        var random = new Random(w);
        while (stop.Elapsed.TotalSeconds < seconds)
        {
            var entries = Enumerable.Range(0, batch).Select(i =>
            {
                long n = posted + i;
                long amount = 10_000 + (n % 90_000);
                long orgId = orgIds[random.Next(orgIds.Length)];
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

// pgbench on the same database: 8 clients, each transaction one INSERT of one row into a table with a bigserial key
// (autocommit: one commit, one WAL flush per row), over TCP to 127.0.0.1 like the service. Returns its tps.
static async Task<(double Tps, string Summary, TimeSpan Cpu)> PgBench(BenchCluster cluster, string owner, int clients, int seconds)
{
    await cluster.Execute(owner, "create table pgbench_bare (id bigserial primary key, v int not null, at timestamptz not null default now())");
    string script = Path.Combine(cluster.Directory("pgbench"), "insert.sql");
    await File.WriteAllTextAsync(script, "insert into pgbench_bare (v) values (1);\n");
    string bin = PostgresCluster.FindBinDirectory() ?? throw new InvalidOperationException("PostgreSQL binaries not found");
    var cs = new NpgsqlConnectionStringBuilder(owner);
    var start = new ProcessStartInfo(Path.Combine(bin, "pgbench"))
    {
        RedirectStandardOutput = true,
        RedirectStandardError = true,
    };
    foreach (string a in new[] { "-n", "-h", cs.Host!, "-p", cs.Port.ToString(CultureInfo.InvariantCulture), "-U", cs.Username!,
        "-c", clients.ToString(CultureInfo.InvariantCulture), "-j", Math.Min(clients, Environment.ProcessorCount).ToString(CultureInfo.InvariantCulture),
        "-T", seconds.ToString(CultureInfo.InvariantCulture), "-f", script, cs.Database! })
    {
        start.ArgumentList.Add(a);
    }
    start.Environment["PGPASSWORD"] = cs.Password;
    var childrenBefore = ChildrenCpu();
    using var process = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start");
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEndAsync();
    await process.WaitForExitAsync();
    var cpu = ChildrenCpu() - childrenBefore;
    string output = await stdout;
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"pgbench failed ({process.ExitCode}): {output}{await stderr}");
    }
    // "tps = 1234.567890 (without initial connection time)"
    string line = output.Split('\n').First(l => l.StartsWith("tps = ", StringComparison.Ordinal));
    double tps = double.Parse(line["tps = ".Length..].Split(' ')[0], CultureInfo.InvariantCulture);
    string latency = output.Split('\n').FirstOrDefault(l => l.StartsWith("latency average", StringComparison.Ordinal))?.Trim() ?? "";
    return (tps, latency, cpu);
}

// CPU of this process's children that have ended and been waited for (cutime + cstime of /proc/self/stat): pgbench's.
static TimeSpan ChildrenCpu()
{
    string stat = File.ReadAllText("/proc/self/stat");
    string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
    return TimeSpan.FromSeconds((long.Parse(f[13], CultureInfo.InvariantCulture) + long.Parse(f[14], CultureInfo.InvariantCulture)) / 100.0);
}

static async Task<long[]> CreateOrgs(string owner, int count)
{
    await using var conn = new NpgsqlConnection(owner);
    await conn.OpenAsync();
    await using var cmd = new NpgsqlCommand("""
        insert into orgs (code, name, kind, parent_id, path, province_code, setting, wage_region, created_at, updated_at)
        select 'BENCH' || n, 'Chi bộ đo hiệu năng ' || n, 'cell', null, '/BENCH' || n || '/', 'BENCH', 'other', 1, now(), now()
        from generate_series(1, @count) n
        returning id
        """, conn);
    cmd.Parameters.AddWithValue("count", count);
    var ids = new List<long>();
    await using var r = await cmd.ExecuteReaderAsync();
    while (await r.ReadAsync())
    {
        ids.Add(r.GetInt64(0));
    }
    return [.. ids.Order()];
}
