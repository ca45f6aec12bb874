using System.Threading.Channels;
using Fees.Domain.Accounts;
using Fees.Persistence.Bank;

namespace Fees.Api.Bank;

/// <summary>
/// Group commit for the webhooks: a request queues its transaction and waits for the answer, while a few writers each
/// take whatever is queued (up to <see cref="MaxBatch"/>) and store and book it in one database transaction
/// (<see cref="BankInbox.ReceiveBatch"/>). Alone, a notification is booked at once, as before; under load, the
/// notifications that arrive while a batch is being written share the next one, so 32 senders cost a few commits, not
/// 32. Each request still gets its own answer (<c>matched</c>, <c>duplicate</c>, …) once its transaction is stored and
/// booked. If a batch fails as a whole, its entries are booked one at a time, so one bad entry never fails the others.
/// </summary>
public sealed class NotificationBatcher(IServiceScopeFactory scopes, ILogger<NotificationBatcher> log) : BackgroundService
{
    /// <summary>At most this many notifications per database transaction.</summary>
    public const int MaxBatch = 128;

    /// <summary>Writers working at once: one writes while the next batch gathers.</summary>
    public const int Writers = 2;

    /// <summary>Queued notifications at most; beyond it a request waits for room (bounded memory under a flood).</summary>
    public const int MaxQueued = 10_000;

    private sealed record Pending(InboxEntry Entry, Actor Actor, TaskCompletionSource<InboxOutcome> Done);

    private readonly Channel<Pending> queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(MaxQueued)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
        SingleWriter = false,
    });

    /// <summary>Stores and books the transaction (in whatever batch it joins) and answers what became of it.</summary>
    public async Task<InboxOutcome> Receive(InboxEntry entry, Actor actor, CancellationToken ct)
    {
        var pending = new Pending(entry, actor, new TaskCompletionSource<InboxOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
        await queue.Writer.WriteAsync(pending, ct);
        return await pending.Done.Task.WaitAsync(ct);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Enumerable.Range(0, Writers).Select(_ => Task.Run(() => Write(stoppingToken), stoppingToken)));

    private async Task Write(CancellationToken stop)
    {
        var batch = new List<Pending>(MaxBatch);
        try
        {
            while (await queue.Reader.WaitToReadAsync(stop))
            {
                batch.Clear();
                while (batch.Count < MaxBatch && queue.Reader.TryRead(out var pending))
                {
                    batch.Add(pending);
                }
                foreach (var group in batch.GroupBy(p => p.Actor))
                {
                    await Book(group.ToList(), stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: what is still queued is answered as cancelled; the requests fall back to storing only.
            while (queue.Reader.TryRead(out var pending))
            {
                pending.Done.TrySetCanceled(stop);
            }
        }
    }

    private async Task Book(List<Pending> items, CancellationToken stop)
    {
        await using var scope = scopes.CreateAsyncScope();
        var inbox = scope.ServiceProvider.GetRequiredService<BankInbox>();
        try
        {
            var outcomes = await inbox.ReceiveBatch(items.Select(p => p.Entry).ToList(), items[0].Actor, stop);
            for (int i = 0; i < items.Count; i++)
            {
                items[i].Done.TrySetResult(outcomes[i]);
            }
            return;
        }
        catch (Exception e) when (items.Count > 1 && !stop.IsCancellationRequested)
        {
            log.LogWarning(e, "A batch of {Count} notifications failed as a whole; booking them one at a time", items.Count);
        }
        catch (Exception e)
        {
            foreach (var p in items)
            {
                p.Done.TrySetException(e);
            }
            return;
        }
        foreach (var p in items)
        {
            try
            {
                p.Done.TrySetResult(await inbox.Receive(p.Entry, p.Actor, stop));
            }
            catch (Exception e)
            {
                p.Done.TrySetException(e);
            }
        }
    }
}
