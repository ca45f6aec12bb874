using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fees.Bench;
using Fees.DemoData;
using Fees.Domain.Accounts;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.Dues;
using Fees.Persistence.Imports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Imports and dues generation at scale, on a private PostgreSQL cluster in a temp directory, through the service's own
// persistence services (the same the endpoints call).
// Each step prints its wall time, the CPU it cost in this process (client) and in the server's processes, and the
// load average when it ended (the machine is shared: a load above 2 means the step waited for the cores).
// Usage: dotnet run -c Release --project bench/FeesBench -- [members=100000] [--profile]
// --profile: pg_stat_statements (and auto_explain of statements slower than 1 s, to the server log) for the
// generation runs; prints the heaviest statements.
var record = BenchRecord.Start("FeesBench", args);
int members = args.Length > 0 && !args[0].StartsWith('-') ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
bool profile = args.Contains("--profile", StringComparer.Ordinal);
await using var cluster = await BenchCluster.StartAsync(statStatements: profile);
var connections = await cluster.NewDatabase("fees_bench", statStatements: profile);

var services = new ServiceCollection();
services.AddLogging(l => l.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
services.AddSingleton(TimeProvider.System);
services.AddOptions();
services.AddFeesPersistence(connections);
await using var provider = services.BuildServiceProvider();

string machine = await cluster.Describe();
Console.WriteLine($"PartyTTHC Fees benchmark: {members:N0} members, {machine}");
var sw = Stopwatch.StartNew();
var generator = new DemoProvinceGenerator(new DemoProvinceOptions { Members = members, LastIncomePeriod = Period.Of(2026, 8) });
byte[] orgs = Write(w => generator.WriteOrgs(w)), memberFile = Write(w => generator.WriteMembers(w)), income = Write(w => generator.WriteIncome(w));
Console.WriteLine($"generate demo files      {sw.Elapsed.TotalSeconds,7:F2} s  ({generator.OrgCount:N0} orgs, {memberFile.Length / 1e6:F1} MB members, {income.Length / 1e6:F1} MB income)");

await Measure("import orgs", () => Import(ImportKind.Orgs, orgs));
await Measure("import members", () => Import(ImportKind.Members, memberFile));
await Measure("import income", () => Import(ImportKind.Income, income));
await Measure("re-import members (all unchanged)", () => Import(ImportKind.Members, memberFile));
if (profile)
{
    // Generation reads through a cursor: its query runs inside DECLARE/FETCH, which are utility statements.
    await cluster.Execute(cluster.Superuser(), "alter system set pg_stat_statements.track_utility = on");
    await cluster.Execute(cluster.Superuser(), "alter system set auto_explain.log_triggers = on"); // the FK checks of the insert
    await cluster.Execute(cluster.Superuser(), "select pg_reload_conf()");
    await cluster.Execute(connections.Owner, "select pg_stat_statements_reset()");
}
double first = await Measure("generate 2026-08", () => Generate(Period.Of(2026, 8)));
Console.WriteLine($"  = {members / first,9:N0} statements/s");
double second = await Measure("generate 2026-08 again (all existing)", () => Generate(Period.Of(2026, 8)));
Console.WriteLine($"  = {members / second,9:N0} members/s");
Console.WriteLine($"peak working set         {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6,7:F0} MB");
if (profile)
{
    Console.WriteLine("heaviest statements of the two generation runs (pg_stat_statements):");
    foreach (string line in await BenchCluster.TopStatements(connections.Owner, 8))
    {
        Console.WriteLine("  " + line);
    }
    Console.WriteLine($"plans of statements slower than 1 s: {cluster.ServerLog} (removed with the cluster at the end)");
    File.Copy(cluster.ServerLog, "/tmp/feesbench-server.log", overwrite: true);
    Console.WriteLine("  copied to /tmp/feesbench-server.log");
}
await record.Save(0);
return;

async Task<double> Measure(string what, Func<Task<string>> run)
{
    var client = Process.GetCurrentProcess().TotalProcessorTime;
    var server = cluster.ServerCpuTime();
    var t = Stopwatch.StartNew();
    string result = await run();
    double wall = t.Elapsed.TotalSeconds;
    Process.GetCurrentProcess().Refresh();
    double clientCpu = (Process.GetCurrentProcess().TotalProcessorTime - client).TotalSeconds;
    double serverCpu = (cluster.ServerCpuTime() - server).TotalSeconds;
    string load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what,-38} {wall,7:F2} s  CPU client {clientCpu,6:F1} s server {serverCpu,6:F1} s  load {load}  {result}"));
    return wall;
}

async Task<string> Import(ImportKind kind, byte[] file)
{
    await using var scope = provider.CreateAsyncScope();
    var outcome = await scope.ServiceProvider.GetRequiredService<ImportService>().Import(kind, new MemoryStream(file), Actor.System, CancellationToken.None);
    return outcome.Succeeded ? $"{outcome.Result}" : $"REJECTED: {outcome.Errors.Count} errors, first: {outcome.Errors[0]}";
}

async Task<string> Generate(Period period)
{
    await using var scope = provider.CreateAsyncScope();
    var outcome = await scope.ServiceProvider.GetRequiredService<DuesGeneration>().Generate(period, Actor.System, CancellationToken.None);
    return outcome.Succeeded ? outcome.Value.ToString() : outcome.Refusal.ToString();
}

static byte[] Write(Action<TextWriter> write)
{
    using var buffer = new MemoryStream();
    using (var writer = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
    {
        write(writer);
    }
    return buffer.ToArray();
}
