using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fees.Api.Hosting.Demo;
using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Persistence.Bank;
using Fees.Persistence.Database;
using Fees.Persistence.Imports;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests.Scaling;

/// <summary>
/// The service on a database that was loaded and never analyzed (autovacuum off, <c>auto_explain</c> logging every plan
/// with its actual row counts): the demo province at 10,000 members, seeded through the imports. At 3,000 members a hash
/// join over a sequential scan was the cheapest plan even for 20 keys, so the size is what makes a scan for a few rows wrong.
/// Two things analyze on purpose and so are exempt from "never analyzed": the close cascade (its own tables) and dues
/// generation (its inputs: members, placements, income, decisions, voluntary amounts; generation_statistics_refresh).
/// </summary>
public sealed class FreshStatisticsApp : FeesApp
{
    public const int Members = 10_000;

    protected override bool SeedDemo => false;

    /// <summary>The database's name, as the server log names it.</summary>
    public string DatabaseName => new NpgsqlConnectionStringBuilder(Database.Owner).Database!;

    protected override async Task<DatabaseConnections> CreateDatabase()
    {
        var database = await TestCluster.NewDatabase(nameof(FreshStatisticsApp));
        await PlanLog.Enable(database.Owner);
        return database;
    }
}

/// <summary>
/// Since the Citus keys, the primary key of every distributed table is <c>(id, province_id)</c>: <c>id</c> alone (and
/// <c>member_no</c> in members) is no longer known unique, and without statistics the planner estimates a lookup by it
/// at a fraction of the table; twice a statement that named only the id then scanned the whole table once per row or
/// per batch (the batch booking's statement update, the imports' member join). The rule is: every lookup of a
/// distributed table names its whole key. This test holds it where it matters, on the hot paths (imports and a
/// re-import, dues generation and a second run, webhook booking, payment requests, the bulk booking, cash receipts,
/// the month's close cascade) run over a database that was never analyzed: no sequential scan of a distributed table
/// runs once per row of something else (a nested loop's inner side, a subquery) reading more than
/// <see cref="PerLoopLimit"/> rows each time, and none reads more than <see cref="ScanLimit"/> rows for the statement
/// to keep less than a <see cref="KeptShare"/>th of them (a lookup done by reading the table: the batch booking's
/// statement update by id alone read 20,000 statements for 12). Whole-table reads (generation, a full import) keep what
/// they read and pass.
/// </summary>
public sealed class FreshStatisticsPlanTests(FreshStatisticsApp app) : IClassFixture<FreshStatisticsApp>
{
    /// <summary>Rows of the party's tables one statement of a 5-member file's import may touch (the file has 5 members, 25 income rows).</summary>
    private const long SmallFileRows = 300;

    /// <summary>Rows one statement of the province's whole import may touch: a few passes over its 10,000 members and their income.</summary>
    private const long LinearLimit = 50L * FreshStatisticsApp.Members;

    /// <summary>A scan reading more rows than this (the province holds 10,000 members, 20,000 statements) reads a table, not a few rows.</summary>
    private const long ScanLimit = 1_000;

    /// <summary>A scan that runs once per row of something else (a nested loop's inner side, a subquery) may read this many rows each time.</summary>
    private const long PerLoopLimit = 200;

    /// <summary>A scan of more than <see cref="ScanLimit"/> rows is a lookup done by reading the table when the statement keeps less than this share of them.</summary>
    private const int KeptShare = 10;

    [Fact]
    public async Task TheHotPaths_NeverScanADistributedTable_ForAFewRows_OnADatabaseNeverAnalyzed()
    {
        var generator = DemoSeeder.Generator(FreshStatisticsApp.Members, app.Clock);
        var well = generator.WellKnown;

        // Imports: the province loaded into the empty database, then the same files again (every member exists now).
        await app.WithScopeAsync(async s =>
        {
            await s.GetRequiredService<DemoSeeder>().SeedIfEmpty(FreshStatisticsApp.Members, withStatements: false, CancellationToken.None);
            await Import(s, ImportKind.Members, w => generator.WriteMembers(w));
            await Import(s, ImportKind.Income, w => generator.WriteIncome(w));
            return 0;
        });
        var distributed = Distribution.Of(Placement.Distributed).ToHashSet(StringComparer.Ordinal);
        var looked = Distribution.Of(Placement.Distributed).Concat(Distribution.Of(Placement.Reference)).ToHashSet(StringComparer.Ordinal);
        string serviceRole = new NpgsqlConnectionStringBuilder(app.Database.App).Username!;
        var loadPlans = await PlanLog.Plans(app.DatabaseName, serviceRole);
        int beforeSmallFiles = loadPlans.Count;
        // The province's whole files: what a statement touches follows the file, never the file times the province (the
        // placements' overlap check once probed each written row's whole province through an index by province: 10,000
        // members touched 10,000 placements each; the index reverted in fe16fee, see migration
        // 20261203110000_PlacementsByOrgWithDates).
        var quadratic = loadPlans
            .Select(p => (p.Query, Rows: PlanLog.RowsTouched(p.Plan, looked)))
            .Where(p => p.Rows > LinearLimit)
            .Select(p => $"{p.Rows} rows by: {PlanLog.Excerpt(p.Query)}")
            .ToList();
        Assert.True(quadratic.Count == 0, "Statements of the province's import that touched more rows than its files could explain:\n" + string.Join("\n", quadratic));
        await app.WithScopeAsync(async s =>
        {
            // An office's small file (a handful of members): the imports must find these few members by key, not read them all.
            await Import(s, ImportKind.Members, w => w.Write(Head(x => generator.WriteMembers(x), 5)));
            await Import(s, ImportKind.Income, w => w.Write(Head(x => generator.WriteIncome(x), 5)));
            return 0;
        });
        // The nation arrives as 40 committees' files in turn: each file's cost must follow the file, not the nation
        // (a hash join reads every member, placement and income record per file; a nested loop over a materialized
        // table rereads it per row). No statement of the small files' imports touches more than SmallFileRows rows.
        var heavy = (await PlanLog.Plans(app.DatabaseName, serviceRole)).Skip(beforeSmallFiles)
            .Select(p => (p.Query, Rows: PlanLog.RowsTouched(p.Plan, looked)))
            .Where(p => p.Rows > SmallFileRows)
            .Select(p => $"{p.Rows} rows by: {PlanLog.Excerpt(p.Query)}")
            .ToList();
        Assert.True(heavy.Count == 0, "Statements of a 5-member file's import that read more than the file's own rows:\n" + string.Join("\n", heavy));
        Assert.True(await app.OwnerScalar("select count(*) from members") >= FreshStatisticsApp.Members);

        // Dues generation: two months, and one of them again (every statement exists).
        var admin = await app.Admin();
        foreach (string period in new[] { "2026-10", "2026-11", "2026-11" })
        {
            var generated = await admin.PostAsync($"/api/cycles/{period}/generate", null);
            Assert.True(generated.IsSuccessStatusCode, await generated.Content.ReadAsStringAsync());
        }
        var debtors = await Debtors();
        Assert.True(debtors.Count >= 200, $"only {debtors.Count} members owe at an organization with an account");

        // Webhook booking: members pay by transfer, one notification each, some by their reference, some by a payment request's.
        foreach (var d in debtors.Take(30))
        {
            var (response, body) = await app.Pay(d.Account, d.Owed, PaymentReference.ForMember(d.MemberId).Value + " dong dang phi");
            Assert.True(response.StatusCode == HttpStatusCode.OK && body.GetProperty("status").GetString() == "matched", body.ToString());
        }
        foreach (var d in debtors.Skip(30).Take(10))
        {
            var qr = await admin.GetFromJsonAsync<JsonElement>($"/api/members/{d.MemberNo}/payment-qr");
            var (response, body) = await app.Pay(d.Account, qr.GetProperty("amount").GetInt64(), qr.GetProperty("reference").GetString()!);
            Assert.True(response.StatusCode == HttpStatusCode.OK && body.GetProperty("status").GetString() == "matched", body.ToString());
        }

        // The bulk path: notifications stored first, then booked in batches.
        foreach (var d in debtors.Skip(40).Take(150))
        {
            string tid = BankFeed.NewTransactionId("FS");
            var stored = await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().StoreOnly(
                new InboxEntry("generic", tid, "history", null, d.Account.Bin, d.Account.Number, null, false, d.Owed,
                    PaymentReference.ForMember(d.MemberId).Value, null, "NGUYEN VAN A", null, null, app.Clock.GetUtcNow(), Encoding.UTF8.GetBytes(tid), "{}"),
                CancellationToken.None));
            Assert.Equal(InboxOutcome.Accepted, stored.Status);
        }
        int booked = 0;
        while (await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().ProcessBatch(16, CancellationToken.None)) is { Count: > 0 } batch)
        {
            booked += batch.Count;
        }
        Assert.Equal(150, booked);

        // Cash receipts at the members' organizations.
        foreach (var d in debtors.Skip(190).Take(10))
        {
            var cash = await admin.PostAsJsonAsync($"/api/orgs/{d.Account.Code}/cash-receipts",
                new { memberNo = d.MemberNo, amount = d.Owed, receivedOn = "2026-11-27", note = "Nộp tại buổi sinh hoạt chi bộ" });
            Assert.Equal(HttpStatusCode.Created, cash.StatusCode);
        }

        // The month's close, every organization of the province, children first.
        var cascade = await admin.PostAsync($"/api/orgs/{well.ProvinceCode}/periods/2026-11/close-subtree", null);
        var closed = await cascade.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(cascade.StatusCode == HttpStatusCode.OK && closed.GetProperty("refused").GetArrayLength() == 0, closed.ToString());

        // Nothing was analyzed but what the service analyzes on purpose: the close's tables after each depth of the
        // cascade, and generation's inputs before it plans (generation_statistics_refresh: right after an import they
        // have no statistics, and the generation's one big query is where that costs most). Every other path ran on
        // a database never analyzed.
        Assert.Equal(0, await app.OwnerScalar("""
            select count(*) from pg_stat_user_tables where schemaname = 'public' and relname = any(@t)
              and (last_analyze is not null or last_autoanalyze is not null)
              and relname not in ('period_closes', 'period_close_children', 'remittance_orders', 'ledger_balances',
                                  'members', 'member_placements', 'income_records', 'fee_decisions', 'voluntary_amounts')
            """, ("t", Distribution.Of(Placement.Distributed).ToArray())));

        var plans = await PlanLog.Plans(app.DatabaseName, serviceRole);
        Assert.True(plans.Count > 1_000, $"only {plans.Count} plans in the server log"); // the log is read, and it is the service's
        // Generation's cursor reads every placement of its scope by design (members still needing a statement are found
        // by joining all of them with the month's statements; its cost is measured by the benchmarks, not here): once
        // its inputs are analyzed, a rerun of a month reads the 10,000 placements once to keep the few that still owe
        // one. A scan of it repeated per row (a loop, or under a nested loop) is still wrong.
        var scans = PlanLog.SeqScans(plans, distributed)
            .Where(s => !(s.Query.TrimStart().StartsWith("declare gen_members", StringComparison.Ordinal) && s.Loops == 1 && !s.UnderNestedLoop));
        var wrong = scans
            .Where(s => (s.Loops > 1 && s.RowsRead > PerLoopLimit * s.Loops) || (s.Loops == 1 && s.RowsRead > ScanLimit && s.RowsJoined * KeptShare < s.RowsRead))
            .GroupBy(s => (s.Table, s.Query))
            .Select(g => string.Create(CultureInfo.InvariantCulture,
                $"{g.Key.Table}: {g.Max(s => s.RowsRead)} rows read in {g.Max(s => s.Loops)} loop(s){(g.Any(s => s.UnderNestedLoop) ? " inside a nested loop" : "")} for {g.Min(s => s.RowsJoined)} kept, {g.Count()} time(s), by: {PlanLog.Excerpt(g.Key.Query)}"))
            .ToList();
        Assert.True(wrong.Count == 0, "Sequential scans of distributed tables on a database never analyzed (name the whole key (id, province_id)):\n"
            + string.Join("\n", wrong));
    }

    private static async Task Import(IServiceProvider s, ImportKind kind, Action<TextWriter> write)
    {
        using var buffer = new MemoryStream();
        await using (var writer = new StreamWriter(buffer, new UTF8Encoding(false), leaveOpen: true))
        {
            write(writer);
        }
        buffer.Position = 0;
        var outcome = await s.GetRequiredService<ImportService>().Import(kind, buffer, Actor.System, CancellationToken.None);
        Assert.True(outcome.Succeeded, string.Join("; ", outcome.Errors.Take(5).Select(e => $"line {e.Line} {e.Column}: {e.Message}")));
    }

    /// <summary>The header and the first <paramref name="rows"/> lines of a generated CSV file.</summary>
    private static string Head(Action<TextWriter> write, int rows)
    {
        using var all = new StringWriter(CultureInfo.InvariantCulture);
        write(all);
        var lines = all.ToString().Split('\n');
        return string.Join('\n', lines.Take(rows + 1)) + "\n";
    }

    private sealed record Debtor(long MemberId, string MemberNo, OrgAccount Account, long Owed);

    /// <summary>Members who owe October and November at one organization with an account, and nothing elsewhere, in a stable order.</summary>
    private async Task<List<Debtor>> Debtors()
    {
        var result = new List<Debtor>();
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select m.id, m.member_no, o.id, o.code, o.bank_bin, o.bank_account, sum(s.amount)
            from dues_statements s join orgs o on o.id = s.org_id join members m on m.id = s.member_id
            where o.bank_account is not null
            group by m.id, m.member_no, o.id, o.code, o.bank_bin, o.bank_account
            having count(*) = 2 and bool_and(s.status = 'issued' and s.paid = 0 and s.amount > 0)
               and not exists (select 1 from dues_statements x where x.member_id = m.id and x.org_id <> o.id)
            order by m.id
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            result.Add(new Debtor(r.GetInt64(0), r.GetString(1), new OrgAccount(r.GetInt64(2), r.GetString(3), r.GetString(4).Trim(), r.GetString(5)),
                r.GetInt64(6)));
        }
        return result;
    }
}
