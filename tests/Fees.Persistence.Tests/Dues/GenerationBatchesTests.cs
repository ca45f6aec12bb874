using Fees.Domain.Accounts;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Fees.Persistence.Dues;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Persistence.Tests.Dues;

/// <summary>
/// The generation writes its quotes in batches, on connections of their own, each batch committed (DuesGeneration).
/// With batches of a few members, so that the 300-member demo province takes dozens of them and both writers work:
/// the run creates exactly what a run in one batch creates; and a batch that fails stops the run, keeps only whole
/// batches, says in the audit log what it committed before it stopped, leaves the period unlocked, and the next run
/// creates the rest.
/// </summary>
public sealed class GenerationBatchesTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task ManySmallBatches_CreateExactlyWhatOneBatchCreates()
    {
        var period = Period.Of(2026, 9);
        var small = await Generate(period, batchSize: 7);
        var inSmallBatches = await Statements(period);
        await Exec(app.Database.Owner, $"delete from dues_statements where period = '{period.FirstDay:yyyy-MM-dd}'");

        var whole = await Generate(period, batchSize: DuesGeneration.FetchSize);

        Assert.Equal(whole, small);
        Assert.True(small.Created > 200, $"{small.Created} statements"); // dozens of batches of 7
        Assert.Equal(0, small.Existing);
        Assert.Equal(await Statements(period), inSmallBatches);
    }

    [Fact]
    public async Task AFailingBatch_StopsTheRun_KeepsWholeBatchesOnly_AndTheNextRunCreatesTheRest()
    {
        var period = Period.Of(2026, 10);
        string day = period.FirstDay.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        long victim = await Scalar(app.Database.Owner, "select member_id from member_placements where kind = 'official' order by member_id offset 149 limit 1");
        await Exec(app.Database.Owner, $"""
            create function test_fail_one_member() returns trigger language plpgsql as $$
            begin
              if exists (select 1 from new_rows where member_id = {victim} and period = '{day}') then
                raise exception 'test: the batch of member {victim} fails';
              end if;
              return null;
            end $$;
            create trigger test_fail_one_member after insert on dues_statements
              referencing new table as new_rows for each statement execute function test_fail_one_member();
            """);
        try
        {
            var failure = await Assert.ThrowsAsync<PostgresException>(() => Generate(period, batchSize: 10));
            Assert.Contains($"the batch of member {victim} fails", failure.MessageText, StringComparison.Ordinal);
        }
        finally
        {
            await Exec(app.Database.Owner, "drop trigger test_fail_one_member on dues_statements; drop function test_fail_one_member();");
        }

        long kept = await Scalar(app.Database.Owner, $"select count(*) from dues_statements where period = '{day}'");
        Assert.InRange(kept, 10, FeesApp.DemoMembers - 20);
        Assert.Equal(0, kept % 10); // whole batches (the failing one is the 15th of 30; only the last could be short)
        Assert.Equal(0, await Scalar(app.Database.Owner, $"select count(*) from dues_statements where period = '{day}' and member_id = {victim}"));
        Assert.Equal(0, await Scalar(app.Database.Owner, $"select count(*) from audit_log where action = 'dues.generate' and target_id = '{period}'"));
        // What was committed is in the audit log, with the run's stop.
        Assert.Equal(kept, await Scalar(app.Database.Owner,
            $"select (after ->> 'created')::bigint from audit_log where action = 'dues.generate.stopped' and target_id = '{period}'"));

        var rest = await Generate(period, batchSize: 10);
        Assert.True(rest.Created >= 20, $"{rest.Created} created by the second run");
        Assert.Equal(kept, rest.Existing);
        Assert.Equal(kept + rest.Created, await Scalar(app.Database.Owner, $"select count(*) from dues_statements where period = '{day}'"));
        Assert.Equal(1, await Scalar(app.Database.Owner, $"select count(*) from audit_log where action = 'dues.generate' and target_id = '{period}'"));
    }

    private async Task<GenerationResult> Generate(Period period, int batchSize) =>
        await app.WithScopeAsync(async s =>
        {
            var generation = new DuesGeneration(s.GetRequiredService<NpgsqlDataSource>(), s.GetRequiredService<AuditWriter>(), app.Clock) { BatchSize = batchSize };
            // A hang between the reading side and the writers fails the test instead of the whole run.
            Outcome<GenerationResult> outcome = await generation.Generate(period, Actor.System, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(2));
            return outcome.Succeeded ? outcome.Value : throw new InvalidOperationException(outcome.Refusal.ToString());
        });

    /// <summary>Every statement of the period as text, in member order, without its id and times.</summary>
    private async Task<List<string>> Statements(Period period)
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select concat_ws('|', member_id, org_id, province_id, amount, paid, status, rule_id, explanation, applied_rule_ids::text, inputs::text)
            from dues_statements where period = @d order by member_id
            """, conn);
        cmd.Parameters.AddWithValue("d", period.FirstDay);
        var rows = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            rows.Add(r.GetString(0));
        }
        return rows;
    }

    private static async Task Exec(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    private static async Task<long> Scalar(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
