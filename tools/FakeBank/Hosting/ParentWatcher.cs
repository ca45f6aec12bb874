namespace FakeBank.Hosting;

/// <summary>
/// With <c>--exit-with-parent</c>: the parent keeps our stdin open; when it dies (even killed), the pipe closes,
/// stdin reaches end of file and the fake stops, so a crashed test host leaves no server behind.
/// </summary>
internal sealed partial class ParentWatcher : IHostedService
{
    private readonly IHostApplicationLifetime _lifetime;
    private readonly ILogger<ParentWatcher> _logger;

    public ParentWatcher(IHostApplicationLifetime lifetime, ILogger<ParentWatcher> logger)
    {
        _lifetime = lifetime;
        _logger = logger;
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A blocking read on a dedicated background thread: Console.In has no cancellable read, and the thread
        // must not keep the process alive on its own. It starts once the server is up, so an early end of stdin
        // stops a started server instead of cancelling the start half-way.
        var thread = new Thread(WatchStdin) { IsBackground = true, Name = "exit-with-parent" };
        _lifetime.ApplicationStarted.Register(thread.Start);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void WatchStdin()
    {
        try
        {
            while (Console.In.ReadLine() is not null)
            {
                // Lines from the parent mean nothing; only the end of the stream does.
            }
        }
        catch (IOException)
        {
            // A broken pipe is the parent going away too.
        }
        LogParentGone(_logger);
        _lifetime.StopApplication();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Standard input closed: the parent is gone, stopping")]
    private static partial void LogParentGone(ILogger logger);
}
