using System.Globalization;
using Fees.Domain.Remittance;
using Fees.Domain.Time;
using Fees.Persistence.Database;
using Fees.Testing;
using Npgsql;

namespace Fees.Persistence.Tests.Closing;

/// <summary>
/// A close is frozen and a remittance order moves only as its lifecycle says, whoever writes the SQL: these tests tamper
/// as the service's role and as the owner, and the database refuses.
/// </summary>
public sealed class CloseTableTests(EmptyFeesApp app) : IClassFixture<EmptyFeesApp>
{
    [Fact]
    public async Task RemittanceTransitionsTable_HoldsExactlyTheLifecycleMoves()
    {
        var stored = new List<(string, string)>();
        await using var conn = await Open(asOwner: true);
        await using var cmd = new NpgsqlCommand("select from_status, to_status from remittance_order_transitions", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            stored.Add((r.GetString(0), r.GetString(1)));
        }
        var expected = RemittanceOrderLifecycle.Transitions.Select(t => (t.From.ToCode(), t.To.ToCode())).Distinct().Order().ToList();
        Assert.Equal(expected, stored.Order().ToList());
        Assert.Equal(expected, StatusTables.RemittanceRows().Order().ToList());
    }

    public static TheoryData<string, string, bool> ForbiddenMoves()
    {
        var data = new TheoryData<string, string, bool>();
        var allowed = RemittanceOrderLifecycle.Transitions.Select(t => (t.From, t.To)).ToHashSet();
        foreach (var from in Enum.GetValues<RemittanceOrderStatus>())
        {
            foreach (var to in Enum.GetValues<RemittanceOrderStatus>().Where(to => to != from && !allowed.Contains((from, to))))
            {
                data.Add(from.ToCode(), to.ToCode(), from == RemittanceOrderStatus.Created);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ForbiddenMoves))]
    public async Task RemittanceOrderUpdate_ThatTheLifecycleForbids_IsRefused(string from, string to, bool asOwner)
    {
        long id = await OrderIn(from);
        await using var conn = await Open(asOwner);
        var e = await Assert.ThrowsAsync<PostgresException>(() => Execute(conn, $"update remittance_orders set status = '{to}' where id = {id}"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
        Assert.Contains($"cannot move from {from} to {to}", e.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RemittanceOrder_CannotBeBornPaid_NorChangeItsAmount_NorBeDeleted()
    {
        long id = await OrderIn("created");
        await using var owner = await Open(asOwner: true);
        var born = await Assert.ThrowsAsync<PostgresException>(() => Execute(owner, $"""
            insert into remittance_orders (close_id, org_id, parent_org_id, period, amount, reference, purpose, status, created_by, created_at)
            select close_id, org_id, parent_org_id, period, amount, 'DR22222222', purpose, 'paid', 'x', now() from remittance_orders where id = {id}
            """));
        Assert.Equal(PostgresErrorCodes.CheckViolation, born.SqlState);
        await Assert.ThrowsAsync<PostgresException>(() => Execute(owner, $"update remittance_orders set amount = amount + 1 where id = {id}"));
        await Assert.ThrowsAsync<PostgresException>(() => Execute(owner, $"delete from remittance_orders where id = {id}"));
        await using var app_ = await Open(asOwner: false);
        await Assert.ThrowsAsync<PostgresException>(() => Execute(app_, $"delete from remittance_orders where id = {id}"));
        Assert.Equal(1, await Execute(app_, $"update remittance_orders set status = 'instructed', instructed_by = 'x', instructed_at = now() where id = {id}"));
    }

    [Fact]
    public async Task PeriodClose_IsFrozen_ItsSplitCannotBeRewritten_NorTheCloseDeleted_NorReopenedTwice()
    {
        long close = await Close();
        foreach (bool asOwner in new[] { false, true })
        {
            await using var conn = await Open(asOwner);
            await Assert.ThrowsAsync<PostgresException>(() => Execute(conn, $"update period_closes set retained = retained + 1, remitted = remitted - 1 where id = {close}"));
            await Assert.ThrowsAsync<PostgresException>(() => Execute(conn, $"update period_closes set closed_by = 'someone.else' where id = {close}"));
            await Assert.ThrowsAsync<PostgresException>(() => Execute(conn, $"delete from period_closes where id = {close}"));
        }
        await using var service = await Open(asOwner: false);
        Assert.Equal(1, await Execute(service, $"update period_closes set status = 'reopened', reopened_by = 'x', reopened_at = now(), reopen_reason = 'r' where id = {close}"));
        await Assert.ThrowsAsync<PostgresException>(() => Execute(service, $"update period_closes set status = 'closed', reopened_at = null where id = {close}"));
    }

    [Fact]
    public async Task PeriodClose_ThatDoesNotSplitExactly_IsRefused_AndASecondStandingCloseToo()
    {
        var split = await Assert.ThrowsAsync<PostgresException>(() => Close(retained: 31, remitted: 70));
        Assert.Equal(PostgresErrorCodes.CheckViolation, split.SqlState);
        await Close(period: "2026-10-01");
        var twice = await Assert.ThrowsAsync<PostgresException>(() => Close(period: "2026-10-01"));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, twice.SqlState);
    }

    private async Task<NpgsqlConnection> Open(bool asOwner)
    {
        var conn = new NpgsqlConnection(asOwner ? app.Database.Owner : app.Database.App);
        await conn.OpenAsync();
        return conn;
    }

    private static async Task<int> Execute(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>Tests share one database: each close gets a period and revision of its own.</summary>
    private static int _counter;

    private Task<long> Close(string? period = null, long retained = 30, long remitted = 70) => CloseIn(app, period, retained, remitted);

    /// <summary>A standing close of a child organization (made under its parent) with 100 đồng split 30/70.</summary>
    private static async Task<long> CloseIn(EmptyFeesApp app, string? period = null, long retained = 30, long remitted = 70)
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await Execute(conn, """
            insert into orgs (code, name, kind, setting, path, province_code, wage_region, created_at, updated_at)
            values ('CLOSE-P', 'Đảng bộ thử', 'base_committee', 'commune', '/CLOSE-P/', 'CLOSE-P', 1, now(), now()),
                   ('CLOSE-C', 'Chi bộ thử', 'cell', 'commune', '/CLOSE-P/CLOSE-C/', 'CLOSE-P', 1, now(), now())
            on conflict do nothing;
            update orgs set parent_id = (select id from orgs where code = 'CLOSE-P') where code = 'CLOSE-C' and parent_id is null;
            """);
        int n = Interlocked.Increment(ref _counter);
        period ??= Period.Of(2027, 1).AddMonths(n).FirstDay.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        int revision = n;
        await using var cmd = new NpgsqlCommand($"""
            insert into period_closes (org_id, period, revision, parent_org_id, cadence, own_collected, received_from_children, subtree_collected,
                                       retained, remitted, shortfall, status, closed_by, closed_at)
            select c.id, date '{period}', {revision}, c.parent_id, 'monthly', 100, 0, 100, {retained}, {remitted}, 0, 'closed', 'test', now()
            from orgs c where c.code = 'CLOSE-C'
            returning id
            """, conn);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private async Task<long> OrderIn(string status)
    {
        long close = await Close();
        await using var conn = await Open(asOwner: true);
        await using var cmd = new NpgsqlCommand($"""
            insert into remittance_orders (close_id, org_id, parent_org_id, period, amount, reference, purpose, status, created_by, created_at)
            select id, org_id, parent_org_id, period, 70, @reference, 'DR test', 'created', 'test', now() from period_closes where id = {close}
            returning id
            """, conn);
        cmd.Parameters.AddWithValue("reference", Fees.Domain.Dues.PaymentReference.ForRemittance(close).Value);
        long id = (long)(await cmd.ExecuteScalarAsync())!;
        var path = status switch
        {
            "created" => [],
            "instructed" => ["instructed"],
            "paid" => ["paid"],
            "confirmed" => ["paid", "confirmed"],
            "cancelled" => new[] { "cancelled" },
            _ => throw new ArgumentOutOfRangeException(nameof(status)),
        };
        foreach (var step in path)
        {
            await Execute(conn, $"update remittance_orders set status = '{step}' where id = {id}");
        }
        return id;
    }
}
