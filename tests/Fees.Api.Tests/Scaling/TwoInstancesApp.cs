using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Fees.Api.Jobs;
using Fees.Domain.Receipts;
using Fees.Persistence.Database;
using Fees.Testing;
using Hangfire;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests.Scaling;

/// <summary>Which instance of the service a job runs in (each test host registers its own).</summary>
public sealed record InstanceName(string Value);

/// <summary>
/// One instance of the service: a real host with its own HTTP pipeline, connection pool and Hangfire server (named
/// <see cref="Name"/>, real workers polling the shared queue), on a database other instances use too.
/// </summary>
public sealed class ServiceInstance(DatabaseConnections database, string name, bool seedDemo, IReadOnlyDictionary<string, string> settings) : FeesApp
{
    public string Name => name;

    protected override bool SeedDemo => seedDemo;

    protected override IReadOnlyDictionary<string, string> Settings => settings;

    protected override Task<DatabaseConnections> CreateDatabase() => Task.FromResult(database);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureTestServices(s => s.AddSingleton(new InstanceName(name)));
    }

    public string Enqueue<T>(System.Linq.Expressions.Expression<Func<T, Task>> job) =>
        Services.GetRequiredService<IBackgroundJobClient>().Enqueue(job);

    public async Task Start() => await InitializeAsync();
}

/// <summary>
/// Two instances of the service (<c>instance-a</c>, <c>instance-b</c>) on one database, configured as several instances
/// must be: the same receipt signing key, each its own Hangfire server with two workers, a short queue poll and a short
/// invisibility timeout (so a job left by a dead instance comes back within seconds, not minutes).
/// </summary>
public sealed class TwoInstancesApp : IAsyncLifetime
{
    /// <summary>How long a job fetched by a dead instance stays hidden in these tests.</summary>
    public static readonly TimeSpan InvisibilityTimeout = TimeSpan.FromSeconds(4);

    private readonly string _signingKey;
    private DatabaseConnections? _database;
    private readonly List<ServiceInstance> _extra = [];

    public TwoInstancesApp()
    {
        using var key = ReceiptSigningKey.Generate();
        _signingKey = key.ExportPrivateKeyPem();
    }

    public ServiceInstance A { get; private set; } = null!;
    public ServiceInstance B { get; private set; } = null!;

    public DatabaseConnections Database => _database ?? throw new InvalidOperationException("Not started");

    /// <summary>The settings of an instance named <paramref name="name"/>; without the shared key when <paramref name="sharedKey"/> is false.</summary>
    public Dictionary<string, string> SettingsFor(string name, bool sharedKey = true)
    {
        var settings = new Dictionary<string, string>
        {
            ["Jobs:ServerName"] = name,
            ["Jobs:WorkerCount"] = "2",
            ["Jobs:QueuePollInterval"] = "00:00:00.2",
            ["Jobs:InvisibilityTimeout"] = InvisibilityTimeout.ToString("c", CultureInfo.InvariantCulture),
            ["Jobs:ShutdownTimeout"] = "00:00:01",
            // The close job runs on 2 December (the test clock) instead of waiting for the 10th.
            ["Fees:AutoCloseDay"] = "1",
        };
        if (sharedKey)
        {
            settings["Fees:ReceiptSigningKey"] = _signingKey;
        }
        return settings;
    }

    public async Task InitializeAsync()
    {
        _database = await TestCluster.NewDatabase("twoinstances");
        A = new ServiceInstance(Database, "instance-a", seedDemo: true, SettingsFor("instance-a"));
        await A.Start(); // migrations and the demo province, before the second instance starts
        B = new ServiceInstance(Database, "instance-b", seedDemo: false, SettingsFor("instance-b"));
        await B.Start();
    }

    /// <summary>A further instance on the same database, stopped with the fixture unless the test stops it first.</summary>
    public async Task<ServiceInstance> StartAnother(string name, bool sharedKey = true)
    {
        var instance = new ServiceInstance(Database, name, seedDemo: false, SettingsFor(name, sharedKey));
        _extra.Add(instance);
        await instance.Start();
        return instance;
    }

    public async Task DisposeAsync()
    {
        ProbeJobs.ReleaseHungJobs();
        foreach (var instance in _extra)
        {
            await instance.DisposeAsync();
        }
        await B.DisposeAsync();
        await A.DisposeAsync();
    }

    /// <summary>One number from the database, read as its owner.</summary>
    public Task<long> Scalar(string sql, params (string Name, object Value)[] parameters) => A.OwnerScalar(sql, parameters);

    /// <summary>Waits (polling, with a deadline) until every one of <paramref name="jobIds"/> has succeeded; fails naming the states otherwise.</summary>
    public async Task AllSucceeded(IReadOnlyCollection<string> jobIds, TimeSpan within)
    {
        long[] ids = jobIds.Select(i => long.Parse(i, CultureInfo.InvariantCulture)).ToArray();
        var deadline = DateTime.UtcNow + within;
        while (true)
        {
            var states = await JobStates(ids);
            if (states.Values.All(s => s == "Succeeded"))
            {
                return;
            }
            if (states.Values.Any(s => s is "Failed" or "Deleted") || DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Jobs did not all succeed within {within}: {string.Join(", ", states.Select(s => $"{s.Key}={s.Value}"))}\n{await Failures(ids)}");
            }
            await Task.Delay(100);
        }
    }

    private async Task<Dictionary<long, string>> JobStates(long[] ids)
    {
        await using var conn = new NpgsqlConnection(Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select id, coalesce(statename, '') from hangfire.job where id = any(@ids)", conn);
        cmd.Parameters.AddWithValue("ids", ids);
        var states = ids.ToDictionary(i => i, _ => "(missing)");
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            states[r.GetInt64(0)] = r.GetString(1);
        }
        return states;
    }

    private async Task<string> Failures(long[] ids)
    {
        var rows = await History(ids);
        return string.Join("\n", rows.Where(h => h.State == "Failed").Select(h => $"{h.JobId}: {h.Data}"));
    }

    /// <summary>Every state each job went through, oldest first, with its data (ServerId of Processing, Result of Succeeded…).</summary>
    public async Task<List<JobStateRow>> History(IEnumerable<long> ids)
    {
        await using var conn = new NpgsqlConnection(Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select jobid, name, coalesce(data::text, '{}') from hangfire.state where jobid = any(@ids) order by id", conn);
        cmd.Parameters.AddWithValue("ids", ids.ToArray());
        var rows = new List<JobStateRow>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            rows.Add(new JobStateRow(r.GetInt64(0), r.GetString(1), r.GetString(2)));
        }
        return rows;
    }

    public Task<List<JobStateRow>> History(IEnumerable<string> ids) => History(ids.Select(i => long.Parse(i, CultureInfo.InvariantCulture)));
}

/// <summary>One row of Hangfire's state history.</summary>
public sealed record JobStateRow(long JobId, string State, string Data)
{
    private JsonElement Json => JsonDocument.Parse(Data).RootElement;

    /// <summary>The server that ran the job (a Processing state), e.g. <c>instance-a:1234:…</c>.</summary>
    public string? ServerId => Json.TryGetProperty("ServerId", out var s) ? s.GetString() : null;

    /// <summary>The job's return value as JSON (a Succeeded state).</summary>
    public string? Result => Json.TryGetProperty("Result", out var s) ? s.GetString() : null;
}

/// <summary>
/// Jobs of the tests themselves, run by the instances' real Hangfire workers: a rendezvous that finishes only when jobs of
/// one round run in every named instance at the same time (proof that both servers take work, without hoping for it),
/// and a slice of the real booking job that hangs, as a process that died mid-job, in the instance told to die.
/// </summary>
public sealed class ProbeJobs(InstanceName instance, BankJobs bank)
{
    private static readonly ConcurrentDictionary<string, ConcurrentQueue<string>> Entered = new();
    private static readonly CancellationTokenSource Hung = new();
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    /// <summary>The instances that started a job of <paramref name="round"/>, once per start.</summary>
    public static IReadOnlyList<string> Starts(string round) => [.. Entered.GetOrAdd(round, _ => new())];

    /// <summary>Ends the hung jobs (at the fixture's end, after their instance is gone: they change nothing).</summary>
    public static void ReleaseHungJobs() => Hung.Cancel();

    [AutomaticRetry(Attempts = 0)]
    public async Task<string> Rendezvous(string round, string[] instances, CancellationToken ct)
    {
        var started = Entered.GetOrAdd(round, _ => new());
        started.Enqueue(instance.Value);
        await Until(() => instances.All(started.Contains), ct);
        return instance.Value;
    }

    /// <summary>Runs for <paramref name="duration"/> (longer than the invisibility timeout), counting its starts.</summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> Hold(string round, TimeSpan duration, CancellationToken ct)
    {
        Entered.GetOrAdd(round, _ => new()).Enqueue(instance.Value);
        await Task.Delay(duration, ct);
        return instance.Value;
    }

    /// <summary>
    /// Books <paramref name="inboxIds"/> with the real job (<see cref="BankJobs.Book"/>). In <paramref name="doomed"/> it
    /// hangs instead, ignoring the stop, like a process that died: the job stays fetched and only the invisibility timeout
    /// brings it back. Elsewhere it first waits until <paramref name="doomed"/> holds <paramref name="doomedTakes"/> jobs.
    /// </summary>
    [AutomaticRetry(Attempts = 0)]
    public async Task<string> BookSlice(string round, long[] inboxIds, string doomed, int doomedTakes, CancellationToken ct)
    {
        var started = Entered.GetOrAdd(round, _ => new());
        started.Enqueue(instance.Value);
        if (instance.Value == doomed)
        {
            try
            {
                await Task.Delay(Timeout.Infinite, Hung.Token);
            }
            catch (OperationCanceledException)
            {
            }
            throw new InvalidOperationException("This instance is gone; its job was left to the others.");
        }
        await Until(() => started.Count(s => s == doomed) >= doomedTakes, ct);
        foreach (long id in inboxIds)
        {
            await bank.Book(id, CancellationToken.None);
        }
        return instance.Value;
    }

    private static async Task Until(Func<bool> condition, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The other instances never took their part of the round.");
            }
            await Task.Delay(50, ct);
        }
    }
}
