using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Accounts;
using Fees.Domain.Time;
using Fees.Persistence.Accounts;
using Fees.Persistence.Database;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Bench;

internal static partial class NationalRuns
{
    /// <summary>
    /// The pages' reads on the national data, each as the user who makes it (a member, a cell's treasurer, the province's
    /// office, an auditor) against the service in its own process: latency of each endpoint (p50, p95, max over
    /// <c>--requests</c> calls from 8 clients, 3 calls for a province's report), and which indexes of the party's tables
    /// each one scanned (the counters of <c>pg_stat_user_indexes</c> before and after it, a partitioned index counted
    /// over its months). This is the benchmarked query behind each index in docs/indexes.md. Run it after <c>close</c>
    /// on the same <c>--data</c>, so that the cell has receipts, books and a close.
    /// </summary>
    public static async Task<int> Pages(BenchOptions o)
    {
        await using var session = await Session.Open(o, loadIfMissing: true);
        var c = session.Connections;
        var period = VietnamTime.CurrentPeriod(TimeProvider.System).AddMonths(-1);
        string quarter = string.Create(CultureInfo.InvariantCulture, $"{period.Year}-Q{(period.Month + 2) / 3}");

        // A cell of Hà Nội whose members paid through the bank (the close bench's backlog), one such member and receipt.
        await using var conn = new NpgsqlConnection(c.Owner);
        await conn.OpenAsync();
        await using var pick = new NpgsqlCommand("""
            select o.code, m.member_no, r.id, m.id
            from receipts r join orgs o on o.id = r.org_id join members m on m.id = r.member_id
            where o.kind = 'cell' and o.province_code = 'HN'
            order by r.id limit 1
            """, conn);
        string cell, memberNo;
        long receiptId, memberId;
        await using (var r = await pick.ExecuteReaderAsync())
        {
            if (!await r.ReadAsync())
            {
                Console.WriteLine("No receipt of a Hà Nội cell in this data directory: run `close` on it first.");
                return 1;
            }
            (cell, memberNo, receiptId, memberId) = (r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3));
        }

        string run = Guid.NewGuid().ToString("N")[..6];
        const string password = "Bench-national-2026!";
        var roles = new (string Name, string Role, string? Org, string? Member)[]
        {
            ("member", RoleCodes.Member, null, memberNo),
            ("treasurer", RoleCodes.Treasurer, cell, null),
            ("office", RoleCodes.Office, "HN", null),
            ("auditor", RoleCodes.Auditor, "HN", null),
        };
        await using (var scope = session.Provider.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<Users>();
            foreach (var (name, role, org, member) in roles)
            {
                var created = await users.Create($"np{run}.{name}", password, role, org, member, Actor.System, CancellationToken.None);
                if (!created.Succeeded)
                {
                    throw new InvalidOperationException($"Could not create the {name} user: {created}");
                }
            }
        }

        await using var service = await ServiceProcess.StartAsync(c, session.Cluster.Directory("service-" + run), Secret, session.Key.ExportPrivateKeyPem());
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 8, PooledConnectionLifetime = Timeout.InfiniteTimeSpan })
        {
            BaseAddress = service.BaseAddress,
            Timeout = TimeSpan.FromMinutes(5),
        };
        var tokens = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, _, _, _) in roles)
        {
            using var answer = await http.PostAsJsonAsync("/api/auth/token", new { username = $"np{run}.{name}", password });
            answer.EnsureSuccessStatusCode();
            using var json = JsonDocument.Parse(await answer.Content.ReadAsStringAsync());
            tokens[name] = json.RootElement.GetProperty("accessToken").GetString()!;
        }

        string p = period.ToString();
        var pages = new (string User, string Path, bool Heavy)[]
        {
            ("member", $"/api/members/{memberNo}/statements", false),
            ("member", $"/api/members/{memberNo}", false),
            ("member", $"/api/members/{memberNo}/fee-decisions", false),
            ("member", $"/api/members/{memberNo}/income-declarations", false),
            ("treasurer", $"/api/orgs/{cell}/reconciliation?period={p}", false),
            ("treasurer", $"/api/receipts/{receiptId}", false),
            ("treasurer", $"/api/orgs/{cell}/trial-balance", false),
            ("office", $"/api/orgs/{cell}/journal", false),
            ("treasurer", $"/api/orgs/{cell}/periods/{p}/close", false),
            ("treasurer", $"/api/orgs/{cell}/remittances", false),
            ("treasurer", $"/api/orgs/{cell}/members", false),
            ("treasurer", $"/api/orgs/{cell}/income-declarations", false),
            ("office", "/api/orgs/HN/children", false),
            ("office", $"/api/members?q={memberNo}", false),
            ("office", $"/api/transfer-requests", false),
            ("office", $"/api/reports/b01?org=HN&range={quarter}&format=csv", true),
            ("office", $"/api/reports/s01?org={cell}&range={quarter}&format=csv", false),
            ("office", $"/api/reports/s02?org={cell}&range={quarter}&format=csv", false),
            ("office", $"/api/reports/reconciliation?org={cell}&range={p}&format=csv", false),
            ("office", $"/api/reports/arrears?org={cell}&range={quarter}&format=csv", false),
            ("office", $"/api/reports/readiness?org=HN&range={p}&format=csv", true),
            ("auditor", $"/api/audit?targetType=member&targetId={memberId}", false),
            ("auditor", $"/api/audit/access?member={memberNo}", false),
            ("auditor", $"/api/audit/access?user=np{run}.office", false),
            ("auditor", "/api/audit/access?action=report.export", false),
            ("auditor", $"/api/audit?action=dues.generate", false),
            ("auditor", $"/api/audit?from={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddHours(-1).ToString("O", CultureInfo.InvariantCulture))}", false),
        };
        string machine = await session.Cluster.Describe();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Pages on the nation at scale {o.Scale}: cell {cell} of Hà Nội, member {memberNo}, period {p}; {Math.Min(o.Requests, 2_000)} calls each from 8 clients (3 for a province's report); {machine}"));
        int failed = 0;
        // The backends' index counters reach pg_stat when they go idle, at most every 10 s: each page's scans are the
        // difference between the counters 11 s after the page before and 11 s after it (its warm-up call included).
        await Task.Delay(TimeSpan.FromSeconds(11));
        var before = await IndexScans(c.Owner);
        foreach (var (user, path, heavy) in pages)
        {
            await Call(http, tokens[user], path); // warm: JIT, the plan, the pages the query reads
            int calls = heavy ? 3 : Math.Min(o.Requests, 2_000);
            var results = await Task.WhenAll(Enumerable.Range(0, heavy ? 1 : 8).Select(client => Task.Run(async () =>
            {
                var mine = new List<(int Status, double Ms)>();
                for (int i = client; i < calls; i += heavy ? 1 : 8)
                {
                    mine.Add(await Call(http, tokens[user], path));
                }
                return mine;
            })));
            await Task.Delay(TimeSpan.FromSeconds(11));
            var after = await IndexScans(c.Owner);
            var all = results.SelectMany(x => x).ToList();
            var ms = all.Select(x => x.Ms).Order().ToArray();
            var statuses = string.Join(",", all.GroupBy(x => x.Status).Select(g => g.Key.ToString(CultureInfo.InvariantCulture)));
            failed += all.Count(x => x.Status != 200);
            var used = after.Where(a => a.Value > before.GetValueOrDefault(a.Key)).Select(a => $"{a.Key} {(a.Value - before.GetValueOrDefault(a.Key)) / (double)(calls + 1):0.#}")
                .Order(StringComparer.Ordinal).ToList();
            before = after;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{user,-9} {path,-62} {statuses,-4} p50 {Quantile(ms, 0.5),7:F1} ms  p95 {Quantile(ms, 0.95),7:F1} ms  max {ms[^1],7:F1} ms  ({calls} calls)"));
            Console.WriteLine($"          index scans per call: {string.Join("; ", used)}");
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"service peak RSS (VmHWM) {service.PeakResidentBytes() / 1e6:F0} MB; {failed} calls not 200"));
        return failed == 0 ? 0 : 1;
    }

    private static async Task<(int Status, double Ms)> Call(HttpClient http, string token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        long start = Stopwatch.GetTimestamp();
        using var answer = await http.SendAsync(request);
        await answer.Content.ReadAsByteArrayAsync();
        return ((int)answer.StatusCode, Stopwatch.GetElapsedTime(start).TotalMilliseconds);
    }

    /// <summary>Scans of every index of the party's tables so far, a partitioned index's months summed under its own name.</summary>
    private static async Task<Dictionary<string, long>> IndexScans(string owner)
    {
        string[] tables = [.. Distribution.Tables.Where(t => t.Value != Placement.Local).Select(t => t.Key)];
        var scans = new Dictionary<string, long>(StringComparer.Ordinal);
        await using var conn = new NpgsqlConnection(owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select ic.relname, coalesce(sum(s.idx_scan), 0)::bigint
            from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
            left join pg_stat_user_indexes s on s.indexrelid = ic.oid or s.indexrelid in (select inhrelid from pg_inherits where inhparent = ic.oid)
            where t.relnamespace = 'public'::regnamespace and t.relname = any(@tables) and not t.relispartition
            group by ic.relname
            """, conn);
        cmd.Parameters.AddWithValue("tables", tables);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            scans[r.GetString(0)] = r.GetInt64(1);
        }
        return scans;
    }
}
