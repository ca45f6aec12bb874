using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.BankGateway.VietQr;
using Fees.DemoData;
using Fees.Domain.Accounts;
using Fees.Domain.Payments;
using Fees.Domain.Receipts;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.Accounts;
using Fees.Persistence.Bank;
using Fees.Persistence.Closing;
using Fees.Persistence.Database;
using Fees.Persistence.Reports;
using Fees.Reports.ReportRanges;
using Fees.Reports.Tables;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Bench;

/// <summary>The national benchmarks (see Program.cs for the commands).</summary>
internal static partial class NationalRuns
{
    private const string Database = "fees_national";
    private const string Secret = "bench-generic-secret";
    private const string MarkerFile = "national-loaded";

    public static Task<int> Generate(BenchOptions o)
    {
        var nation = new DemoNationGenerator(new DemoNationOptions { Scale = o.Scale });
        Console.WriteLine($"Generate the nation at scale {o.Scale} {(o.Out is null ? "into nothing (TextWriter.Null)" : "into " + o.Out)}; {Machine()}");
        var clock = Stopwatch.StartNew();
        var counts = nation.CountOrgs();
        double treesSeconds = clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"trees           {counts.Orgs:N0} organizations in {treesSeconds:F1} s: {counts.ProvinceLevel} province-level committees, {counts.Upper:N0} upper, {counts.BaseOrganizations:N0} base organizations ({counts.BaseCommittees:N0} đảng bộ cơ sở, {counts.BaseCells:N0} chi bộ cơ sở), {counts.SubCommittees:N0} đảng bộ bộ phận, {counts.AllCells:N0} cells (chi bộ), {counts.Members:N0} members"));
        clock.Restart();
        DemoRowCounts rows = o.Out is { } dir
            ? nation.WriteFiles(dir)
            : new DemoRowCounts(nation.WriteOrgs(TextWriter.Null), nation.WriteMembers(TextWriter.Null), nation.WriteIncome(TextWriter.Null));
        double seconds = clock.Elapsed.TotalSeconds;
        long total = rows.Orgs + rows.Members + rows.IncomeRows;
        var me = Process.GetCurrentProcess();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"generated       {total:N0} rows ({rows.Orgs:N0} orgs, {rows.Members:N0} members, {rows.IncomeRows:N0} income) in {seconds:F1} s ({total / seconds:N0} rows/s); peak working set {me.PeakWorkingSet64 / 1e6:F0} MB, live heap now {GC.GetTotalMemory(true) / 1e6:F0} MB"));
        return Task.FromResult(0);
    }

    public static async Task<int> Load(BenchOptions o)
    {
        if (o.Data is { } data && File.Exists(Path.Combine(data, MarkerFile)))
        {
            string loaded = await File.ReadAllTextAsync(Path.Combine(data, MarkerFile));
            Console.WriteLine($"{data} already holds the nation at scale {loaded}; remove the directory to load again.");
            return 1;
        }
        await using var session = await Session.Open(o, loadIfMissing: false);
        if (o.Profile)
        {
            await session.Cluster.Execute(session.Connections.Owner, "select pg_stat_statements_reset()");
        }
        var serverCpu = session.Cluster.ServerCpuTime();
        var figures = await session.LoadNation();
        serverCpu = session.Cluster.ServerCpuTime() - serverCpu;
        string size = await BenchCluster.Scalar<string>(session.Connections.Owner, "select pg_size_pretty(pg_database_size(current_database()))");
        string machine = await session.Cluster.Describe();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"load            import {figures.ImportTime.TotalSeconds:F1} s (target < 600 s at scale 1), dues {figures.Generation.Sum(g => g.Seconds):F1} s for {figures.Generation.Count} periods; PostgreSQL CPU {serverCpu.TotalSeconds:F0} s; database {size}; {machine}"));
        await session.PrintProfile("load", 15);
        return 0;
    }

    public static async Task<int> Statements(BenchOptions o)
    {
        await using var session = await Session.Open(o, loadIfMissing: true);
        var c = session.Connections;
        int userCount = o.Clients * 2;
        var memberNos = new List<string>();
        await using (var conn = new NpgsqlConnection(c.Owner))
        {
            await conn.OpenAsync();
            long members = await BenchCluster.Scalar<long>(c.Owner, "select count(*) from members");
            await using var cmd = new NpgsqlCommand("""
                select m.member_no from members m
                where m.id % @step = 0 and exists (select 1 from dues_statements s where s.member_id = m.id)
                order by m.id limit @n
                """, conn);
            cmd.Parameters.AddWithValue("step", Math.Max(1, members / (userCount * 2)));
            cmd.Parameters.AddWithValue("n", userCount);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                memberNos.Add(r.GetString(0));
            }
        }
        string run = Guid.NewGuid().ToString("N")[..6];
        const string password = "Bench-national-2026!";
        await using (var scope = session.Provider.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Users>();
            for (int i = 0; i < memberNos.Count; i++)
            {
                var created = await users.Create($"nb{run}.{i}", password, RoleCodes.Member, null, memberNos[i], Actor.System, CancellationToken.None);
                if (!created.Succeeded)
                {
                    throw new InvalidOperationException($"Could not create the member user of {memberNos[i]}: {created}");
                }
            }
        }

        await using var service = await ServiceProcess.StartAsync(c, session.Cluster.Directory("service-" + run), Secret, session.Key.ExportPrivateKeyPem(),
            new Dictionary<string, string> { ["Fees__SignInRateLimit__Burst"] = "100000" }); // the bench signs its member users in from one address
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = o.Clients, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = service.BaseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };
        var tokens = new string[memberNos.Count];
        for (int i = 0; i < memberNos.Count; i++)
        {
            using var answer = await http.PostAsJsonAsync("/api/auth/token", new { username = $"nb{run}.{i}", password });
            answer.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            tokens[i] = json.RootElement.GetProperty("accessToken").GetString()!;
        }
        string machine = await session.Cluster.Describe();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Statements: {o.Requests:N0} GET /api/members/{{memberNo}}/statements as {memberNos.Count} members from {o.Clients} clients, nation at scale {o.Scale}; {machine}"));

        await Hammer(http, memberNos, tokens, o.Clients, Math.Min(2_000, o.Requests / 5)); // warm up: JIT, pools, plans
        if (o.Profile)
        {
            await session.Cluster.Execute(c.Owner, "select pg_stat_statements_reset()");
        }
        var serviceCpu = service.CpuTime();
        var serverCpu = session.Cluster.ServerCpuTime();
        var clock = Stopwatch.StartNew();
        var results = await Hammer(http, memberNos, tokens, o.Clients, o.Requests);
        double seconds = clock.Elapsed.TotalSeconds;
        serviceCpu = service.CpuTime() - serviceCpu;
        serverCpu = session.Cluster.ServerCpuTime() - serverCpu;
        var latencies = results.Select(r => r.Milliseconds).Order().ToArray();
        var statuses = string.Join(", ", results.GroupBy(r => r.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count():N0}"));
        double statementsPerAnswer = results.Average(r => r.Items);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"requests        {results.Count / seconds,8:N0} /s   ({results.Count:N0} in {seconds:F2} s; {statuses}; {statementsPerAnswer:F1} statements per answer)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"latency         p50 {Quantile(latencies, 0.50),6:F1} ms   p95 {Quantile(latencies, 0.95),6:F1} ms   p99 {Quantile(latencies, 0.99),6:F1} ms   max {latencies[^1],7:F1} ms"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"CPU             service {serviceCpu.TotalSeconds:F1} s, PostgreSQL {serverCpu.TotalSeconds:F1} s (of {2 * seconds:F1} s on 2 cores); service peak RSS (VmHWM) {service.PeakResidentBytes() / 1e6:F0} MB (target ≤ 1 GiB)"));
        await session.PrintProfile("statements", 10);
        return results.All(r => r.Status == 200) ? 0 : 1;
    }

    /// <summary>
    /// The month's dues generation again on a loaded cluster: the current month's statements are removed (deleted as the
    /// owner, the partition vacuumed) and generated anew by the service's <see cref="Fees.Persistence.Dues.DuesGeneration"/>,
    /// as `load` does, without loading the nation again (a minute instead of five at scale 0.1). Refused when anything
    /// was paid or cancelled in that month: only a month nothing has touched is regenerated.
    /// </summary>
    public static async Task<int> Dues(BenchOptions o)
    {
        await using var session = await Session.Open(o, loadIfMissing: true);
        var c = session.Connections;
        var period = VietnamTime.CurrentPeriod(TimeProvider.System);
        string day = period.FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        long touched = await BenchCluster.Scalar<long>(c.Owner,
            $"select (select count(*) from receipt_allocations where period = '{day}') + (select count(*) from statement_cancellations) + (select count(*) from dues_statements where period = '{day}' and paid <> 0)");
        if (touched > 0)
        {
            Console.WriteLine($"{period} has payments or cancellations on this cluster: `dues` regenerates only an untouched month.");
            return 1;
        }
        string partition = Fees.Persistence.Database.PeriodPartitions.PartitionOf("dues_statements", period);
        // Deleted rather than truncated: the cancellations (append-only, refusing TRUNCATE) name statements by key.
        await session.Cluster.Execute(c.Owner, $"delete from dues_statements where period = '{day}'");
        await session.Cluster.Execute(c.Owner, $"vacuum analyze {partition}");
        await session.Cluster.Execute(c.Owner, "checkpoint");
        if (o.Profile)
        {
            await session.Cluster.Execute(c.Owner, "select pg_stat_statements_reset()");
        }
        string machine = await session.Cluster.Describe();
        var serverCpu = session.Cluster.ServerCpuTime();
        var clientCpu = Process.GetCurrentProcess().TotalProcessorTime;
        var sw = Stopwatch.StartNew();
        await using (var scope = session.Provider.CreateAsyncScope())
        {
            var outcome = await scope.ServiceProvider.GetRequiredService<Fees.Persistence.Dues.DuesGeneration>().Generate(period, Actor.System, CancellationToken.None);
            int created = outcome.Succeeded ? outcome.Value.Created : throw new InvalidOperationException(outcome.Refusal.ToString());
            double seconds = sw.Elapsed.TotalSeconds;
            serverCpu = session.Cluster.ServerCpuTime() - serverCpu;
            clientCpu = Process.GetCurrentProcess().TotalProcessorTime - clientCpu;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dues {period}    {created:N0} statements in {seconds:F1} s ({created / seconds:N0}/s; target ≥ 100,000/s); CPU client {clientCpu.TotalSeconds:F1} s + PostgreSQL {serverCpu.TotalSeconds:F1} s; nation at scale {o.Scale}; {machine}"));
        }
        await session.PrintProfile("dues", 12);
        return 0;
    }

    public static async Task<int> B01(BenchOptions o)
    {
        await using var session = await Session.Open(o, loadIfMissing: true);
        var period = VietnamTime.CurrentPeriod(TimeProvider.System).AddMonths(-1);
        string quarter = string.Create(CultureInfo.InvariantCulture, $"{period.Year}-Q{(period.Month + 2) / 3}");
        if (!ReportRange.TryParse(quarter, out var range, out string error))
        {
            throw new InvalidOperationException(error);
        }
        string machine = await session.Cluster.Describe();
        if (o.Profile)
        {
            await session.Cluster.Execute(session.Connections.Owner, "select pg_stat_statements_reset()");
        }
        long orgs = await BenchCluster.Scalar<long>(session.Connections.Owner, "select count(*) from orgs where path like (select path from orgs where code = 'HN') || '%'");
        long members = await BenchCluster.Scalar<long>(session.Connections.Owner, "select count(*) from current_official_placements where org_path like (select path from orgs where code = 'HN') || '%'");
        var times = new List<double>();
        long pdfBytes = 0;
        int rows = 0;
        for (int i = 0; i < 3; i++)
        {
            await using var scope = session.Provider.CreateAsyncScope();
            var province = await scope.ServiceProvider.GetRequiredService<FeesDbContext>().Orgs.AsNoTracking().SingleAsync(x => x.Code == "HN");
            var sw = Stopwatch.StartNew();
            var doc = await scope.ServiceProvider.GetRequiredService<ReportQueries>().Build("b01", province, range, CancellationToken.None);
            pdfBytes = ReportPdf.Write(doc).Length;
            rows = ReportCsv.Write(doc).Length;
            times.Add(sw.Elapsed.TotalSeconds);
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"B01/ĐP {quarter} of Thành ủy Hà Nội (HN: {orgs:N0} organizations, {members:N0} members; nation at scale {o.Scale}): {times[0]:F2} s first, {times.Skip(1).Min():F2} s after (query + pdf {pdfBytes / 1024:N0} KiB + csv {rows / 1024:N0} KiB; target ≤ 2 s); {machine}"));
        await session.PrintProfile("b01", 10);
        return 0;
    }

    public static async Task<int> Close(BenchOptions o)
    {
        await using var session = await Session.Open(o, loadIfMissing: true);
        var c = session.Connections;
        var period = VietnamTime.CurrentPeriod(TimeProvider.System).AddMonths(-1);
        long already = await BenchCluster.Scalar<long>(c.Owner, $"select count(*) from period_closes where period = '{period}-01' and status = 'closed'");
        if (already > 0)
        {
            Console.WriteLine($"{period} is already closed for {already:N0} organizations in this data directory: the close is measured once per load.");
            return 1;
        }
        // A month without statements closes in no time and proves nothing (a load with --periods 1 generates only this month).
        bool owed = await BenchCluster.Scalar<bool>(c.Owner, $"select exists (select 1 from dues_statements where period = '{period}-01')");
        if (!owed)
        {
            Console.WriteLine($"{period} has no statements in this data directory: load it with --periods 2 (or more) for a close to measure.");
            return 1;
        }
        var sw = Stopwatch.StartNew();
        // With --payments, only that many payers are read (the nation has millions: holding them all was 1.9 GB of this
        // process's peak working set, which the close's figure below reports).
        var payers = await Province.Payers(c.Owner, o.Payments);
        int payments = o.Payments is { } wanted ? Math.Min(wanted, payers.Count) : payers.Count / 2;
        await BulkBacklog.Stage(c.Owner, payers, 0, payments, prefix: "NATION");
        payers.Clear();
        int booked = await BulkBacklog.Drain(session.Provider, 5_000, 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"payments        {booked:N0} booked through the bulk path in {sw.Elapsed.TotalSeconds:F1} s (not measured: the close's input)"));
        string machine = await session.Cluster.Describe();
        if (o.Profile)
        {
            await session.Cluster.Execute(c.Owner, "select pg_stat_statements_reset()");
        }
        var me = Process.GetCurrentProcess();
        var serverCpu = session.Cluster.ServerCpuTime();
        var clock = Stopwatch.StartNew();
        CascadeResult result;
        await using (var scope = session.Provider.CreateAsyncScope())
        {
            result = await scope.ServiceProvider.GetRequiredService<PeriodCloses>().CloseSubtree("/", period, Actor.System, CancellationToken.None);
        }
        double seconds = clock.Elapsed.TotalSeconds;
        serverCpu = session.Cluster.ServerCpuTime() - serverCpu;
        me.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"close {period}    {result.Closed:N0} organizations closed in {seconds:F1} s ({result.Closed / seconds:N0}/s; target ≤ 120 s at scale 1); {result.Refused.Count} refused; PostgreSQL CPU {serverCpu.TotalSeconds:F1} s; peak working set {me.PeakWorkingSet64 / 1e6:F0} MB; nation at scale {o.Scale}; {machine}"));
        foreach (var refusal in result.Refused.Take(3))
        {
            Console.WriteLine($"  refused: {refusal}");
        }
        await using (var conn = new NpgsqlConnection(c.Owner))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                select count(*), coalesce(sum(own_collected), 0), count(*) filter (where own_collected + received_from_children <> retained + remitted),
                       (select count(*) from remittance_orders)
                from period_closes where status = 'closed'
                """, conn) { CommandTimeout = 0 };
            await using var r = await cmd.ExecuteReaderAsync();
            await r.ReadAsync();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"verified        {r.GetInt64(0):N0} closes, {r.GetInt64(3):N0} remittance orders; members paid {r.GetInt64(1):N0} đ; splits broken: {r.GetInt64(2)}"));
        }
        await session.PrintProfile("close", 15);
        return result.Refused.Count == 0 && result.Closed > 0 ? 0 : 1;
    }

    /// <summary>
    /// Every index of the party's tables (distributed and reference, <see cref="Distribution.Tables"/>), a partitioned
    /// table's index counted over all its months: how many scans the benchmarks run on this cluster made of it since its
    /// counters were last reset, and its size. Run after load, statements, b01 and close on the same <c>--data</c>: an
    /// index no benchmark scanned must enforce a key (unique, primary, exclusion) or be justified by a query the
    /// benchmarks do not reach yet (docs/indexes.md).
    /// </summary>
    public static async Task<int> Indexes(BenchOptions o)
    {
        await using var session = await Session.Open(o, loadIfMissing: true);
        string machine = await session.Cluster.Describe();
        string[] tables = [.. Distribution.Tables.Where(t => t.Value != Placement.Local).Select(t => t.Key)];
        await using var conn = new NpgsqlConnection(session.Connections.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            with parents as (
              select t.relname as table_name, ic.oid as index_oid, ic.relname as index_name, i.indisunique, i.indisprimary,
                     exists (select 1 from pg_constraint k where k.conindid = ic.oid and k.contype = 'x') as exclusion,
                     pg_get_indexdef(ic.oid) as def
              from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
              where t.relnamespace = 'public'::regnamespace and t.relname = any(@tables) and not t.relispartition),
            counted as (
              select p.index_oid, coalesce(sum(s.idx_scan), 0) as scans, coalesce(sum(pg_relation_size(s.indexrelid)), 0) as bytes
              from parents p
              left join pg_stat_user_indexes s
                on s.indexrelid = p.index_oid
                or s.indexrelid in (select inhrelid from pg_inherits where inhparent = p.index_oid)
              group by p.index_oid)
            select p.table_name, p.index_name,
                   case when p.indisprimary then 'primary' when p.exclusion then 'exclusion' when p.indisunique then 'unique' else '' end,
                   c.scans, c.bytes, substring(p.def from ' USING .*$')
            from parents p join counted c on c.index_oid = p.index_oid
            order by p.table_name, p.index_name
            """, conn) { CommandTimeout = 0 };
        cmd.Parameters.AddWithValue("tables", tables);
        var since = await BenchCluster.Scalar<object>(session.Connections.Owner, "select stats_reset from pg_stat_database where datname = current_database()") as DateTime?;
        Console.WriteLine($"Index scans on the party's tables since {(since is { } d ? d.ToString("u", CultureInfo.InvariantCulture) : "the cluster was made")} (nation at scale {o.Scale}; {machine}):");
        int unusedPlain = 0;
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                string key = r.GetString(2);
                long scans = r.GetInt64(3);
                if (scans == 0 && key.Length == 0)
                {
                    unusedPlain++;
                }
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {r.GetString(0),-28} {r.GetString(1),-52} {key,-9} {scans,12:N0} scans {r.GetInt64(4) / 1024.0 / 1024.0,9:N1} MiB  {r.GetString(5)}"));
            }
        }
        Console.WriteLine($"{unusedPlain} indexes that enforce no key were not scanned by these benchmarks (each needs the query that justifies it: docs/indexes.md).");
        return 0;
    }

    private static async Task<List<(int Status, double Milliseconds, int Items)>> Hammer(HttpClient http, List<string> memberNos, string[] tokens, int clients, int requests)
    {
        var all = await Task.WhenAll(Enumerable.Range(0, clients).Select(client => Task.Run(async () =>
        {
            int mine = requests / clients + (client < requests % clients ? 1 : 0);
            var results = new List<(int, double, int)>(mine);
            for (int i = 0; i < mine; i++)
            {
                int u = (client + (i % 2 * clients)) % memberNos.Count;
                using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/members/{memberNos[u]}/statements");
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens[u]);
                long start = Stopwatch.GetTimestamp();
                using var answer = await http.SendAsync(request);
                byte[] body = await answer.Content.ReadAsByteArrayAsync();
                double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                int items = answer.IsSuccessStatusCode ? JsonDocument.Parse(body).RootElement.GetArrayLength() : 0;
                results.Add(((int)answer.StatusCode, ms, items));
            }
            return results;
        })));
        return [.. all.SelectMany(r => r)];
    }

    private static double Quantile(double[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))];

    /// <summary>Cores, memory and load average, for a run without a cluster.</summary>
    private static string Machine()
    {
        string memory = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        string load = string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores, {long.Parse(memory, CultureInfo.InvariantCulture) / 1024.0 / 1024.0:F0} GiB, load average {load}");
    }

    /// <summary>
    /// A cluster (throwaway, or kept in <c>--data</c>) with the national database; the nation loaded first when it is not
    /// there yet at this scale.
    /// </summary>
    private sealed class Session : IAsyncDisposable
    {
        private readonly BenchOptions _options;
        private long _logOffset;

        private Session(BenchOptions options, BenchCluster cluster, DatabaseConnections connections, ServiceProvider provider, ReceiptSigningKey key)
        {
            _options = options;
            Cluster = cluster;
            Connections = connections;
            Provider = provider;
            Key = key;
        }

        public BenchCluster Cluster { get; }
        public DatabaseConnections Connections { get; }
        public ServiceProvider Provider { get; }
        public ReceiptSigningKey Key { get; }

        public static async Task<Session> Open(BenchOptions o, bool loadIfMissing)
        {
            var cluster = await BenchCluster.StartAsync(o.Profile, o.Data);
            var created = await cluster.NewDatabase(Database, o.Profile);
            // Imports of a whole committee and the national generation outlast Npgsql's default 30 s command timeout.
            static string NoTimeout(string cs) => new NpgsqlConnectionStringBuilder(cs) { CommandTimeout = 0 }.ConnectionString;
            var connections = new DatabaseConnections(NoTimeout(created.Owner), NoTimeout(created.App));
            var key = ReceiptSigningKey.Generate();
            var provider = await Province.Services(connections, s =>
            {
                s.AddSingleton(key);
                s.AddSingleton<IVietQrEncoder, VietQrEncoder>();
                s.Configure<AccountOptions>(a => a.PasswordIterations = 10_000); // the bench's member users only
            });
            var session = new Session(o, cluster, connections, provider, key);
            string? marker = o.Data is { } data ? Path.Combine(data, MarkerFile) : null;
            string scale = o.Scale.ToString(CultureInfo.InvariantCulture);
            if (marker is not null && File.Exists(marker) && (await File.ReadAllTextAsync(marker)).Trim() != scale)
            {
                await session.DisposeAsync();
                throw new InvalidOperationException($"{o.Data} holds the nation at scale {await File.ReadAllTextAsync(marker)}, not {scale}.");
            }
            if (loadIfMissing && (marker is null || !File.Exists(marker)))
            {
                await session.LoadNation();
            }
            if (o.Sql is { } sql)
            {
                Console.WriteLine($"before measuring, as the owner (not part of the schema): {sql}");
                await cluster.Execute(connections.Owner, sql);
            }
            session._logOffset = File.Exists(cluster.ServerLog) ? new FileInfo(cluster.ServerLog).Length : 0;
            return session;
        }

        public async Task<LoadFigures> LoadNation()
        {
            var figures = await NationalLoad.Run(Provider, _options.Scale, _options.Periods);
            if (_options.Data is { } data)
            {
                await File.WriteAllTextAsync(Path.Combine(data, MarkerFile), _options.Scale.ToString(CultureInfo.InvariantCulture));
            }
            return figures;
        }

        /// <summary>With --profile: the heaviest statements since the last reset, and the plans auto_explain logged (statements over 1 s).</summary>
        public async Task PrintProfile(string run, int top)
        {
            if (!_options.Profile)
            {
                return;
            }
            Console.WriteLine($"pg_stat_statements, {run}, by total time:");
            foreach (string line in await BenchCluster.TopStatements(Connections.Owner, top))
            {
                Console.WriteLine("  " + line);
            }
            if (!File.Exists(Cluster.ServerLog))
            {
                return;
            }
            string plans = Path.Combine(Path.GetTempPath(), $"nationalbench-{run}-plans.log");
            await using (var log = new FileStream(Cluster.ServerLog, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
            await using (var output = File.Create(plans))
            {
                log.Position = Math.Min(_logOffset, log.Length);
                await log.CopyToAsync(output);
            }
            var lines = File.ReadLines(plans).Where(l => !l.Contains("checkpoint", StringComparison.Ordinal)).Take(60).ToList();
            Console.WriteLine($"plans of statements slower than 1 s (auto_explain), all in {plans}; the first {lines.Count} lines:");
            foreach (string line in lines)
            {
                Console.WriteLine("  " + line);
            }
        }

        public async ValueTask DisposeAsync()
        {
            await Provider.DisposeAsync();
            Key.Dispose();
            await Cluster.DisposeAsync();
        }
    }
}
