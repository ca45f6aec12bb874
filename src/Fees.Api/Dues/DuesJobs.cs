using Fees.Api.Accounts;
using Fees.Domain.Time;
using Hangfire;

namespace Fees.Api.Dues;

/// <summary>
/// Hangfire jobs of the dues cycle. Jobs take no entity, only what identifies the work, and are safe to run twice:
/// generation is idempotent on (member, period).
/// </summary>
public sealed class DuesJobs(DuesGeneration generation, TimeProvider clock, ILogger<DuesJobs> log)
{
    public const string MonthlyJobId = "dues-generate-monthly";

    /// <summary>On the 1st of each month at 00:05 Vietnam time: the new period's statements for every member.</summary>
    public static void Schedule(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<DuesJobs>(MonthlyJobId, j => j.GenerateCurrentPeriod(CancellationToken.None), "5 0 1 * *",
            new RecurringJobOptions { TimeZone = VietnamTime.Zone });

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
