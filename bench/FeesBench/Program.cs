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
// Usage: dotnet run -c Release --project bench/FeesBench -- [members=100000]
int members = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
await using var cluster = await BenchCluster.StartAsync();
var connections = await cluster.NewDatabase("fees_bench");

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
await Measure("generate 2026-08", () => Generate(Period.Of(2026, 8)));
await Measure("generate 2026-08 again (all existing)", () => Generate(Period.Of(2026, 8)));
Console.WriteLine($"peak working set         {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6,7:F0} MB");
return;

async Task Measure(string what, Func<Task<string>> run)
{
    var t = Stopwatch.StartNew();
    string result = await run();
    Console.WriteLine($"{what,-38} {t.Elapsed.TotalSeconds,7:F2} s  {result}");
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
