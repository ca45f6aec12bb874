using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Persistence.Dues;
using Fees.Persistence.Ledger;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Persistence.Tests.Dues;

/// <summary>One random step on dues statements: new statements, a payment of several at once, a transfer, a delete, a rewrite.</summary>
public sealed record StatementStep(int Kind, int Org, int Month, int Pick, int Count, long Amount);

/// <summary>
/// The monthly paid totals B01/ĐP reads (<c>dues_paid_by_org_month</c>) are kept by the database's triggers on
/// <c>dues_statements</c>. Law: after any history of SQL statements on the statements (multi-row inserts, some with
/// money already on them; payments of several statements in one UPDATE, moved by the statement lifecycle; transfers to
/// another organization with their continuation; deletes; updates that change no money), every organization's total
/// for every month equals both an in-memory model of the history and the statements' own sum, counting every status
/// but <c>transferred</c>; and the audit check <c>paid-totals-match-statements</c> agrees. Each case runs as the
/// service's role in a transaction that is rolled back, on months no other test writes. The service's role cannot
/// write the totals itself, and a total tampered with by the owner is named by the audit check.
/// </summary>
public sealed class PaidTotalsProperties(FeesApp app) : IClassFixture<FeesApp>
{
    private static readonly DateOnly[] Months = [new(2027, 5, 1), new(2027, 6, 1), new(2027, 7, 1)];
    private static readonly SemaphoreSlim OneCaseAtATime = new(1, 1);

    public static Arbitrary<StatementStep[]> Histories { get; } = Arb.From(
        Gen.Choose(1, 30).SelectMany(n => (
            from kind in Gen.Frequency((4, Gen.Constant(0)), (5, Gen.Constant(1)), (2, Gen.Constant(2)), (1, Gen.Constant(3)), (1, Gen.Constant(4)))
            from org in Gen.Choose(0, 2)
            from month in Gen.Choose(0, Months.Length - 1)
            from pick in Gen.Choose(0, 10_000)
            from count in Gen.Choose(1, 4)
            from amount in Gen.Choose(0, 300_000)
            select new StatementStep(kind, org, month, pick, count, amount)).ArrayOf(n)));

    [Property(MaxTest = 25)]
    public Property AnyHistoryOfStatements_KeepsEveryMonthlyTotal_EqualToTheStatements() =>
        Prop.ForAll(Histories, steps => Run(steps).GetAwaiter().GetResult());

    /// <summary>One statement as the model sees it.</summary>
    private sealed class Row
    {
        public long Id { get; init; }
        public int Org { get; init; }
        public int Month { get; init; }
        public long Amount { get; init; }
        public long Paid { get; set; }
        public DuesStatementStatus Status { get; set; }
    }

    private async Task<Property> Run(StatementStep[] steps)
    {
        await OneCaseAtATime.WaitAsync();
        try
        {
            var cell = await app.Org(app.Demo.CellCode);
            var sibling = await app.Org(app.Demo.SiblingCellCode);
            long[] orgs = [cell.Id, sibling.Id, cell.ParentId!.Value];

            await using var conn = new NpgsqlConnection(app.Database.App);
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await Exec(conn, tx, "select ensure_period_partitions(@p)", ("p", Months[^1]));
            var members = await Longs(conn, tx, "select id from members order by id limit 200");
            var before = await Totals(conn, tx, orgs);

            var model = new List<Row>();
            int nextMember = 0;
            foreach (var step in steps)
            {
                switch (step.Kind)
                {
                    case 0:
                    {
                        // Up to four new statements in one INSERT; some arrive with money on them already.
                        var batch = Enumerable.Range(0, step.Count).Select(i => new Row
                        {
                            Org = (step.Org + i) % orgs.Length, Month = (step.Month + i) % Months.Length,
                            Amount = step.Amount + i * 1_000, Status = DuesStatementStatus.Issued,
                            Paid = (step.Pick + i) % 3 == 0 ? Math.Min(step.Amount + i * 1_000, step.Pick) : 0,
                        }).Take(members.Count - nextMember).ToList();
                        if (batch.Count == 0)
                        {
                            break;
                        }
                        var ids = await Longs(conn, tx, """
                            insert into dues_statements (member_id, period, org_id, amount, paid, status, rule_id, explanation, applied_rule_ids, inputs, created_at, updated_at)
                            select m, p, o, a, pd, @issued, 'FR-01', 'property', '{}', '{}', now(), now()
                            from unnest(@m, @p, @o, @a, @pd) as x(m, p, o, a, pd)
                            returning id
                            """,
                            ("issued", DuesStatementStatus.Issued.ToCode()),
                            ("m", batch.Select(_ => members[nextMember++]).ToArray()),
                            ("p", batch.Select(r => Months[r.Month]).ToArray()),
                            ("o", batch.Select(r => orgs[r.Org]).ToArray()),
                            ("a", batch.Select(r => r.Amount).ToArray()),
                            ("pd", batch.Select(r => r.Paid).ToArray()));
                        for (int i = 0; i < batch.Count; i++)
                        {
                            model.Add(new Row { Id = ids[i], Org = batch[i].Org, Month = batch[i].Month, Amount = batch[i].Amount, Paid = batch[i].Paid, Status = batch[i].Status });
                        }
                        break;
                    }
                    case 1:
                    {
                        // A payment of up to four open statements in one UPDATE; the lifecycle decides each status.
                        var open = model.Where(r => Lifecycle(r).CanRecordPayment && r.Paid < r.Amount).ToList();
                        var chosen = open.Skip(open.Count == 0 ? 0 : step.Pick % open.Count).Take(step.Count).ToList();
                        if (chosen.Count == 0)
                        {
                            break;
                        }
                        foreach (var r in chosen)
                        {
                            long add = Math.Max(1, Math.Min(r.Amount - r.Paid, (step.Amount % (r.Amount - r.Paid + 1)) + 1));
                            r.Paid += add;
                            Lifecycle(r).RecordPayment(Money.Vnd(r.Paid), Money.Vnd(r.Amount));
                        }
                        await Exec(conn, tx, """
                            update dues_statements s set paid = x.paid, status = x.status
                            from unnest(@id, @paid, @status) as x(id, paid, status) where s.id = x.id
                            """,
                            ("id", chosen.Select(r => r.Id).ToArray()), ("paid", chosen.Select(r => r.Paid).ToArray()),
                            ("status", chosen.Select(r => r.Status.ToCode()).ToArray()));
                        break;
                    }
                    case 2:
                    {
                        // A transfer: the statement ends as transferred; its unpaid rest is continued at another organization.
                        var movable = model.Where(r => Lifecycle(r).CanTransfer).ToList();
                        if (movable.Count == 0)
                        {
                            break;
                        }
                        var from = movable[step.Pick % movable.Count];
                        Lifecycle(from).Transfer();
                        await Exec(conn, tx, "update dues_statements set status = @status where id = @id",
                            ("status", from.Status.ToCode()), ("id", from.Id));
                        var to = new Row { Org = (from.Org + 1) % orgs.Length, Month = from.Month, Amount = from.Amount - from.Paid, Status = DuesStatementStatus.Issued };
                        var id = await Longs(conn, tx, """
                            insert into dues_statements (member_id, period, org_id, amount, paid, status, rule_id, explanation, applied_rule_ids, inputs, created_at, updated_at, transferred_from_id)
                            select member_id, period, @org, @amount, 0, @issued, rule_id, 'property: continued', applied_rule_ids, inputs, now(), now(), id
                            from dues_statements where id = @from
                            returning id
                            """,
                            ("org", orgs[to.Org]), ("amount", to.Amount), ("issued", DuesStatementStatus.Issued.ToCode()), ("from", from.Id));
                        model.Add(new Row { Id = id[0], Org = to.Org, Month = to.Month, Amount = to.Amount, Status = to.Status });
                        break;
                    }
                    case 3 when model.Count > 0:
                    {
                        var gone = model[step.Pick % model.Count];
                        await Exec(conn, tx, "delete from dues_statements where id = @id", ("id", gone.Id));
                        model.Remove(gone);
                        break;
                    }
                    case 4 when model.Count > 0:
                    {
                        // An update of every statement of the case that moves no money.
                        await Exec(conn, tx, "update dues_statements set explanation = explanation || '.' where id = any(@ids)",
                            ("ids", model.Select(r => r.Id).ToArray()));
                        break;
                    }
                }
            }

            var after = await Totals(conn, tx, orgs);
            var problems = new List<string>();
            for (int o = 0; o < orgs.Length; o++)
            {
                for (int m = 0; m < Months.Length; m++)
                {
                    long expected = model.Where(r => r.Org == o && r.Month == m && r.Status != DuesStatementStatus.Transferred).Sum(r => r.Paid);
                    long stored = after[(orgs[o], Months[m])] - before[(orgs[o], Months[m])];
                    long sum = (await Longs(conn, tx, """
                        select coalesce(sum(paid), 0)::bigint from dues_statements where status <> @transferred and org_id = @org and period = @period
                        """, ("transferred", DuesStatementStatus.Transferred.ToCode()), ("org", orgs[o]), ("period", Months[m])))[0];
                    if (stored != expected || after[(orgs[o], Months[m])] != sum)
                    {
                        problems.Add($"org {o} {Months[m]:yyyy-MM}: total {after[(orgs[o], Months[m])]} (change {stored}), model {expected}, statements {sum}");
                    }
                }
            }
            await tx.RollbackAsync();
            return (problems.Count == 0).Label(string.Join("; ", problems));
        }
        finally
        {
            OneCaseAtATime.Release();
        }
    }

    private static DuesStatementLifecycle Lifecycle(Row r) => new(() => r.Status, s => r.Status = s);

    /// <summary>
    /// Twenty transactions at once, each paying one statement at each of two organizations in one UPDATE (half of them
    /// naming the organizations in the other order): all commit, none deadlocks on the totals (the triggers upsert in key
    /// order), and each month's total is the sum of all twenty payments.
    /// </summary>
    [Fact]
    public async Task TwentyConcurrentPayments_OfTheSameOrganizationsMonth_AddUpExactly()
    {
        var cell = await app.Org(app.Demo.CellCode);
        var sibling = await app.Org(app.Demo.SiblingCellCode);
        var month = new DateOnly(2027, 8, 1);
        List<long> ids;
        await using (var conn = new NpgsqlConnection(app.Database.App))
        {
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await Exec(conn, tx, "select ensure_period_partitions(@p)", ("p", month));
            ids = await Longs(conn, tx, """
                insert into dues_statements (member_id, period, org_id, amount, paid, status, rule_id, explanation, applied_rule_ids, inputs, created_at, updated_at)
                select m.id, @p, case when m.n % 2 = 0 then @a else @b end, 10000, 0, @issued, 'FR-01', 'concurrency', '{}', '{}', now(), now()
                from (select id, row_number() over (order by id) as n from members order by id limit 40) m
                order by m.n
                returning id
                """, ("p", month), ("a", cell.Id), ("b", sibling.Id), ("issued", DuesStatementStatus.Issued.ToCode()));
            await tx.CommitAsync();
        }
        try
        {
            using var start = new SemaphoreSlim(0, 20);
            var payments = Enumerable.Range(0, 20).Select(async i =>
            {
                await using var conn = new NpgsqlConnection(app.Database.App);
                await conn.OpenAsync();
                await using var tx = await conn.BeginTransactionAsync();
                await start.WaitAsync();
                long[] pair = i % 2 == 0 ? [ids[2 * i], ids[2 * i + 1]] : [ids[2 * i + 1], ids[2 * i]];
                await Exec(conn, tx, """
                    update dues_statements s set paid = 1000 + x.n, status = @partial
                    from unnest(@ids) with ordinality as x(id, n) where s.id = x.id
                    """, ("ids", pair), ("partial", DuesStatementStatus.PartiallyPaid.ToCode()));
                await tx.CommitAsync();
            }).ToList();
            start.Release(20);
            await Task.WhenAll(payments);

            await using var check = new NpgsqlConnection(app.Database.App);
            await check.OpenAsync();
            await using var read = await check.BeginTransactionAsync();
            foreach (var org in new[] { cell.Id, sibling.Id })
            {
                var total = await Longs(check, read, "select coalesce(sum(paid), 0)::bigint from dues_paid_by_org_month where org_id = @o and period = @p", ("o", org), ("p", month));
                var sum = await Longs(check, read, "select coalesce(sum(paid), 0)::bigint from dues_statements where org_id = @o and period = @p", ("o", org), ("p", month));
                Assert.Equal(20 * 1_000 + 10 * 1 + 10 * 2, sum[0]);
                Assert.Equal(sum[0], total[0]);
            }
        }
        finally
        {
            await using var conn = new NpgsqlConnection(app.Database.App);
            await conn.OpenAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await Exec(conn, tx, "delete from dues_statements where id = any(@ids)", ("ids", ids.ToArray()));
            await tx.CommitAsync();
        }
        Assert.True((await app.Services.GetRequiredService<AuditCheckRunner>().RunAll("")).Single(c => c.Name == PaidTotalsCheck.Name).Passed);
    }

    [Fact]
    public async Task TheServiceRole_CannotWriteTheTotals_AndATamperedTotal_IsNamedByTheAudit()
    {
        var cell = await app.Org(app.Demo.CellCode);
        await using (var conn = new NpgsqlConnection(app.Database.App))
        {
            await conn.OpenAsync();
            foreach (var sql in new[]
            {
                "insert into dues_paid_by_org_month (province_id, period, org_id, paid) select province_id, date '2027-05-01', id, 1 from orgs where id = @org",
                "update dues_paid_by_org_month set paid = paid + 1 where org_id = @org",
                "delete from dues_paid_by_org_month where org_id = @org",
            })
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                cmd.Parameters.AddWithValue("org", cell.Id);
                var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
            }
        }

        var runner = app.Services.GetRequiredService<AuditCheckRunner>();
        Assert.True((await runner.RunAll("")).Single(c => c.Name == PaidTotalsCheck.Name).Passed);
        await using (var owner = new NpgsqlConnection(app.Database.Owner))
        {
            await owner.OpenAsync();
            await using var tamper = new NpgsqlCommand("""
                insert into dues_paid_by_org_month as t (province_id, period, org_id, paid)
                select province_id, date '2027-06-01', id, 7 from orgs where id = @org
                on conflict (province_id, period, org_id) do update set paid = t.paid + 7
                """, owner);
            tamper.Parameters.AddWithValue("org", cell.Id);
            await tamper.ExecuteNonQueryAsync();
            try
            {
                var check = (await runner.RunAll("")).Single(c => c.Name == PaidTotalsCheck.Name);
                Assert.False(check.Passed);
                var violation = Assert.Single(check.Violations);
                Assert.Equal([$"paid-total:{app.Demo.CellCode}/2027-06"], violation.Rows);
                Assert.Contains("total 7 đồng, statements 0 đồng", violation.Detail, StringComparison.Ordinal);
            }
            finally
            {
                await using var undo = new NpgsqlCommand("update dues_paid_by_org_month set paid = paid - 7 where org_id = @org and period = date '2027-06-01'", owner);
                undo.Parameters.AddWithValue("org", cell.Id);
                await undo.ExecuteNonQueryAsync();
            }
        }
        Assert.True((await runner.RunAll("")).Single(c => c.Name == PaidTotalsCheck.Name).Passed);
    }

    private static async Task<Dictionary<(long Org, DateOnly Month), long>> Totals(NpgsqlConnection conn, NpgsqlTransaction tx, long[] orgs)
    {
        var result = new Dictionary<(long, DateOnly), long>();
        foreach (var o in orgs)
        {
            foreach (var m in Months)
            {
                result[(o, m)] = (await Longs(conn, tx, "select coalesce(sum(paid), 0)::bigint from dues_paid_by_org_month where org_id = @o and period = @m", ("o", o), ("m", m)))[0];
            }
        }
        return result;
    }

    private static async Task<List<long>> Longs(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        var result = new List<long>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            result.Add(r.GetInt64(0));
        }
        return result;
    }

    private static async Task Exec(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        await cmd.ExecuteNonQueryAsync();
    }
}
