using Fees.Persistence.Bank;
using Hangfire;

namespace Fees.Api.Jobs;

/// <summary>
/// Hangfire jobs of the bank feeds. <see cref="Book"/> takes only the inbox id and is safe to run any number of times
/// (booking locks the row and books it once). <see cref="SweepPending"/> books what a dead process or a lost job left
/// waiting.
/// </summary>
public sealed class BankJobs(BankInbox inbox)
{
    public const string SweepJobId = "bank-inbox-sweep";

    /// <summary>What waited longer than this is booked by the sweeper (the request that stored it has surely given up).</summary>
    public static readonly TimeSpan SweepAfter = TimeSpan.FromMinutes(1);

    public static void Schedule(IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<BankJobs>(SweepJobId, j => j.SweepPending(CancellationToken.None), Cron.Minutely());

    [AutomaticRetry(Attempts = 10)]
    public Task Book(long inboxId, CancellationToken ct) => inbox.Process(inboxId, ct);

    [AutomaticRetry(Attempts = 3)]
    [DisableConcurrentExecution(timeoutInSeconds: 60)]
    public Task<int> SweepPending(CancellationToken ct) => inbox.ProcessPending(SweepAfter, 10_000, ct);

    /// <summary>Books a backlog set-based, <paramref name="batch"/> rows per transaction, until nothing waits (safe to run concurrently).</summary>
    [AutomaticRetry(Attempts = 3)]
    public Task<int> BookBacklog(int batch, CancellationToken ct) => BookBacklog(batch, 0, 1, ct);

    /// <summary>
    /// As <see cref="BookBacklog(int, CancellationToken)"/>, for lane <paramref name="lane"/> of <paramref name="lanes"/>
    /// of the receiving accounts (<see cref="BacklogLane"/>): one job per lane books a large backlog on every worker
    /// without two of them waiting on the same organization's rows.
    /// </summary>
    [AutomaticRetry(Attempts = 3)]
    public async Task<int> BookBacklog(int batch, int lane, int lanes, CancellationToken ct)
    {
        var share = new BacklogLane(lane, lanes);
        int booked = 0;
        while ((await inbox.ProcessBatch(batch, share, ct)) is { Count: > 0 } done)
        {
            booked += done.Count;
        }
        return booked;
    }
}
