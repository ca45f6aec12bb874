using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Fees.Api.Hosting.Embedded;
using Fees.Bench;
using Fees.DemoData;
using Fees.Domain.Accounts;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Database;
using Fees.Persistence.Imports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

// The cost of the access trace, on a private PostgreSQL cluster started by the service's own code and migrated, with a
// demo province imported (so each batch's query finds real members, organizations and users):
//  1. throughput: 32 producers queue records (80% member reads, 10% organization exports, 10% sign-ins) while the
//     writer's background loop writes them; records/s written, and what each queueing call cost (p50/p99/p99.9/max);
//  2. the cost of one flush: one batch of 1,000 records, and one of a single record.
// Usage: dotnet run -c Release --project bench/AccessTraceBench -- [records=500000] [members=3000] [--no-record]
var record = BenchRecord.Start("AccessTraceBench", args);
string[] numbers = [.. args.Where(a => !a.StartsWith("--", StringComparison.Ordinal))];
int total = numbers.Length > 0 ? int.Parse(numbers[0], CultureInfo.InvariantCulture) : 500_000;
int memberCount = numbers.Length > 1 ? int.Parse(numbers[1], CultureInfo.InvariantCulture) : 3_000;
const int Producers = 32;

string root = Path.Combine(Path.GetTempPath(), "partytthc-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
var cluster = await PostgresCluster.StartAsync(root, _ => { });
try
{
    const string database = "fees_bench";
    string appPassword = "bench-" + Guid.NewGuid().ToString("N");
    await DatabaseRoles.EnsureDatabaseAndRole(cluster.ConnectionString(), database, appPassword);
    string owner = cluster.ConnectionString(database);
    var connections = new DatabaseConnections(owner, DatabaseRoles.AppConnectionString(owner, appPassword));
    await Migrator.Migrate(connections);

    var services = new ServiceCollection();
    services.AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
    services.AddSingleton(TimeProvider.System);
    services.AddOptions();
    services.AddFeesPersistence(connections);
    services.Configure<Fees.Persistence.Accounts.AccountOptions>(o => o.PasswordIterations = 10_000);
    await using var provider = services.BuildServiceProvider();
    var generator = new DemoProvinceGenerator(new DemoProvinceOptions { Members = memberCount });
    await Import(provider, ImportKind.Orgs, w => generator.WriteOrgs(w));
    await Import(provider, ImportKind.Members, w => generator.WriteMembers(w));
    string[] memberNos = [.. await Column(owner, "select member_no from members order by id")];
    string[] orgCodes = [.. await Column(owner, "select code from orgs order by id")];
    var usernames = new List<string>();
    await using (var scope = provider.CreateAsyncScope())
    {
        // Sign-ins are traced against real accounts: treasurers of organizations and members.
        var users = scope.ServiceProvider.GetRequiredService<Fees.Persistence.Accounts.Users>();
        for (int u = 0; u < 50; u++)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"bench.user{u}");
            var created = u % 2 == 0
                ? await users.Create(name, "bench-password", RoleCodes.Treasurer, orgCodes[u * 7 % orgCodes.Length], null, Actor.System, CancellationToken.None)
                : await users.Create(name, "bench-password", RoleCodes.Member, null, memberNos[u * 31 % memberNos.Length], Actor.System, CancellationToken.None);
            if (created.Succeeded)
            {
                usernames.Add(name);
            }
        }
    }
    var targets = new Targets(memberNos, orgCodes, [.. usernames]);

    var writer = provider.GetRequiredService<AccessTraceWriter>();
    string version = await Scalar(owner, "show server_version");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"Access trace, {total:N0} records from {Producers} producers, {Environment.ProcessorCount} cores, PostgreSQL {version}, {memberNos.Length:N0} members in {orgCodes.Length:N0} organizations"));

    // 1. Throughput through the writer, with the background loop writing as in the service.
    using var stop = new CancellationTokenSource();
    var loop = writer.RunAsync(stop.Token);
    var clock = Stopwatch.StartNew();
    var latencies = await Task.WhenAll(Enumerable.Range(0, Producers).Select(p => Task.Run(async () =>
    {
        int mine = total / Producers + (p < total % Producers ? 1 : 0);
        var ticks = new long[mine];
        var random = new Random(p);
        for (int i = 0; i < mine; i++)
        {
            // Requests arrive no faster than the writer drains (the bench's own pacing, so it measures queueing, not drops).
            while (writer.Waiting > AccessTraceWriter.Capacity * 3 / 4)
            {
                await Task.Delay(1);
            }
            long start = Stopwatch.GetTimestamp();
            await writer.Enqueue(Record(targets, random, p, i));
            ticks[i] = Stopwatch.GetTimestamp() - start;
        }
        return ticks;
    })));
    double queued = clock.Elapsed.TotalSeconds;
    while (writer.Written + writer.Dropped < total)
    {
        await Task.Delay(5);
    }
    double written = clock.Elapsed.TotalSeconds;
    await stop.CancelAsync();
    await loop;
    var all = latencies.SelectMany(t => t).Order().ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"written          {total / written,10:N0} records/s  ({total:N0} in {written:F2} s; queued in {queued:F2} s; {writer.Dropped} dropped)"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"queueing a record  p50 {Micro(all, 0.50),6:F2} µs   p99 {Micro(all, 0.99),6:F2} µs   p99.9 {Micro(all, 0.999),7:F2} µs   max {Micro(all, 1.0),8:F0} µs"));
    long rows = long.Parse(await Scalar(owner, "select count(*)::text from access_trace"), CultureInfo.InvariantCulture);
    long unresolved = long.Parse(await Scalar(owner, "select count(*)::text from access_trace where org_path is null"), CultureInfo.InvariantCulture);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rows in access_trace {rows:N0}, of which without an organization {unresolved:N0}"));

    // 2. One flush, by itself (the loop stopped): a full batch, and a single record.
    var random2 = new Random(99);
    foreach (int batch in new[] { AccessTraceWriter.BatchSize, 1 })
    {
        const int Runs = 20;
        var times = new List<double>();
        for (int run = 0; run < Runs; run++)
        {
            for (int i = 0; i < batch; i++)
            {
                await writer.Enqueue(Record(targets, random2, 0, i));
            }
            var t = Stopwatch.StartNew();
            await writer.FlushAsync();
            times.Add(t.Elapsed.TotalMilliseconds);
        }
        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"flush of {batch,5:N0} record{(batch == 1 ? " " : "s")}  median {times[Runs / 2],7:F2} ms   worst {times[^1],7:F2} ms   ({times[Runs / 2] * 1000 / batch:F1} µs per record)"));
    }
}
finally
{
    NpgsqlConnection.ClearAllPools();
    await cluster.StopAsync(immediate: true);
    Directory.Delete(root, recursive: true);
}
await record.Save(0);

static AccessRecord Record(Targets targets, Random random, int producer, int i)
{
    int kind = random.Next(10);
    var target = kind switch
    {
        0 => AccessTarget.Org(targets.Orgs[random.Next(targets.Orgs.Length)]),
        1 => AccessTarget.User(targets.Users[random.Next(targets.Users.Length)]),
        _ => AccessTarget.Member(targets.Members[random.Next(targets.Members.Length)]),
    };
    string action = kind switch { 0 => AccessActions.JournalExport, 1 => AccessActions.SignInSucceeded, _ => AccessActions.StatementsRead };
    return new AccessRecord(DateTimeOffset.UtcNow, "thuquy", "treasurer", action, target, null, IPAddress.Loopback,
        string.Create(CultureInfo.InvariantCulture, $"bench-{producer}-{i}"), 200);
}

static double Micro(long[] sorted, double q) =>
    sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))] * 1_000_000.0 / Stopwatch.Frequency;

static async Task Import(IServiceProvider provider, ImportKind kind, Action<TextWriter> write)
{
    using var buffer = new MemoryStream();
    await using (var w = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
    {
        write(w);
    }
    buffer.Position = 0;
    await using var scope = provider.CreateAsyncScope();
    var outcome = await scope.ServiceProvider.GetRequiredService<ImportService>().Import(kind, buffer, Actor.System, CancellationToken.None);
    if (!outcome.Succeeded)
    {
        throw new InvalidOperationException($"{kind} import refused: {outcome.Errors[0]}");
    }
}

static async Task<List<string>> Column(string connectionString, string sql)
{
    await using var conn = new NpgsqlConnection(connectionString);
    await conn.OpenAsync();
    await using var cmd = new NpgsqlCommand(sql, conn);
    await using var reader = await cmd.ExecuteReaderAsync();
    var values = new List<string>();
    while (await reader.ReadAsync())
    {
        values.Add(reader.GetString(0));
    }
    return values;
}

static async Task<string> Scalar(string connectionString, string sql)
{
    await using var conn = new NpgsqlConnection(connectionString);
    await conn.OpenAsync();
    await using var cmd = new NpgsqlCommand(sql, conn);
    return (string)(await cmd.ExecuteScalarAsync())!;
}

/// <summary>What the generated records are about: the imported members, organizations, and some usernames.</summary>
internal sealed record Targets(string[] Members, string[] Orgs, string[] Users);
