using System.Globalization;
using System.Net;
using System.Text;
using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Persistence.Bank;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests.Bank;

/// <summary>
/// The set-based bulk path (<see cref="ReceiptBooking.BookBatch"/>, <see cref="BankInbox.ProcessBatch"/>) books
/// exactly what the one-at-a-time path books, row for row (receipts, statuses, allocations, statements, ledger entries
/// and lines, biên lai, audit), books nothing when run again, and books every row once under 20 concurrent runs; the
/// webhooks' group commit (<see cref="BankInbox.ReceiveBatch"/>) answers each entry as it would have been answered alone.
/// </summary>
public sealed class BatchBookingTests(FeesApp app) : IClassFixture<FeesApp>, IAsyncLifetime
{
    private List<Debtor> _debtors = [];

    /// <summary>A member whose two statements (2026-08, 2026-09) are issued and unpaid, all at the organization whose account they pay into.</summary>
    private sealed record Debtor(long MemberId, long OrgId, string Bin, string Account, long[] Months)
    {
        public string Reference => PaymentReference.ForMember(MemberId).Value;
    }

    public async Task InitializeAsync()
    {
        var admin = await app.Admin();
        foreach (string period in new[] { "2026-08", "2026-09" })
        {
            var r = await admin.PostAsync($"/api/cycles/{period}/generate", null);
            Assert.True(r.IsSuccessStatusCode || r.StatusCode == HttpStatusCode.Conflict);
        }
        await using var conn = await Open();
        await using var cmd = new NpgsqlCommand("""
            select s.member_id, o.id, o.bank_bin, o.bank_account, array_agg(s.amount order by s.period)
            from dues_statements s join orgs o on o.id = s.org_id
            where o.bank_account is not null
            group by s.member_id, o.id, o.bank_bin, o.bank_account
            having count(*) = 2 and bool_and(s.status = 'issued' and s.paid = 0 and s.amount > 0)
               and not exists (select 1 from dues_statements x where x.member_id = s.member_id and x.org_id <> o.id)
            order by s.member_id
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            _debtors.Add(new Debtor(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2).Trim(), reader.GetString(3), reader.GetFieldValue<long[]>(4)));
        }
        Assert.True(_debtors.Count >= 40, $"The demo province has {_debtors.Count} members who owe two months at an organization with an account.");
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task BookBatch_BooksExactlyWhatOneAtATimeBooks_WhenTheSameRowsAreBookedBothWays()
    {
        var d = _debtors.Take(10).ToList();
        var other = _debtors.First(x => x.OrgId != d[6].OrgId);
        var ids = await Store(
        [
            (d[0], d[0].Months[0], d[0].Reference + " dong dang phi", false),                         // one month: matched, the oldest paid
            (d[1], d[1].Months.Sum(), $"MBVCB.1457193831.{d[1].Reference[..4]} {d[1].Reference[4..]}.CT", false), // both months, rewritten
            (d[2], d[2].Months.Sum() + 7_000, "IBFT " + d[2].Reference, false),                   // more than owed: credit
            (d[3], d[3].Months[0] / 2, d[3].Reference, false),                                     // less than a month: partially paid
            (d[4], d[4].Months[0], d[4].Reference + " thang 8", false),                            // two transfers of one member in the batch:
            (d[4], d[4].Months[1], d[4].Reference + " thang 9", false),                            //   the second pays the next month
            (d[5], d[5].Months[0] / 2, d[5].Reference + " lan 1", false),                           // half, then the rest and more
            (d[5], d[5].Months.Sum(), d[5].Reference + " lan 2", false),
            (other, 50_000, d[6].Reference, false),                                               // another organization's member: suspense
            (d[7], 30_000, PaymentReference.ForMember(27_000_000).Value + " dang phi", false),     // a reference nobody has
            (d[7], 20_000, "chuyen tien", false),                                                  // no reference
            (d[8], 10_000, d[8].Reference + " hoan tien", true),                                   // outgoing: ignored
            (d[9] with { Account = "999000111222" }, 15_000, d[9].Reference, false),               // an account nobody keeps: ignored
            (d[9], d[9].Months[0], d[9].Reference + " " + d[7].Reference, false),                   // two members' references: ambiguous
        ]);

        await using var conn = await Open();
        string oneAtATime;
        await using (var tx = await conn.BeginTransactionAsync())
        {
            await app.WithScopeAsync(async s =>
            {
                var booking = s.GetRequiredService<ReceiptBooking>();
                foreach (long id in ids)
                {
                    await booking.Book(conn, tx, id, Actor.System, CancellationToken.None);
                }
                return 0;
            });
            oneAtATime = await Snapshot(conn, tx, ids);
            await tx.RollbackAsync();
        }
        string batched;
        IReadOnlyList<InboxOutcome> outcomes;
        await using (var tx = await conn.BeginTransactionAsync())
        {
            outcomes = await app.WithScopeAsync(s => s.GetRequiredService<ReceiptBooking>().BookBatch(conn, tx, ids, Actor.System, CancellationToken.None));
            batched = await Snapshot(conn, tx, ids);
            await tx.CommitAsync();
        }

        Assert.Equal(oneAtATime, batched);
        Assert.Equal(ids, outcomes.Select(o => o.InboxId));
        Assert.Equal(["matched", "matched", "matched", "matched", "matched", "matched", "matched", "matched", "unmatched", "unmatched",
            "unmatched", "ignored", "ignored", "unmatched"], outcomes.Select(o => o.Status));
        Assert.Contains("biên lai", batched, StringComparison.Ordinal); // the snapshot does hold the receipts issued
    }

    [Fact]
    public async Task BookBatch_BooksNothing_WhenRunAgainOverBookedRows()
    {
        var d = _debtors.Skip(10).Take(4).ToList();
        var ids = await Store(d.Select(x => (x, x.Months[0], x.Reference, false)).ToList());
        await using var conn = await Open();
        var first = await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().ProcessBatch(100, CancellationToken.None));
        Assert.Equal(ids, first.Select(o => o.InboxId));
        string before;
        await using (var tx = await conn.BeginTransactionAsync())
        {
            before = await Snapshot(conn, tx, ids);
        }

        var again = await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().ProcessBatch(100, CancellationToken.None));
        IReadOnlyList<InboxOutcome> explicitly;
        await using (var tx = await conn.BeginTransactionAsync())
        {
            explicitly = await app.WithScopeAsync(s => s.GetRequiredService<ReceiptBooking>().BookBatch(conn, tx, ids, Actor.System, CancellationToken.None));
            await tx.CommitAsync();
        }

        Assert.Empty(again);
        Assert.Empty(explicitly);
        await using (var tx = await conn.BeginTransactionAsync())
        {
            Assert.Equal(before, await Snapshot(conn, tx, ids));
        }
    }

    [Fact]
    public async Task ProcessBatch_BooksEveryRowOnce_Under20ConcurrentRuns()
    {
        var d = _debtors.Skip(14).Take(26).ToList();
        // Three transfers per member (a month, the next month, then credit): batches share members, statements and accounts.
        var plan = d.SelectMany(x => new[] { (x, x.Months[0], x.Reference + " a", false), (x, x.Months[1], x.Reference + " b", false), (x, 5_000L, x.Reference + " c", false) })
            .ToList();
        var ids = await Store(plan);

        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            var mine = new List<InboxOutcome>();
            while (await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().ProcessBatch(7, CancellationToken.None)) is { Count: > 0 } done)
            {
                mine.AddRange(done);
            }
            return mine;
        })));

        var all = runs.SelectMany(r => r).ToList();
        Assert.Equal(ids.Order(), all.Select(o => o.InboxId).Order());
        await using var conn = await Open();
        Assert.Equal(0L, await Scalar(conn, "select count(*) from bank_transactions where state = 'accepted'"));
        Assert.Equal((long)ids.Count, await Scalar(conn, $"select count(*) from receipts where bank_transaction_id = any(array[{string.Join(',', ids)}]::bigint[])"));
        Assert.Equal((long)ids.Count, await Scalar(conn, $"select count(*) from ledger_entries where source_kind = 1 and source_id = any(array[{string.Join(',', ids.Select(i => $"'bt-{i}'"))}])"));
        string members = string.Join(',', d.Select(x => x.MemberId));
        // Every member paid both months exactly, once, and keeps 5,000 đ of credit; one biên lai per transfer, numbers without gaps or repeats.
        Assert.Equal(0L, await Scalar(conn, $"select count(*) from dues_statements where member_id in ({members}) and (status <> 'paid' or paid <> amount)"));
        Assert.Equal(d.Count * 5_000L, await Scalar(conn, $"select coalesce(sum(credited), 0)::bigint from receipts where member_id in ({members}) and source = 'bank'"));
        Assert.Equal((long)ids.Count, await Scalar(conn, $"select count(*) from payment_receipts where member_id in ({members})"));
        Assert.Equal(0L, await Scalar(conn, """
            select count(*) from (select org_id, year, count(*) n, max(number) top from payment_receipts group by org_id, year) x
            join payment_receipt_counters c using (org_id, year) where x.n <> c.last_number or x.top <> c.last_number
            """));
        Assert.Equal(0L, await Scalar(conn, "select count(*) from (select entry_id from ledger_postings group by entry_id having sum(amount) <> 0) x"));
        Assert.Equal(all.Count, all.Select(o => o.ReceiptId).Distinct().Count());
    }

    [Fact]
    public async Task ProcessBatch_OnLanes_BooksOnlyItsOwnAccounts_AndLanesTogetherBookEveryRowOnce()
    {
        // One debtor per organization: the lanes split the receiving accounts, so their debtors fall to different lanes.
        var d = _debtors.Skip(62).DistinctBy(x => x.OrgId).Take(12).ToList();
        Assert.Equal(12, d.Count);
        var ids = await Store(d.SelectMany(x => new[] { (x, x.Months[0], x.Reference + " a", false), (x, x.Months[1], x.Reference + " b", false) }).ToList());
        string idList = string.Join(',', ids);
        const string LaneOfTwo = "mod(hashtext(account_number)::bigint + 2147483648, 2)";

        // Lane 0 of 2 alone, until it finds nothing: it booked exactly the rows of its accounts and left the others waiting.
        var first = new List<InboxOutcome>();
        var lane0 = new BacklogLane(0, 2);
        while (await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().ProcessBatch(3, lane0, CancellationToken.None)) is { Count: > 0 } done)
        {
            first.AddRange(done);
        }
        await using var conn = await Open();
        long ofLane0 = await Scalar(conn, $"select count(*) from bank_transactions where id in ({idList}) and {LaneOfTwo} = 0");
        Assert.InRange(ofLane0, 1, ids.Count - 1); // both lanes hold some of these accounts, or the test would prove nothing
        Assert.Equal(ofLane0, first.Count(o => ids.Contains(o.InboxId))); // (rows other tests left waiting may be booked too)
        Assert.Equal(0L, await Scalar(conn, $"select count(*) from bank_transactions where id in ({idList}) and ({LaneOfTwo} = 0) <> (state = 'processed')"));

        // The rest by 20 concurrent loops over four lanes (five loops on each): each row booked once, nothing left waiting.
        var lanes = BacklogLane.Split(4);
        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            var mine = new List<InboxOutcome>();
            while (await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().ProcessBatch(2, lanes[i % 4], CancellationToken.None)) is { Count: > 0 } done)
            {
                mine.AddRange(done);
            }
            return mine;
        })));
        var all = first.Concat(runs.SelectMany(r => r)).Where(o => ids.Contains(o.InboxId)).ToList();
        Assert.Equal(ids.Order(), all.Select(o => o.InboxId).Order());
        Assert.Equal(0L, await Scalar(conn, $"select count(*) from bank_transactions where id in ({idList}) and state <> 'processed'"));
        Assert.Equal((long)ids.Count, await Scalar(conn, $"select count(*) from receipts where bank_transaction_id in ({idList})"));
        string members = string.Join(',', d.Select(x => x.MemberId));
        Assert.Equal(0L, await Scalar(conn, $"select count(*) from dues_statements where member_id in ({members}) and (status <> 'paid' or paid <> amount)"));
    }

    [Fact]
    public void BacklogLane_SplitCoversEachLaneOnce_AndRefusesLanesThatDoNotExist()
    {
        Assert.Equal([(0, 3), (1, 3), (2, 3)], BacklogLane.Split(3).Select(l => (l.Index, l.Count)));
        Assert.Equal((0, 1), (BacklogLane.All.Index, BacklogLane.All.Count));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BacklogLane(0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BacklogLane(2, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BacklogLane(-1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BacklogLane(0, BacklogLane.MaxCount + 1));
    }

    private async Task<NpgsqlConnection> Open()
    {
        var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        return conn;
    }

    [Fact]
    public async Task ReceiveBatch_AnswersEachEntryAsItWouldAlone_WithRedeliveriesFromBeforeAndWithinTheBatch()
    {
        var d = _debtors.Skip(40).Take(12).ToList();
        Assert.Equal(12, d.Count);
        var entries = d.Select(x => Entry(x, BankFeed.NewTransactionId("RB"), x.Months[0], x.Reference + " dang phi")).ToList();
        var alone = await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().Receive(entries[0], Actor.System, CancellationToken.None));
        Assert.Equal("matched", alone.Status);

        // The first transfer again (received before), the fourth twice more (repeated within the batch).
        var batch = entries.Concat([entries[0], entries[3], entries[3]]).ToList();
        var outcomes = await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().ReceiveBatch(batch, Actor.System, CancellationToken.None));

        Assert.Equal(batch.Count, outcomes.Count);
        foreach (int i in new[] { 0, 12 })
        {
            Assert.True(outcomes[i].Duplicate);
            Assert.Equal((alone.InboxId, alone.ReceiptId, "matched"), (outcomes[i].InboxId, outcomes[i].ReceiptId, outcomes[i].Status));
        }
        for (int i = 1; i < 12; i++)
        {
            Assert.False(outcomes[i].Duplicate);
            Assert.Equal("matched", outcomes[i].Status);
            Assert.NotNull(outcomes[i].ReceiptId);
        }
        foreach (int i in new[] { 13, 14 })
        {
            Assert.True(outcomes[i].Duplicate);
            Assert.Equal((outcomes[3].InboxId, outcomes[3].ReceiptId, "matched"), (outcomes[i].InboxId, outcomes[i].ReceiptId, outcomes[i].Status));
        }
        await using var conn = await Open();
        string tids = string.Join(',', entries.Select(e => $"'{e.TransactionId}'"));
        Assert.Equal(12L, await Scalar(conn, $"select count(*) from bank_transactions where transaction_id in ({tids})"));
        Assert.Equal(12L, await Scalar(conn, $"select count(*) from receipts r join bank_transactions t on t.id = r.bank_transaction_id where t.transaction_id in ({tids})"));
        Assert.Equal(12L, await Scalar(conn, $"select count(*) from ledger_entries e join bank_transactions t on e.source_id = 'bt-' || t.id where t.transaction_id in ({tids})"));
    }

    [Fact]
    public async Task ReceiveBatch_Under20ConcurrentBatchesOfTheSameTransfers_StoresAndBooksEachOnce()
    {
        var d = _debtors.Skip(52).Take(10).ToList();
        Assert.Equal(10, d.Count);
        var entries = d.Select(x => Entry(x, BankFeed.NewTransactionId("RC"), x.Months.Sum(), x.Reference)).ToList();
        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(seed => Task.Run(async () =>
        {
            var shuffled = entries.OrderBy(_ => Random.Shared.Next()).ToList();
            var outcomes = await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().ReceiveBatch(shuffled, Actor.System, CancellationToken.None));
            return shuffled.Zip(outcomes, (e, o) => (e.TransactionId, Outcome: o)).ToList();
        })));

        var answers = runs.SelectMany(r => r).GroupBy(a => a.TransactionId).ToList();
        Assert.Equal(10, answers.Count);
        Assert.All(answers, g =>
        {
            Assert.Equal(20, g.Count());
            Assert.Single(g, a => !a.Outcome.Duplicate);
            Assert.Single(g.Select(a => (a.Outcome.InboxId, a.Outcome.ReceiptId)).Distinct());
            Assert.All(g, a => Assert.Equal("matched", a.Outcome.Status));
        });
        await using var conn = await Open();
        string tids = string.Join(',', entries.Select(e => $"'{e.TransactionId}'"));
        Assert.Equal(10L, await Scalar(conn, $"select count(*) from bank_transactions where transaction_id in ({tids}) and state = 'processed'"));
        Assert.Equal(10L, await Scalar(conn, $"select count(*) from receipts r join bank_transactions t on t.id = r.bank_transaction_id where t.transaction_id in ({tids})"));
        Assert.Equal(10L, await Scalar(conn, $"select count(*) from ledger_entries e join bank_transactions t on e.source_id = 'bt-' || t.id where t.transaction_id in ({tids})"));
    }

    private InboxEntry Entry(Debtor to, string tid, long amount, string content) =>
        new("generic", tid, "webhook", null, to.Bin, to.Account, null, false, amount, content, null, "NGUYEN VAN A", null, null, app.Clock.GetUtcNow(),
            Encoding.UTF8.GetBytes(tid), "{}");

    private static async Task<long> Scalar(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    /// <summary>Stores each transfer in the inbox without booking it (as a history page or a failed booking leaves it).</summary>
    private async Task<List<long>> Store(IReadOnlyList<(Debtor To, long Amount, string Content, bool Outgoing)> transfers)
    {
        var ids = new List<long>();
        foreach (var (to, amount, content, outgoing) in transfers)
        {
            string tid = BankFeed.NewTransactionId("BB");
            var stored = await app.WithScopeAsync(s => s.GetRequiredService<BankInbox>().StoreOnly(
                new InboxEntry("generic", tid, "history", null, to.Bin, to.Account, null, outgoing, amount, content, null, "NGUYEN VAN A", null, null,
                    app.Clock.GetUtcNow(), Encoding.UTF8.GetBytes(tid), "{}"), CancellationToken.None));
            Assert.Equal(InboxOutcome.Accepted, stored.Status);
            ids.Add(stored.InboxId);
        }
        return ids;
    }

    /// <summary>
    /// Everything booking writes for these inbox rows, as text, by inbox id (never by the ids booking allocates, which
    /// differ between two runs): the inbox states, receipts, allocations, the statements of the members touched, ledger
    /// entries and their lines, biên lai (everything but the signature, which is randomized), request states, and the
    /// audit records of the receipts and biên lai.
    /// </summary>
    private static async Task<string> Snapshot(NpgsqlConnection conn, NpgsqlTransaction tx, IReadOnlyList<long> ids)
    {
        var text = new StringBuilder();
        async Task Add(string title, string sql)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"## {title}");
            await using var cmd = new NpgsqlCommand(sql, conn, tx);
            cmd.Parameters.AddWithValue("ids", ids.ToArray());
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                text.AppendLine(string.Join(" | ", Enumerable.Range(0, r.FieldCount).Select(i => r.IsDBNull(i) ? "∅" : Convert.ToString(r.GetValue(i), CultureInfo.InvariantCulture))));
            }
        }
        await Add("inbox", "select id, state, org_id, processed_at from bank_transactions where id = any(@ids) order by id");
        await Add("receipts", """
            select bank_transaction_id, org_id, source, amount, allocated, credited, refunded, status, content, counterparty_name, member_id, reference,
                   resolution, note, booked_at, booking_date, recorded_by, created_at
            from receipts where bank_transaction_id = any(@ids) order by bank_transaction_id
            """);
        await Add("allocations", """
            select r.bank_transaction_id, a.statement_id, a.member_id, a.period, a.org_id, a.amount, a.kind, a.created_by, a.created_at
            from receipt_allocations a join receipts r on r.id = a.receipt_id where r.bank_transaction_id = any(@ids) order by 1, 2
            """);
        await Add("statements", """
            select s.id, s.member_id, s.period, s.amount, s.paid, s.status, s.updated_at from dues_statements s
            where s.member_id in (select r.member_id from receipts r where r.bank_transaction_id = any(@ids)) order by s.id
            """);
        await Add("ledger", """
            select e.source_id, e.org_id, e.booking_date, e.period, e.memo, e.reverses_entry_id,
                   (select string_agg(p.line_no || ':' || p.account_type || '/' || p.sub_key || '=' || p.amount, ' ' order by p.line_no) from ledger_postings p where p.entry_id = e.id)
            from ledger_entries e where e.source_kind = 1 and e.source_id = any(select 'bt-' || i from unnest(@ids) i) order by e.source_id
            """);
        await Add("biên lai", """
            select r.bank_transaction_id, pr.member_id, pr.org_id, pr.year, pr.number, pr.org_code, pr.org_name, pr.parent_org_name, pr.member_no, pr.member_name,
                   pr.amount, pr.periods::text, pr.period_amounts::text, pr.credit, pr.method, pr.collector, pr.collected_on, pr.issued_at, pr.key_id, pr.issued_by
            from payment_receipts pr join receipts r on r.id = pr.receipt_id where r.bank_transaction_id = any(@ids) order by 1
            """);
        await Add("counters", """
            select c.org_id, c.year, c.last_number from payment_receipt_counters c
            where c.org_id in (select org_id from bank_transactions where id = any(@ids)) order by 1, 2
            """);
        await Add("audit", """
            select r.bank_transaction_id, a.action, a.actor, a.org_path, a.after::jsonb - 'receiptId', a.at
            from audit_log a
            join receipts r on (a.target_type = 'receipt' and a.target_id = r.id::text)
                            or (a.target_type = 'payment_receipt' and (a.after::jsonb ->> 'receiptId')::bigint = r.id)
            where r.bank_transaction_id = any(@ids) order by 1, 2
            """);
        return text.ToString();
    }
}
