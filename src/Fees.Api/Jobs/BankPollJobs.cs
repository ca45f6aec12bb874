using Fees.Api.Bank;
using Fees.BankGateway.History;
using Fees.BankGateway.Providers;
using Fees.Domain.Time;
using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Options;

namespace Fees.Api.Jobs;

/// <summary>
/// One recurring Hangfire job per polled (provider, account): it takes only those two, never runs twice at once for the
/// same pair, and is not retried (a failed poll is a value; the next scheduled run tries again).
/// </summary>
public sealed class BankPollJobs(BankPoller poller)
{
    public const string JobIdPrefix = "bank-poll-";

    public static string JobId(string provider, string account) =>
        JobIdPrefix + provider + "-" + (account == BankPoller.AllAccounts ? "all" : account);

    /// <summary>The (provider, account) pairs the configuration asks to poll.</summary>
    public static IReadOnlyList<(string Provider, string Account)> Targets(IServiceProvider services)
    {
        if (!services.GetRequiredService<IOptions<BankPollingOptions>>().Value.Enabled)
        {
            return [];
        }
        var targets = new List<(string, string)>();
        void Add(string provider, HistoryApiOptions history)
        {
            if (history.IsConfigured)
            {
                targets.AddRange(history.Accounts.Count == 0
                    ? [(provider, BankPoller.AllAccounts)]
                    : history.Accounts.Distinct(StringComparer.Ordinal).Select(a => (provider, a)));
            }
        }
        Add(BankProviderCodes.SePay, services.GetRequiredService<IOptions<SePayHistoryOptions>>().Value);
        Add(BankProviderCodes.Casso, services.GetRequiredService<IOptions<CassoHistoryOptions>>().Value);
        return targets;
    }

    /// <summary>Adds or updates a job for every target and removes the jobs of accounts no longer polled.</summary>
    public static void Schedule(IServiceProvider services)
    {
        var recurring = services.GetRequiredService<IRecurringJobManager>();
        string cron = services.GetRequiredService<IOptions<BankPollingOptions>>().Value.Schedule;
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (provider, account) in Targets(services))
        {
            string id = JobId(provider, account);
            wanted.Add(id);
            recurring.AddOrUpdate<BankPollJobs>(id, j => j.Poll(provider, account, CancellationToken.None), cron,
                new RecurringJobOptions { TimeZone = VietnamTime.Zone });
        }
        using var connection = services.GetRequiredService<JobStorage>().GetConnection();
        foreach (var job in connection.GetRecurringJobs().Where(j => j.Id.StartsWith(JobIdPrefix, StringComparison.Ordinal) && !wanted.Contains(j.Id)))
        {
            recurring.RemoveIfExists(job.Id);
        }
    }

    [AutomaticRetry(Attempts = 0, OnAttemptsExceeded = AttemptsExceededAction.Delete)]
    [DisableConcurrentExecution("bank-poll:{0}:{1}", 60)]
    public Task<PollRun> Poll(string provider, string account, CancellationToken ct) => poller.Poll(provider, account, ct);
}
