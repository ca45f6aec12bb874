using System.Diagnostics;
using System.Globalization;
using Fees.BankGateway.VietQr;
using Fees.Domain.Accounts;
using Fees.Domain.Payments;
using Fees.Domain.Time;
using Fees.Persistence.Closing;
using Fees.Persistence;
using Fees.Persistence.Ledger;
using Fees.Persistence.Reports;
using Fees.Reports.ReportRanges;
using Fees.Reports.Tables;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Bench;

/// <summary>
/// The month close of a whole province: a generated province with its dues, a backlog of payments booked through the
/// bulk path, then <see cref="PeriodCloses.CloseSubtree"/> of last month over every organization (one depth at a time,
/// deepest first, in chunks of up to 1,000 organizations per transaction, two side by side, as the daily job and the
/// office's subtree button do), timed; then the books are checked
/// (collected = retained + remitted for every close, every audit check).
/// </summary>
internal static class CloseRun
{
    /// <summary>B01/ĐP of the province for the quarter of the closed month, built from the database and written as pdf and csv, three times.</summary>
    private static async Task<int> B01(IServiceProvider provider, Period period)
    {
        await using var scope = provider.CreateAsyncScope();
        var province = await scope.ServiceProvider.GetRequiredService<FeesDbContext>().Orgs.AsNoTracking().SingleAsync(o => o.ParentId == null);
        string quarter = string.Create(CultureInfo.InvariantCulture, $"{period.Year}-Q{(period.Month + 2) / 3}");
        if (!ReportRange.TryParse(quarter, out var range, out string error))
        {
            throw new InvalidOperationException(error);
        }
        var queries = scope.ServiceProvider.GetRequiredService<ReportQueries>();
        var times = new List<double>();
        long pdfBytes = 0;
        for (int i = 0; i < 3; i++)
        {
            var sw = Stopwatch.StartNew();
            var doc = await queries.Build("b01", province, range, CancellationToken.None);
            pdfBytes = ReportPdf.Write(doc).Length;
            _ = ReportCsv.Write(doc);
            times.Add(sw.Elapsed.TotalSeconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"B01/ĐP {quarter}  of the province ({province.Code}): {times[0]:F2} s first, {times.Skip(1).Min():F2} s after (query + pdf {pdfBytes / 1024:N0} KiB + csv)"));
        return 0;
    }

    public static async Task<int> Run(int members, int payments, bool profile)
    {
        await using var cluster = await BenchCluster.StartAsync(profile);
        var connections = await cluster.NewDatabase("fees_bench", profile);
        using var key = Fees.Domain.Receipts.ReceiptSigningKey.Generate();
        await using var provider = await Province.Services(connections, s =>
        {
            s.AddSingleton(key);
            s.AddSingleton<IVietQrEncoder, VietQrEncoder>();
        });
        await Province.Load(provider, members);
        var payers = await Province.Payers(connections.Owner);
        var sw = Stopwatch.StartNew();
        await BulkBacklog.Stage(connections.Owner, payers, 0, payments);
        int booked = await BulkBacklog.Drain(provider, 5_000, 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"payments: {booked:N0} booked through the bulk path in {sw.Elapsed.TotalSeconds:F1} s"));
        string machine = await cluster.Describe();
        if (profile)
        {
            await cluster.Execute(connections.Owner, "select pg_stat_statements_reset()");
        }

        var period = VietnamTime.CurrentPeriod(TimeProvider.System).AddMonths(-1);
        var me = Process.GetCurrentProcess();
        var serverCpu = cluster.ServerCpuTime();
        var clock = Stopwatch.StartNew();
        CascadeResult result;
        await using (var scope = provider.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<PeriodCloses>().CloseSubtree("/", period, Actor.System, CancellationToken.None);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        serverCpu = cluster.ServerCpuTime() - serverCpu;
        me.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"close {period}    {result.Closed:N0} organizations closed in {seconds:F2} s ({result.Closed / seconds:N0}/s); {result.Refused.Count} refused; PostgreSQL CPU {serverCpu.TotalSeconds:F1} s; peak working set {me.PeakWorkingSet64 / 1e6:F0} MB; {machine}"));

        int failures = result.Refused.Count == 0 && result.Closed > 0 ? 0 : 1;
        await using (var conn = new NpgsqlConnection(connections.Owner))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                select count(*), coalesce(sum(own_collected), 0), coalesce(sum(retained), 0),
                       count(*) filter (where own_collected + received_from_children <> retained + remitted),
                       (select count(*) from remittance_orders)
                from period_closes where status = 'closed'
                """, conn) { CommandTimeout = 0 };
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            long closes = r.GetInt64(0), own = r.GetInt64(1), retained = r.GetInt64(2), broken = r.GetInt64(3), orders = r.GetInt64(4);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"verified        {closes:N0} closes, {orders:N0} remittance orders; members paid {own:N0} đ = retained {retained:N0} đ at every level (the province is the root here); splits broken: {broken}"));
            failures += broken == 0 && own == retained ? 0 : 1;
        }
        failures += await B01(provider, period);
        var checks = await provider.GetRequiredService<AuditCheckRunner>().RunAll("");
        var failed = checks.Where(c => !c.Passed).Select(c => c.Name).ToList();
        Console.WriteLine($"audit checks    {checks.Count - failed.Count} of {checks.Count} pass{(failed.Count > 0 ? "; failed: " + string.Join(", ", failed) : "")}");
        if (profile)
        {
            Console.WriteLine("pg_stat_statements, the close, by total time:");
            foreach (string line in await BenchCluster.TopStatements(connections.Owner, 12))
            {
                Console.WriteLine("  " + line);
            }
        }
        return failures + failed.Count;
    }
}
