using Fees.Testing;
using Npgsql;

namespace Fees.Persistence.Tests.Dues;

/// <summary>
/// A statement names an organization that exists, checked by the database once per statement of SQL (migration
/// <c>20261203120000_StatementOrgsBySet</c>, which replaced a per-row foreign key): tampering as the service's role and
/// as the owner shows every way around it refused, with the foreign key's own SQLSTATE, and nothing written.
/// </summary>
public sealed class StatementOrgsTests(FeesApp app) : IClassFixture<FeesApp>
{
    private const string Constraint = "dues_statements_org_exists";

    // One row per (org, province) pair given: a member who has no statement for January 2027 yet, in a status a quote gives.
    private const string InsertSql = """
        insert into dues_statements (province_id, member_id, period, org_id, amount, paid, status, rule_id, explanation, applied_rule_ids, inputs, created_at, updated_at)
        select t.province_id, m.id, date '2027-01-01', t.org_id, 1000, 0, 'issued', 'FR-01', 'org-check', '{}', '{}', now(), now()
        from unnest(@orgs::bigint[], @provinces::bigint[]) with ordinality as t(org_id, province_id, n)
        join lateral (
          select m.id from members m
          where not exists (select 1 from dues_statements s where s.member_id = m.id and s.period = date '2027-01-01')
          order by m.id offset t.n - 1 limit 1) m on true
        """;

    [Fact]
    public async Task AnInsert_NamingAnOrganizationNotInOrgs_IsRefusedWhole_AndTheSameInsertWithoutItPasses()
    {
        var (org, province) = await SomeCell();
        long missing = await Scalar<long>(app.Database.Owner, "select max(id) + 1000 from orgs");
        await using var conn = await Open(app.Database.App);

        var e = await Assert.ThrowsAsync<PostgresException>(() => Insert(conn, null, [org, missing, org], [province, province, province]));
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, Constraint), (e.SqlState, e.ConstraintName));
        Assert.Contains($"organization {missing}", e.MessageText, StringComparison.Ordinal);
        Assert.Equal(0, await Scalar<long>(app.Database.Owner, "select count(*) from dues_statements where explanation = 'org-check'"));

        await using var tx = await conn.BeginTransactionAsync();
        Assert.Equal(3, await Insert(conn, tx, [org, org, org], [province, province, province]));
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task AnUpdate_MovingAStatementToAMissingOrganization_IsRefused_ToAnExistingOnePasses()
    {
        var (org, province) = await SomeCell();
        long other = await Scalar<long>(app.Database.Owner, $"select id from orgs where id <> {org} and province_id = {province} order by id limit 1");
        long missing = await Scalar<long>(app.Database.Owner, "select max(id) + 1000 from orgs");
        await using var conn = await Open(app.Database.App);
        await using var tx = await conn.BeginTransactionAsync();
        Assert.Equal(1, await Insert(conn, tx, [org], [province]));
        await Exec(conn, tx, "savepoint before_move");

        var e = await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, tx, $"update dues_statements set org_id = {missing} where explanation = 'org-check'"));
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, Constraint), (e.SqlState, e.ConstraintName));

        await Exec(conn, tx, "rollback to savepoint before_move");
        Assert.Equal(1, await Exec(conn, tx, $"update dues_statements set org_id = {other} where explanation = 'org-check'"));
        // A change that leaves the organization alone (every payment) is not checked at all: nothing to refuse.
        Assert.Equal(1, await Exec(conn, tx, "update dues_statements set amount = 2000 where explanation = 'org-check'"));
        await tx.RollbackAsync();
    }

    [Fact]
    public async Task TheService_NeverDeletesAnOrganization()
    {
        long org = await NewOrg();
        await using var conn = await Open(app.Database.App);
        var e = await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, null, $"delete from orgs where id = {org}"));
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task NoOne_RenumbersAnOrganization(bool asOwner)
    {
        long org = await NewOrg();
        await using var conn = await Open(asOwner ? app.Database.Owner : app.Database.App);
        var e = await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, null, $"update orgs set id = id + 1000000000 where id = {org}"));
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, Constraint), (e.SqlState, e.ConstraintName));
        Assert.Equal(1, await Scalar<long>(app.Database.Owner, $"select count(*) from orgs where id = {org}"));
    }

    [Theory]
    [InlineData("delete from orgs where id = {0}")]
    [InlineData("truncate orgs cascade")]
    public async Task TheOwner_CannotDeleteOrTruncateOrganizationsThatStatementsName(string change)
    {
        long org = await NewOrg();
        string sql = string.Format(System.Globalization.CultureInfo.InvariantCulture, change, org);
        await using var conn = await Open(app.Database.Owner);
        if (change.StartsWith("delete", StringComparison.Ordinal))
        {
            // With no statement naming it, the owner may (the change is rolled back).
            await using var tx = await conn.BeginTransactionAsync();
            Assert.Equal(1, await Exec(conn, tx, sql));
            await tx.RollbackAsync();
        }
        await using (var tx = await conn.BeginTransactionAsync())
        {
            long province = await Scalar<long>(app.Database.Owner, $"select province_id from orgs where id = {org}");
            Assert.Equal(1, await Insert(conn, tx, [org], [province]));
            var e = await Assert.ThrowsAsync<PostgresException>(() => Exec(conn, tx, sql));
            Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, Constraint), (e.SqlState, e.ConstraintName));
            await tx.RollbackAsync();
        }
    }

    [Fact]
    public async Task TheOwnersDelete_WaitsForAStatementBeingInserted_AndThenIsRefused()
    {
        long org = await NewOrg();
        long province = await Scalar<long>(app.Database.Owner, $"select province_id from orgs where id = {org}");
        await using var writer = await Open(app.Database.App);
        await using var tx = await writer.BeginTransactionAsync();
        Assert.Equal(1, await Insert(writer, tx, [org], [province])); // uncommitted: the check saw the organization

        await using var owner = await Open(app.Database.Owner);
        var delete = Exec(owner, null, $"delete from orgs where id = {org}");
        await Task.Delay(500);
        Assert.False(delete.IsCompleted); // it waits for the insert to commit rather than deleting under it
        await tx.CommitAsync();
        var e = await Assert.ThrowsAsync<PostgresException>(() => delete);
        Assert.Equal((PostgresErrorCodes.ForeignKeyViolation, Constraint), (e.SqlState, e.ConstraintName));
        await Exec(owner, null, "delete from dues_statements where explanation = 'org-check'");
    }

    /// <summary>A cell of the demo province with its province key.</summary>
    private async Task<(long Org, long Province)> SomeCell()
    {
        await using var conn = await Open(app.Database.Owner);
        await using var cmd = new NpgsqlCommand("select id, province_id from orgs where province_id is not null and parent_id is not null order by id desc limit 1", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        Assert.True(await r.ReadAsync());
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>A new organization (a copy of a demo cell under another code), committed by the owner, that nothing names.</summary>
    private async Task<long> NewOrg()
    {
        var (cell, _) = await SomeCell();
        return await Scalar<long>(app.Database.Owner, $"""
            insert into orgs (code, name, kind, parent_id, path, province_code, setting, wage_region, created_at, updated_at)
            select left(code, 20) || '-T' || nextval('orgs_id_seq'), name, kind, parent_id, path || 'T' || currval('orgs_id_seq') || '/', province_code, setting, wage_region, now(), now()
            from orgs where id = {cell}
            returning id
            """);
    }

    private static async Task<int> Insert(NpgsqlConnection conn, NpgsqlTransaction? tx, long[] orgs, long[] provinces)
    {
        await using var cmd = new NpgsqlCommand(InsertSql, conn, tx);
        cmd.Parameters.AddWithValue("orgs", orgs);
        cmd.Parameters.AddWithValue("provinces", provinces);
        return await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<int> Exec(NpgsqlConnection conn, NpgsqlTransaction? tx, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        return await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<T> Scalar<T>(string connectionString, string sql)
    {
        await using var conn = await Open(connectionString);
        await using var cmd = new NpgsqlCommand(sql, conn);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    private static async Task<NpgsqlConnection> Open(string connectionString)
    {
        var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        return conn;
    }
}
