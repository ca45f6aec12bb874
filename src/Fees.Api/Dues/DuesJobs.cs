using Fees.Api.Accounts;
using Fees.Domain.Time;
using Hangfire;

namespace Fees.Api.Dues;

/// <summary>
/// Hangfire jobs of the dues cycle. Jobs take no entity, only what identifies the work, and are safe to run twice:
/// generation is idempotent on (member, period).
/// </summary>
public sealed class DuesJobs(DuesGeneration generation, Database.DatabaseConnections database, TimeProvider clock, ILogger<DuesJobs> log)
{
    public const string MonthlyJobId = "dues-generate-monthly";
    public const string DailyTransfersJobId = "dues-transfers-daily";

    /// <summary>
    /// On the 1st of each month at 00:05 Vietnam time: the new period's statements for every member. Every day at
    /// 00:10: unpaid dues follow members whose move took effect that day.
    /// </summary>
    public static void Schedule(IRecurringJobManager jobs)
    {
        jobs.AddOrUpdate<DuesJobs>(MonthlyJobId, j => j.GenerateCurrentPeriod(CancellationToken.None), "5 0 1 * *",
            new RecurringJobOptions { TimeZone = VietnamTime.Zone });
        jobs.AddOrUpdate<DuesJobs>(DailyTransfersJobId, j => j.ApplyTransfers(CancellationToken.None), "10 0 * * *",
            new RecurringJobOptions { TimeZone = VietnamTime.Zone });
    }

    /// <summary>
    /// Moves recorded ahead of their date take effect here: every member whose dues organization today (temporary
    /// placement first, as for generation) differs from where they still owe unpaid dues takes those dues along.
    /// </summary>
    [AutomaticRetry(Attempts = 5)]
    public async Task<int> ApplyTransfers(CancellationToken ct)
    {
        var today = VietnamTime.Today(clock);
        await using var conn = new Npgsql.NpgsqlConnection(database.App);
        await conn.OpenAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        int moved = await StatementTransfers.Apply(conn, """
            select distinct on (p.member_id) p.member_id, p.org_id as new_org_id
            from member_placements p
            where p.valid_from <= @today and (p.valid_to is null or p.valid_to > @today)
              and exists (select 1 from dues_statements s
                          where s.member_id = p.member_id and s.status in ('issued', 'partially_paid', 'awaiting_data'))
            order by p.member_id, (p.kind = 'temporary') desc, p.valid_from desc
            """, Accounts.CurrentUser.System, null, clock.GetUtcNow(), ct, ("today", today));
        await tx.CommitAsync(ct);
        if (moved > 0)
        {
            log.LogInformation("Daily transfers: {Statements} statements followed their members", moved);
        }
        return moved;
    }

    [AutomaticRetry(Attempts = 5)]
    public async Task GenerateCurrentPeriod(CancellationToken ct)
    {
        var period = VietnamTime.CurrentPeriod(clock);
        var (result, refused) = await generation.Generate(period, CurrentUser.System, ct);
        if (refused is not null)
        {
            log.LogInformation("Monthly generation of {Period} skipped: {Reason}", period, refused.Code);
            return;
        }
        log.LogInformation("Monthly generation of {Period}: {Created} created, {Existing} existing, {Exempt} exempt, {Completed} completed",
            period, result!.Created, result.Existing, result.Exempt, result.Completed);
    }
}
