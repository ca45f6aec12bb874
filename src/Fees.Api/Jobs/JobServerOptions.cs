using System.ComponentModel.DataAnnotations;
using Hangfire;
using Hangfire.PostgreSql;

namespace Fees.Api.Jobs;

/// <summary>
/// How this instance takes part in the job processing (section <c>Jobs</c>). Every instance of the service on one
/// database runs a Hangfire server on the same queue (schema <c>hangfire</c>): a job is fetched by exactly one worker of
/// one instance, and a job fetched by an instance that died is fetched again by another once
/// <see cref="InvisibilityTimeout"/> has passed without that instance's heartbeat.
/// </summary>
public sealed class JobServerOptions
{
    public const string Section = "Jobs";

    /// <summary><c>Jobs:WorkerCount</c>: jobs this instance runs at once. 1–64; default 2 (a 2-core machine shared with the web requests).</summary>
    [Range(1, 64)]
    public int WorkerCount { get; set; } = 2;

    /// <summary>
    /// <c>Jobs:ServerName</c>: how this instance is named in Hangfire's servers and job states; default the machine's
    /// name. Hangfire adds the process id and a random suffix, so instances on one machine never share an id.
    /// </summary>
    [MaxLength(100)]
    public string? ServerName { get; set; }

    /// <summary>
    /// <c>Jobs:InvisibilityTimeout</c>: how long a job fetched by an instance that stopped answering stays hidden before
    /// another instance takes it. A running job's instance renews the fetch every few seconds (sliding timeout), so a
    /// job that runs longer than this (a national generation, a close cascade) is never taken twice while alive.
    /// 1 s – 1 day; default 5 minutes.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan InvisibilityTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary><c>Jobs:QueuePollInterval</c>: how often an idle worker looks for a new job. 50 ms – 1 minute; default 5 s.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan QueuePollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// <c>Jobs:ShutdownTimeout</c>: how long a stopping instance waits for its running jobs to notice the stop (they are
    /// handed back to the queue at once when they do); past it the instance stops anyway and its jobs come back after
    /// <see cref="InvisibilityTimeout"/>. 1 s – 10 minutes; default 15 s.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The storage options for this instance (schema <c>hangfire</c>, installed by the migrations, never by Hangfire).</summary>
    public PostgreSqlStorageOptions Storage() => new()
    {
        SchemaName = "hangfire",
        PrepareSchemaIfNecessary = false,
        InvisibilityTimeout = InvisibilityTimeout,
        UseSlidingInvisibilityTimeout = true,
        QueuePollInterval = QueuePollInterval,
    };

    /// <summary>Applies these options to the instance's Hangfire server.</summary>
    public void Apply(BackgroundJobServerOptions server)
    {
        server.WorkerCount = WorkerCount;
        server.ShutdownTimeout = ShutdownTimeout;
        if (!string.IsNullOrWhiteSpace(ServerName))
        {
            server.ServerName = ServerName;
        }
    }
}
