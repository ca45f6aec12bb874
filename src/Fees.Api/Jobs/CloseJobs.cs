using Fees.Api.Hosting;
using Fees.Domain.Accounts;
using Fees.Domain.Time;
using Fees.Persistence.Closing;
using Hangfire;
using Microsoft.Extensions.Options;

namespace Fees.Api.Jobs;

/// <summary>
/// The month-end close, scheduled: every day at 01:00 Vietnam time, from <see cref="FeesOptions.AutoCloseDay"/> of the
/// month on, the previous month is closed for every organization that is due and has not closed it, children before
/// parents (<see cref="PeriodCloses.CloseSubtree"/>). Safe to run any number of times: a close already made answers
/// "already closed" and changes nothing; an organization that cannot close (a child neither closed nor waived) is
/// reported in the log and on the close page, and tried again the next day.
/// </summary>
public sealed class CloseJobs(PeriodCloses closes, TimeProvider clock, IOptions<FeesOptions> options, ILogger<CloseJobs> log)
{
    public const string DailyJobId = "close-previous-month-daily";

    public static void Schedule(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<CloseJobs>(DailyJobId, j => j.ClosePreviousMonth(CancellationToken.None), "0 1 * * *",
            new RecurringJobOptions { TimeZone = VietnamTime.Zone });

    /// <summary>The cascade of the previous month over every root, or null before the auto-close day (nothing done).</summary>
    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 3600)]
    public async Task<CascadeResult?> ClosePreviousMonth(CancellationToken ct)
    {
        var today = VietnamTime.Today(clock);
        var previous = VietnamTime.CurrentPeriod(clock).AddMonths(-1);
        if (today.Day < options.Value.AutoCloseDay || previous < Period.FirstOnSystem)
        {
            return null;
        }
        var result = await closes.CloseSubtree("/", previous, Actor.System, ct);
        log.LogInformation("Automatic close of {Period}: {Closed} closed, {Already} already closed, {NotDue} not due, {Refused} refused",
            result.Period, result.Closed, result.AlreadyClosed, result.NotDue, result.Refused.Count);
        foreach (var refusal in result.Refused.Take(50))
        {
            log.LogWarning("Automatic close of {Period}: {Org} not closed ({Code}): {Reason}", result.Period, refusal.OrgCode, refusal.Code, refusal.Reason);
        }
        return result;
    }
}
