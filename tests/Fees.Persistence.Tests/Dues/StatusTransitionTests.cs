using System.Text.RegularExpressions;
using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Domain.Time;
using Fees.Persistence.Database;
using Fees.Persistence.Dues;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Persistence.Tests.Dues;

/// <summary>
/// The statement lifecycle is the only author of a status. Set-based SQL may change statuses in bulk, but the database
/// checks every change, by any statement and any role, against the lifecycle's own table; these tests prove the table
/// is the lifecycle's and that the database refuses anything else (by tampering as the service's role and the owner).
/// </summary>
public sealed partial class StatusTransitionTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task DatabaseTable_HoldsExactlyTheLifecycleMoves()
    {
        var stored = new List<(string, string)>();
        await using (var conn = new NpgsqlConnection(app.Database.Owner))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("select from_status, to_status from dues_statement_transitions", conn);
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync())
            {
                stored.Add((r.GetString(0), r.GetString(1)));
            }
        }
        var expected = DuesStatementLifecycle.Transitions.Where(t => t.From != t.To).Select(t => (t.From.ToCode(), t.To.ToCode()))
            .Concat(DuesStatementLifecycle.InitialStatuses.Select(s => ("", s.ToCode())))
            .Order().ToList();
        Assert.Equal(expected, stored.Order().ToList());
        Assert.Equal(expected, StatusTables.Rows().Order().ToList());
    }

    /// <summary>Every pair of statuses the lifecycle does not connect is refused, whoever runs the UPDATE.</summary>
    public static TheoryData<string, string, bool> ForbiddenMoves()
    {
        var data = new TheoryData<string, string, bool>();
        var allowed = DuesStatementLifecycle.Transitions.Select(t => (t.From, t.To)).ToHashSet();
        foreach (var from in Enum.GetValues<DuesStatementStatus>())
        {
            foreach (var to in Enum.GetValues<DuesStatementStatus>().Where(to => to != from && !allowed.Contains((from, to))))
            {
                data.Add(from.ToCode(), to.ToCode(), true);
                data.Add(from.ToCode(), to.ToCode(), false);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(ForbiddenMoves))]
    public async Task SqlUpdate_ThatTheLifecycleForbids_IsRefusedByTheDatabase(string from, string to, bool asOwner)
    {
        long id = await StatementIn(from);
        await using var conn = new NpgsqlConnection(asOwner ? app.Database.Owner : app.Database.App);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("update dues_statements set status = @to where id = @id", conn);
        cmd.Parameters.AddWithValue("to", to);
        cmd.Parameters.AddWithValue("id", id);
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
        Assert.Contains($"cannot move from {from} to {to}", e.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SqlUpdate_ThatTheLifecycleAllows_Passes()
    {
        long id = await StatementIn("issued");
        await using var conn = new NpgsqlConnection(app.Database.App);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("update dues_statements set status = 'partially_paid', paid = 1 where id = @id", conn);
        cmd.Parameters.AddWithValue("id", id);
        Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
    }

    [Theory]
    [InlineData("paid")]
    [InlineData("partially_paid")]
    [InlineData("transferred")]
    public async Task NewStatement_InAStatusNoQuoteGives_IsRefused(string status)
    {
        await using var conn = new NpgsqlConnection(app.Database.App);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            insert into dues_statements (member_id, period, org_id, amount, paid, status, rule_id, explanation, applied_rule_ids, inputs, created_at, updated_at)
            select m.id, date '2027-01-01', p.org_id, 1000, 0, @status, 'FR-01', 'x', '{}', '{}', now(), now()
            from members m join member_placements p on p.member_id = m.id limit 1
            """, conn);
        cmd.Parameters.AddWithValue("status", status);
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.CheckViolation, e.SqlState);
    }

    /// <summary>
    /// The persistence code writes no status code as an SQL literal: every status it compares or writes comes from the
    /// lifecycle as a parameter. (The only literal is the unique index's own predicate, which ON CONFLICT must repeat.)
    /// </summary>
    [Fact]
    public void PersistenceSql_WritesNoStatusLiteral()
    {
        string root = Path.Combine(RepositoryFiles.Root, "src", "Fees.Persistence");
        var offenders = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Configurations{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: Path.GetFileName(f), Line: i + 1, Text: line)))
            .Where(l => StatusLiteral().IsMatch(l.Text) && !l.Text.Contains("on conflict (member_id, period, province_id) where status <> 'transferred'", StringComparison.Ordinal))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.Empty(offenders);
    }

    [GeneratedRegex("'(awaiting_data|issued|partially_paid|paid|exempt|transferred)'")]
    private static partial Regex StatusLiteral();


    /// <summary>A statement of the demo province in <paramref name="status"/>, put there by the owner bypassing nothing but the trigger's table.</summary>
    private async Task<long> StatementIn(string status)
    {
        await app.WithScopeAsync(async s =>
        {
            var outcome = await s.GetRequiredService<DuesGeneration>().Generate(Period.Of(2026, 8), Actor.System, CancellationToken.None);
            return outcome.Succeeded || outcome.Refusal.Code == "generation_in_progress" ? 0 : throw new InvalidOperationException(outcome.Refusal.Code);
        });
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        // Put one fresh statement in the wanted status: disable the check only for this session's own setup.
        await using var tx = await conn.BeginTransactionAsync();
        await using var cmd = new NpgsqlCommand("""
            alter table dues_statements disable trigger dues_statements_status_moves;
            with one as (
              select id from dues_statements where status = 'issued' and paid = 0 and amount > 1
                and id not in (select id from dues_statements where explanation like 'tamper-%') order by id limit 1
            )
            update dues_statements s set status = @status, explanation = 'tamper-' || s.id,
                   paid = case @status when 'paid' then s.amount when 'partially_paid' then 1 else 0 end
            from one where s.id = one.id returning s.id;
            """, conn, tx);
        cmd.Parameters.AddWithValue("status", status);
        long id = (long)(await cmd.ExecuteScalarAsync())!;
        await using (var enable = new NpgsqlCommand("alter table dues_statements enable trigger dues_statements_status_moves", conn, tx))
        {
            await enable.ExecuteNonQueryAsync();
        }
        await tx.CommitAsync();
        return id;
    }
}
