using Fees.Domain.Accounts;
using Fees.Domain.Time;
using Fees.Persistence.Dues;
using Hangfire;

namespace Fees.Api.Jobs;

/// <summary>
/// Hangfire jobs of the dues cycle. Jobs take no entity, only what identifies the work, and are safe to run twice:
/// generation is idempotent on (member, period), transfers move only what is still owed elsewhere.
/// </summary>
public sealed class DuesJobs(DuesGeneration generation, DailyTransfers transfers, TimeProvider clock, Npgsql.NpgsqlDataSource dataSource,
    ILogger<DuesJobs> log)
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
    /// Moves recorded ahead of their date take effect here (see <see cref="DailyTransfers"/>). One run at a time across
    /// every instance on the database (Hangfire's distributed lock in its storage): no constraint stops two runs from
    /// reading the same still-owed statements side by side, so a second run waits and then finds nothing left to move.
    /// </summary>
    [AutomaticRetry(Attempts = 5)]
    [DisableConcurrentExecution(timeoutInSeconds: 600)]
    public async Task<int> ApplyTransfers(CancellationToken ct)
    {
        int moved = await transfers.Apply(ct);
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
        // The partitions' horizon moves with the months, as at every start (a long-running service never posts into a
        // month that start-up did not reach; LedgerStore would create it, in its posting's transaction).
        await Fees.Persistence.Database.PeriodPartitions.Ensure(dataSource, period.AddMonths(Fees.Persistence.Database.PeriodPartitions.MonthsAheadAtStart), ct);
        var outcome = await generation.Generate(period, Actor.System, ct);
        if (!outcome.TryGet(out var result, out var refusal))
        {
            log.LogInformation("Monthly generation of {Period} skipped: {Reason}", period, refusal.Code);
            return;
        }
        log.LogInformation("Monthly generation of {Period}: {Created} created, {Existing} existing, {Exempt} exempt, {Completed} completed",
            period, result.Created, result.Existing, result.Exempt, result.Completed);
    }
}
