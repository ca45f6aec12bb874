using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Fees.Api.Hosting;
using Fees.Api.Jobs;
using Fees.Domain.Receipts;
using Fees.Domain.Dues;
using Fees.Persistence.Bank;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests.Scaling;

/// <summary>
/// Two instances of the service on one database share the work: bank notifications sent to either (the same one to
/// both at once included) are booked once each, with one biên lai each and biên lai numbers without gaps; jobs enqueued
/// many times through both instances do their work once, and both instances' Hangfire servers take jobs; a job held by
/// an instance that dies is taken by another once the invisibility timeout has passed.
/// </summary>
public sealed class TwoInstancesTests(TwoInstancesApp app) : IClassFixture<TwoInstancesApp>
{
    private static readonly TimeSpan JobsWithin = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Notifications_SentToBothInstances_AreEachBookedOnce_WithOneBienLaiEach_AndGaplessNumbers()
    {
        var debtors = await Debtors(40);
        var transactions = debtors.Select(d => (Id: BankFeed.NewTransactionId("TI"), Debtor: d)).ToList();
        using var toA = app.A.CreateClient();
        using var toB = app.B.CreateClient();
        // Alternating between the instances; every fourth one is delivered to both at the same moment as well.
        var sends = new List<(string TransactionId, HttpClient Client, string Body)>();
        for (int i = 0; i < transactions.Count; i++)
        {
            var (id, d) = transactions[i];
            string body = BankFeed.GenericBody(id, new OrgAccount(d.OrgId, "", d.Bin, d.Account), d.Amount, d.Reference + " dong dang phi", app.A.Clock.GetUtcNow());
            sends.Add((id, i % 2 == 0 ? toA : toB, body));
            if (i % 4 == 0)
            {
                sends.Add((id, i % 2 == 0 ? toB : toA, body));
            }
        }
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answers = new ConcurrentBag<(string TransactionId, HttpStatusCode Code, string Status, long? ReceiptId)>();
        var senders = sends.Select(async s =>
        {
            await go.Task;
            var response = await s.Client.PostGeneric(s.Body);
            var json = await response.Content.ReadFromJsonAsync<JsonElement>();
            answers.Add((s.TransactionId, response.StatusCode, json.GetProperty("status").GetString()!,
                json.TryGetProperty("receiptId", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt64() : null));
        }).ToList();
        go.SetResult();
        await Task.WhenAll(senders);

        Assert.All(answers, a => Assert.True(a.Code is HttpStatusCode.OK or HttpStatusCode.Accepted, $"{a.TransactionId}: {a.Code}"));
        // "accepted": stored, its booking left to a job (only when booking overran its budget on a loaded machine).
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { "matched", "duplicate", "accepted" }));
        // Each transaction was stored by exactly one of its deliveries; a redelivery names the same receipt when it names one.
        Assert.All(answers.GroupBy(a => a.TransactionId), g =>
        {
            Assert.Single(g, a => a.Status != "duplicate");
            Assert.True(g.Where(a => a.ReceiptId is not null).Select(a => a.ReceiptId).Distinct().Count() <= 1);
        });
        string ids = string.Join(',', transactions.Select(t => $"'{t.Id}'"));
        await Eventually(async () => await app.Scalar($"select count(*) from bank_transactions where transaction_id in ({ids}) and state = 'accepted'") == 0,
            "every transaction booked");
        Assert.Equal(transactions.Count, await app.Scalar($"select count(*) from bank_transactions where transaction_id in ({ids})"));
        Assert.Equal(0, await app.Scalar($"select count(*) from bank_transactions where transaction_id in ({ids}) and state = 'accepted'"));
        Assert.Equal(transactions.Count, await app.Scalar($"""
            select count(distinct r.id) from bank_transactions t join receipts r on r.bank_transaction_id = t.id where t.transaction_id in ({ids})
            """));
        Assert.Equal(0, await app.Scalar($"""
            select count(*) from (select t.id from bank_transactions t join receipts r on r.bank_transaction_id = t.id
                                  where t.transaction_id in ({ids}) group by t.id having count(*) <> 1) x
            """));
        Assert.Equal(transactions.Count, await app.Scalar($"""
            select count(*) from ledger_entries e join bank_transactions t on e.source_kind = 1 and e.source_id = 'bt-' || t.id
            where t.transaction_id in ({ids})
            """));
        Assert.Equal(transactions.Count, await app.Scalar($"""
            select count(*) from payment_receipts p join receipts r on r.id = p.receipt_id join bank_transactions t on t.id = r.bank_transaction_id
            where t.transaction_id in ({ids})
            """));
        Assert.Equal(transactions.Count, await app.Scalar($"""
            select count(distinct p.receipt_id) from payment_receipts p join receipts r on r.id = p.receipt_id join bank_transactions t on t.id = r.bank_transaction_id
            where t.transaction_id in ({ids})
            """));
        await AssertBienLaiNumbersGapless();
        Assert.Equal(0, await app.Scalar("select count(*) from (select entry_id from ledger_postings group by entry_id having sum(amount) <> 0) x"));
        string members = string.Join(',', debtors.Select(d => d.MemberId));
        Assert.Equal(0L, await app.Scalar($"select count(*) from dues_statements where member_id in ({members}) and period = date '2026-08-01' and (status <> 'paid' or paid <> amount)"));

        // A biên lai issued by either instance verifies on both: they sign with the one configured key.
        var (org, year, number, signature) = await AnyBienLai();
        foreach (var instance in new[] { app.A, app.B })
        {
            using var client = instance.CreateClient();
            var verified = await client.GetFromJsonAsync<JsonElement>($"/api/receipts/verify/{org}/{year}/{number}?s={Uri.EscapeDataString(signature)}");
            Assert.True(verified.GetProperty("genuine").GetBoolean(), instance.Name);
        }
    }

    [Fact]
    public async Task ASessionOpenedOnOneInstance_IsValidOnTheOther_AndASignOutOnItEndsItOnBoth()
    {
        using var onA = await app.A.Admin(); // sessions live in the database, not in an instance
        using var onB = app.B.CreateClient();
        onB.DefaultRequestHeaders.Authorization = onA.DefaultRequestHeaders.Authorization;
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/orgs")).StatusCode);

        var signedOut = await onB.PostAsync("/api/auth/sign-out", null);
        Assert.True(signedOut.IsSuccessStatusCode, signedOut.StatusCode.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.GetAsync("/api/orgs")).StatusCode);
    }

    [Fact]
    public async Task AnImportRunningOnOneInstance_IsFollowedOnTheOther_ToItsEnd()
    {
        using var onA = await app.A.Admin();
        using var onB = app.B.CreateClient();
        onB.DefaultRequestHeaders.Authorization = onA.DefaultRequestHeaders.Authorization;
        var (orgs, members, _) = Csv.Demo(2000, seed: 21, provinceCode: "TI", provinceNumber: 87);
        (await onA.PostAsync("/api/import/orgs", Csv.Body(orgs))).EnsureSuccessStatusCode();
        var runId = Guid.NewGuid();

        var import = onA.PostAsync($"/api/import/members?runId={runId}", Csv.Body(members));
        while (!import.IsCompleted)
        {
            var read = await onB.GetAsync($"/api/import/runs/{runId}"); // the progress lives in the database
            Assert.True(read.StatusCode is HttpStatusCode.OK or HttpStatusCode.NotFound, read.StatusCode.ToString());
            await Task.Delay(100);
        }
        (await import).EnsureSuccessStatusCode();

        var run = await onB.GetFromJsonAsync<JsonElement>($"/api/import/runs/{runId}");
        Assert.Equal("done", run.GetProperty("phase").GetString());
        Assert.Equal(Encoding.UTF8.GetByteCount(members), run.GetProperty("bytesRead").GetInt64());
        Assert.Equal(2000, run.GetProperty("result").GetProperty("created").GetInt32());
    }

    [Fact]
    public async Task AnInstanceWithoutTheSharedSigningKey_SignsWithItsOwn_AndEveryBienLaiVerifiesOnEveryInstance()
    {
        var debtors = await Debtors(2);
        using (var client = app.A.CreateClient())
        {
            var paid = await client.PostGeneric(BankFeed.GenericBody(BankFeed.NewTransactionId("TK"), new OrgAccount(debtors[0].OrgId, "", debtors[0].Bin, debtors[0].Account),
                debtors[0].Amount, debtors[0].Reference, app.A.Clock.GetUtcNow()));
            Assert.True(paid.IsSuccessStatusCode);
        }
        var byA = await AnyBienLai();
        // Stopped before the test ends: its Hangfire server must not take the other tests' jobs.
        (string Org, int Year, string Number, string Signature) byOwn;
        await using (var own = await app.StartAnother("instance-own-key", sharedKey: false))
        {
            string ownKey = own.Services.GetRequiredService<ReceiptSigningKey>().KeyId;
            Assert.NotEqual(app.A.Services.GetRequiredService<ReceiptSigningKey>().KeyId, ownKey);
            using var toOwn = own.CreateClient();
            var paid = await toOwn.PostGeneric(BankFeed.GenericBody(BankFeed.NewTransactionId("TK"), new OrgAccount(debtors[1].OrgId, "", debtors[1].Bin, debtors[1].Account),
                debtors[1].Amount, debtors[1].Reference, app.A.Clock.GetUtcNow()));
            Assert.True(paid.IsSuccessStatusCode);
            byOwn = await BienLaiSignedWith(ownKey);
            // The instance with its own key verifies what A signed, and the other way round below.
            await AssertGenuine(toOwn, byA, "instance-own-key");
            await AssertGenuine(toOwn, byOwn, "instance-own-key");
        }
        foreach (var instance in new[] { app.A, app.B })
        {
            using var client = instance.CreateClient();
            await AssertGenuine(client, byOwn, instance.Name);
        }
    }

    private static async Task AssertGenuine(HttpClient client, (string Org, int Year, string Number, string Signature) bienLai, string where)
    {
        var verified = await client.GetFromJsonAsync<JsonElement>(
            $"/api/receipts/verify/{bienLai.Org}/{bienLai.Year}/{bienLai.Number}?s={Uri.EscapeDataString(bienLai.Signature)}");
        Assert.True(verified.GetProperty("genuine").GetBoolean(), where);
    }

    [Fact]
    public async Task JobsEnqueuedManyTimesThroughBothInstances_DoTheirWorkOnce_AndBothServersTakeJobs()
    {
        var instances = new[] { app.A, app.B };
        // A job that runs well past the invisibility timeout, beside all the rest: its instance keeps renewing the
        // fetch (sliding invisibility), so no other instance takes it while it runs.
        string longRound = "long-" + Guid.NewGuid().ToString("N");
        string longJob = app.B.Enqueue<ProbeJobs>(j => j.Hold(longRound, TwoInstancesApp.InvisibilityTimeout * 2.5, CancellationToken.None));
        List<string> EnqueueOnBoth(int times, Func<ServiceInstance, string> enqueue) =>
            Enumerable.Range(0, times).Select(i => enqueue(instances[i % 2])).ToList();

        // Both servers work: four jobs that each finish only while jobs of the round run in both instances at once
        // (two workers each, so one instance alone can never hold all four).
        string round = "both-" + Guid.NewGuid().ToString("N");
        var rendezvous = EnqueueOnBoth(4, i => i.Enqueue<ProbeJobs>(j => j.Rendezvous(round, new[] { "instance-a", "instance-b" }, CancellationToken.None)));
        await app.AllSucceeded(rendezvous, JobsWithin);
        var ranOn = (await app.History(rendezvous)).Where(h => h.State == "Processing").Select(h => h.ServerId!.Split(':')[0]).ToList();
        Assert.Equal(["instance-a", "instance-b"], ranOn.Distinct().Order());
        // Each job ran in the services of the instance whose server took it (its result names the instance it ran in).
        Assert.All((await app.History(rendezvous)).GroupBy(h => h.JobId), g =>
            Assert.Equal(g.Single(h => h.State == "Processing").ServerId!.Split(':')[0], JsonSerializer.Deserialize<string>(g.Single(h => h.State == "Succeeded").Result!)));
        Assert.Equal(2, await app.Scalar("select count(*) from hangfire.server where id like 'instance-a:%' or id like 'instance-b:%'"));

        await DebtorLock.WaitAsync();
        try
        {
            await GenerateAugust(); // the population to compare December's generation with
        }
        finally
        {
            DebtorLock.Release();
        }

        // Monthly generation, six times: one statement per member for the period, as many as a generation makes alone.
        var generations = EnqueueOnBoth(6, i => i.Enqueue<DuesJobs>(j => j.GenerateCurrentPeriod(CancellationToken.None)));
        await app.AllSucceeded(generations, JobsWithin);
        long december = await app.Scalar("select count(*) from dues_statements where period = date '2026-12-01'");
        Assert.Equal(await app.Scalar("select count(distinct member_id) from dues_statements where period = date '2026-12-01'"), december);
        Assert.Equal(await app.Scalar("select count(*) from dues_statements where period = date '2026-08-01'"), december);

        // Backlog booking, six times over 30 waiting transfers: each booked once (one receipt, one ledger entry).
        var cell = await app.A.Account(app.A.Demo.CellCode);
        var backlog = await StoreOnly(cell, 30, "BL");
        var bookings = EnqueueOnBoth(6, i => i.Enqueue<BankJobs>(j => j.BookBacklog(4, CancellationToken.None)));
        await app.AllSucceeded(bookings, JobsWithin);
        Assert.Equal(backlog.Count, (await Results(bookings)).Sum(r => int.Parse(r, CultureInfo.InvariantCulture)));
        await AssertBookedOnce(backlog);

        // Daily transfers, six times, over one member moved today: the move happens once, the other runs find nothing.
        await MoveToday(app.A.Demo.CellMemberNo, app.A.Demo.SiblingCellCode);
        var transfers = EnqueueOnBoth(6, i => i.Enqueue<DuesJobs>(j => j.ApplyTransfers(CancellationToken.None)));
        await app.AllSucceeded(transfers, JobsWithin);
        var moved = (await Results(transfers)).Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(5, moved.Count(m => m == 0));
        Assert.Equal(await app.Scalar("select count(*) from dues_statements s join members m on m.id = s.member_id where m.member_no = @m and s.status = 'transferred'",
            ("m", app.A.Demo.CellMemberNo)), moved.Sum());
        Assert.True(moved.Sum() > 0);

        // The close of November, six times: every organization closed once, by one of the runs.
        using (var admin = await app.A.Admin())
        {
            var generated = await admin.PostAsync("/api/cycles/2026-11/generate", null);
            Assert.True(generated.IsSuccessStatusCode, await generated.Content.ReadAsStringAsync());
        }
        var closes = EnqueueOnBoth(6, i => i.Enqueue<CloseJobs>(j => j.ClosePreviousMonth(CancellationToken.None)));
        await app.AllSucceeded(closes, JobsWithin);
        // Hangfire stores a result without its default values: a run that closed nothing has no "Closed" at all.
        var cascades = (await Results(closes)).Select(r => JsonDocument.Parse(r).RootElement).ToList();
        long closed = await app.Scalar("select count(*) from period_closes where period = date '2026-11-01'");
        Assert.True(closed > 10, $"{closed} organizations closed November");
        Assert.Equal(closed, cascades.Sum(c => c.TryGetProperty("Closed", out var n) ? n.GetInt32() : 0));
        Assert.Equal(closed, await app.Scalar("select count(distinct org_id) from period_closes where period = date '2026-11-01'"));

        await app.AllSucceeded([longJob], JobsWithin);
        Assert.Single(ProbeJobs.Starts(longRound));

        var all = rendezvous.Concat(generations).Concat(bookings).Concat(transfers).Concat(closes).Append(longJob).ToList();
        var history = await app.History(all);
        // Each job was taken once by one worker and ran to its end once; both instances took some of the real ones too.
        Assert.All(history.Where(h => h.State == "Processing").GroupBy(h => h.JobId), g => Assert.Single(g));
        Assert.Equal(all.Count, history.Count(h => h.State == "Succeeded"));
        Console.WriteLine("Jobs per instance: " + string.Join(", ", history.Where(h => h.State == "Processing")
            .GroupBy(h => h.ServerId!.Split(':')[0]).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}")));
    }

    [Fact]
    public async Task AnInstanceThatDiesMidJob_LeavesItsJobsToTheOthers_AfterTheInvisibilityTimeout()
    {
        var doomed = await app.StartAnother("instance-c");
        var cell = await app.A.Account(app.A.Demo.CellCode);
        var backlog = await StoreOnly(cell, 12, "DI");
        string round = "dies-" + Guid.NewGuid().ToString("N");
        // Six slices of two; the doomed instance's two workers take two of them and hang (the others wait for that first).
        var jobs = backlog.Chunk(2).Select((slice, i) => (i % 2 == 0 ? app.A : doomed).Enqueue<ProbeJobs>(j =>
            j.BookSlice(round, slice, "instance-c", 2, CancellationToken.None))).ToList();
        await Eventually(() => ProbeJobs.Starts(round).Count(s => s == "instance-c") == 2, "instance-c took two jobs");

        var stopping = System.Diagnostics.Stopwatch.StartNew();
        await doomed.DisposeAsync(); // its two jobs never return: fetched, unfinished, their instance gone
        stopping.Stop();
        await app.AllSucceeded(jobs, JobsWithin);

        await AssertBookedOnce(backlog);
        var history = await app.History(jobs);
        var taken = history.Where(h => h.State == "Processing").GroupBy(h => h.JobId).ToList();
        var leftOver = taken.Where(g => g.Any(h => h.ServerId!.StartsWith("instance-c:", StringComparison.Ordinal))).ToList();
        Assert.Equal(2, leftOver.Count);
        Assert.All(leftOver, g =>
        {
            // Taken by instance-c, then again by a live instance, which finished it.
            Assert.Equal(2, g.Count());
            Assert.StartsWith("instance-c:", g.First().ServerId, StringComparison.Ordinal);
            Assert.Matches("^instance-[ab]:", g.Last().ServerId);
        });
        Assert.Equal(jobs.Count, history.Count(h => h.State == "Succeeded"));
        Assert.Equal(0, await app.Scalar("select count(*) from hangfire.server where id like 'instance-c:%'"));
        Console.WriteLine($"instance-c stopped in {stopping.Elapsed.TotalSeconds:F1} s; its jobs were finished by {string.Join(", ", leftOver.Select(g => g.Last().ServerId))}");
    }

    [Fact]
    public async Task EachInstancesServer_RunsItsJobsInItsOwnServices_NotInTheProcessWideActivator()
    {
        // Hangfire keeps a process-wide JobActivator.Current that every host starting in the process overwrites; an
        // instance must never run its jobs through it (it may be another host's, stopped since, or of another database).
        await using var late = await app.StartAnother("instance-late");
        var activators = new[] { app.A, app.B, late }.Select(i => i.Services.GetRequiredService<Hangfire.JobActivator>()).ToList();
        Assert.All(activators, a => Assert.NotSame(Hangfire.JobActivator.Current, a));
        Assert.Equal(3, activators.Distinct(ReferenceEqualityComparer.Instance).Count());
    }

    private sealed record Debtor(long MemberId, long OrgId, string Bin, string Account, long Amount)
    {
        public string Reference => PaymentReference.ForMember(MemberId).Value;
    }

    private static readonly SemaphoreSlim DebtorLock = new(1, 1);
    private static readonly HashSet<long> Used = [];

    /// <summary>
    /// Members who owe August 2026 at an organization with an account and owe nowhere else, none handed out before
    /// (August is generated the first time; the demo's cell member is kept for the daily transfer).
    /// </summary>
    private async Task<List<Debtor>> Debtors(int count)
    {
        await DebtorLock.WaitAsync();
        try
        {
            await GenerateAugust();
            await using var conn = new NpgsqlConnection(app.Database.Owner);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                select s.member_id, o.id, o.bank_bin, o.bank_account, s.amount
                from dues_statements s join orgs o on o.id = s.org_id join members m on m.id = s.member_id
                where o.bank_account is not null and s.period = date '2026-08-01' and s.status = 'issued' and s.paid = 0 and s.amount > 0
                  and m.member_no <> @cell and not (s.member_id = any(@used))
                  and not exists (select 1 from dues_statements x where x.member_id = s.member_id and x.org_id <> o.id)
                order by s.member_id
                limit @n
                """, conn);
            cmd.Parameters.AddWithValue("cell", app.A.Demo.CellMemberNo);
            cmd.Parameters.AddWithValue("used", Used.ToArray());
            cmd.Parameters.AddWithValue("n", count);
            var debtors = new List<Debtor>();
            await using var reader = await cmd.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                debtors.Add(new Debtor(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2).Trim(), reader.GetString(3), reader.GetInt64(4)));
            }
            Assert.Equal(count, debtors.Count);
            Used.UnionWith(debtors.Select(d => d.MemberId));
            return debtors;
        }
        finally
        {
            DebtorLock.Release();
        }
    }

    /// <summary>August 2026's statements, made by the first test that needs them (the others find them made).</summary>
    private async Task GenerateAugust()
    {
        using var admin = await app.A.Admin();
        var r = await admin.PostAsync("/api/cycles/2026-08/generate", null);
        Assert.True(r.IsSuccessStatusCode || r.StatusCode == HttpStatusCode.Conflict);
    }

    /// <summary>Transfers stored and not booked (what a request leaves when booking could not finish), as inbox ids.</summary>
    private async Task<List<long>> StoreOnly(OrgAccount to, int count, string prefix)
    {
        var ids = new List<long>();
        for (int i = 0; i < count; i++)
        {
            string id = BankFeed.NewTransactionId(prefix);
            string body = BankFeed.GenericBody(id, to, 10_000 + i, "khong ro noi dung " + i, app.A.Clock.GetUtcNow());
            var stored = await app.A.WithScopeAsync(s => s.GetRequiredService<BankInbox>().StoreOnly(new InboxEntry("generic", id, "webhook", null, to.Bin, to.Number,
                null, false, 10_000 + i, "khong ro noi dung " + i, null, null, null, null, app.A.Clock.GetUtcNow(), Encoding.UTF8.GetBytes(body), "{}"), CancellationToken.None));
            Assert.Equal(InboxOutcome.Accepted, stored.Status);
            ids.Add(stored.InboxId);
        }
        return ids;
    }

    private async Task AssertBookedOnce(IReadOnlyCollection<long> inboxIds)
    {
        string ids = string.Join(',', inboxIds);
        Assert.Equal(0, await app.Scalar($"select count(*) from bank_transactions where id in ({ids}) and state = 'accepted'"));
        Assert.Equal(inboxIds.Count, await app.Scalar($"select count(*) from receipts where bank_transaction_id in ({ids})"));
        Assert.Equal(inboxIds.Count, await app.Scalar($"select count(distinct bank_transaction_id) from receipts where bank_transaction_id in ({ids})"));
        Assert.Equal(inboxIds.Count, await app.Scalar($"select count(*) from ledger_entries where source_kind = 1 and source_id in ({string.Join(',', inboxIds.Select(i => $"'bt-{i}'"))})"));
    }

    private async Task AssertBienLaiNumbersGapless() =>
        Assert.Equal(0, await app.Scalar("""
            select count(*) from (select org_id, year, count(*) n, count(distinct number) d, max(number) top from payment_receipts group by org_id, year) x
            join payment_receipt_counters c using (org_id, year) where x.n <> c.last_number or x.d <> x.n or x.top <> c.last_number
            """));

    private Task<(string Org, int Year, string Number, string Signature)> AnyBienLai() => BienLaiSignedWith(null);

    /// <summary>The newest biên lai (signed with <paramref name="keyId"/>, when given).</summary>
    private async Task<(string Org, int Year, string Number, string Signature)> BienLaiSignedWith(string? keyId)
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select org_code, year, number, signature from payment_receipts where @key is null or key_id = @key order by id desc limit 1", conn);
        cmd.Parameters.Add(new NpgsqlParameter("key", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)keyId ?? DBNull.Value });
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return (r.GetString(0), r.GetInt32(1), r.GetInt32(2).ToString("D7", CultureInfo.InvariantCulture), r.GetString(3));
    }

    private async Task MoveToday(string memberNo, string toOrg)
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            update member_placements set valid_to = @today where member_id = (select id from members where member_no = @m) and valid_to is null;
            insert into member_placements (member_id, org_id, kind, valid_from, recorded_at, recorded_by)
            select m.id, o.id, 'official', @today, now(), 'test' from members m, orgs o where m.member_no = @m and o.code = @o;
            """, conn);
        cmd.Parameters.AddWithValue("m", memberNo);
        cmd.Parameters.AddWithValue("o", toOrg);
        // The service's today (its clock), not the database's current_date: the tests' clock is fixed, the real date moves.
        cmd.Parameters.AddWithValue("today", Fees.Domain.Time.VietnamTime.Today(app.A.Clock));
        await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>The return values of succeeded jobs, as JSON text.</summary>
    private async Task<List<string>> Results(IEnumerable<string> jobIds) =>
        (await app.History(jobIds)).Where(h => h.State == "Succeeded").Select(h => h.Result!).ToList();

    private static Task Eventually(Func<bool> condition, string what) => Eventually(() => Task.FromResult(condition()), what);

    private static async Task Eventually(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Not within 30 s: " + what);
            await Task.Delay(50);
        }
    }
}
