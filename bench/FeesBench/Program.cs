using System.Diagnostics;
using System.Globalization;
using System.Text;
using Fees.Api.Accounts;
using Fees.Api.Database;
using Fees.Api.Dues;
using Fees.Api.Hosting;
using Fees.Api.Imports;
using Fees.DemoData;
using Fees.Domain.Time;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

// Imports and dues generation at scale, on a private PostgreSQL cluster in a temp directory.
// Usage: dotnet run -c Release --project bench/FeesBench -- [members=100000]
int members = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100_000;
string root = Path.Combine(Path.GetTempPath(), "partytthc-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(root);
var cluster = await PostgresCluster.StartAsync(root, _ => { });
try
{
    string appPassword = Guid.NewGuid().ToString("N");
    await DatabaseStartup.EnsureDatabaseAndRole(cluster.ConnectionString(), "fees_bench", appPassword);
    var database = new DatabaseConnections(cluster.ConnectionString("fees_bench"),
        DatabaseStartup.AppConnectionString(cluster.ConnectionString("fees_bench"), appPassword), null);

    var builder = WebApplication.CreateBuilder(["--Fees:DataDirectory=" + root, "--Fees:AdminPassword=bench-admin-password", "--Fees:SeedDemo=false"]);
    builder.Logging.ClearProviders();
    builder.AddFeesApi(database);
    await using var app = builder.Build();
    await StartupTasks.PrepareDatabase(app.Services);

    Console.WriteLine($"PartyTTHC Fees benchmark: {members:N0} members, {Environment.ProcessorCount} cores, PostgreSQL 15 private cluster");
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

    async Task Measure(string what, Func<Task<string>> run)
    {
        var t = Stopwatch.StartNew();
        string result = await run();
        Console.WriteLine($"{what,-38} {t.Elapsed.TotalSeconds,7:F2} s  {result}");
    }

    async Task<string> Import(ImportKind kind, byte[] file)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var outcome = await scope.ServiceProvider.GetRequiredService<ImportService>().Import(kind, new MemoryStream(file), CurrentUser.System, CancellationToken.None);
        return outcome.Succeeded ? $"{outcome.Result}" : $"REJECTED: {outcome.Errors.Count} errors, first: {outcome.Errors[0]}";
    }

    async Task<string> Generate(Period period)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var (result, refused) = await scope.ServiceProvider.GetRequiredService<DuesGeneration>().Generate(period, CurrentUser.System, CancellationToken.None);
        return refused is null ? result!.ToString() : refused.Message;
    }
}
finally
{
    Npgsql.NpgsqlConnection.ClearAllPools();
    await cluster.StopAsync(immediate: true);
    Directory.Delete(root, recursive: true);
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
