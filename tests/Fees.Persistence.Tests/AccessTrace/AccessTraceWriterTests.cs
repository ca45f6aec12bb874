using System.Net;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Database;
using Fees.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;

namespace Fees.Persistence.Tests.AccessTrace;

/// <summary>
/// The writer behind the access trace: requests only queue; the background loop writes by time or by batch size and
/// what is left at shutdown; a full queue or a refusing database costs records only counted and logged, never silently.
/// </summary>
public sealed class AccessTraceWriterTests : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);
    private DatabaseConnections _db = null!;
    private NpgsqlDataSource _dataSource = null!;

    public async Task InitializeAsync()
    {
        _db = await TestCluster.NewDatabase(nameof(AccessTraceWriterTests));
        _dataSource = FeesDataSource.Create(_db.App);
    }

    public async Task DisposeAsync() => await _dataSource.DisposeAsync();

    private AccessTraceWriter Writer(NpgsqlDataSource? dataSource = null) =>
        new(dataSource ?? _dataSource, new FakeTimeProvider(At), NullLogger<AccessTraceWriter>.Instance);

    private static AccessRecord Record(string username, int n = 0) =>
        new(At, username, "treasurer", AccessActions.MemberRead, AccessTarget.Member("M" + n.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            null, IPAddress.Parse("203.0.113.1"), "req-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture), 200);

    private async Task<long> Count(string username)
    {
        await using var cmd = _dataSource.CreateCommand("select count(*) from access_trace where username = @u");
        cmd.Parameters.AddWithValue("u", username);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    [Fact]
    public async Task BackgroundLoop_WritesWithoutBeingAsked_AndWhatIsLeftAtStop()
    {
        using var writer = Writer();
        using var stop = new CancellationTokenSource();
        var loop = writer.RunAsync(stop.Token);
        for (int i = 0; i < 2_500; i++)
        {
            await writer.Enqueue(Record("loop.user", i));
        }
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await Count("loop.user") < 2_500 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }
        Assert.Equal(2_500, await Count("loop.user"));

        for (int i = 0; i < 7; i++)
        {
            await writer.Enqueue(Record("loop.late", i));
        }
        await stop.CancelAsync();
        await loop;
        Assert.Equal(7, await Count("loop.late"));
        Assert.Equal(2_507, writer.Written);
        Assert.Equal(0, writer.Dropped);
        Assert.Equal(0, writer.Waiting);
    }

    [Fact]
    public async Task FullQueue_WaitsBriefly_ThenDropsTheNewRecord_CountingIt()
    {
        using var writer = Writer();
        for (int i = 0; i < AccessTraceWriter.Capacity; i++)
        {
            Assert.True(writer.Enqueue(Record("full.user", i)).IsCompletedSuccessfully);
        }
        var started = System.Diagnostics.Stopwatch.StartNew();
        await writer.Enqueue(Record("full.user", -1));
        Assert.True(started.Elapsed >= AccessTraceWriter.FullWait - TimeSpan.FromMilliseconds(5), started.Elapsed.ToString());
        Assert.Equal(1, writer.Dropped);
        Assert.Equal(AccessTraceWriter.Capacity, writer.Waiting);
    }

    [Fact]
    public async Task RefusedBatch_IsKeptAndTriedAgain_ThenDroppedAndCounted()
    {
        await using var nowhere = FeesDataSource.Create(new NpgsqlConnectionStringBuilder(_db.App) { Password = "wrong" }.ConnectionString);
        using var writer = Writer(nowhere);
        await writer.Enqueue(Record("refused.user"));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => writer.FlushAsync());
        Assert.Equal(0, writer.Dropped);
        for (int attempt = 2; attempt < AccessTraceWriter.MaxAttempts; attempt++)
        {
            await Assert.ThrowsAnyAsync<NpgsqlException>(() => writer.FlushAsync());
        }
        Assert.Equal(0, writer.Dropped);
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => writer.FlushAsync());
        Assert.Equal(1, writer.Dropped);
        await writer.FlushAsync(); // nothing left to try
    }

    [Fact]
    public async Task RefusedBatch_IsWritten_OnceTheDatabaseAnswersAgain()
    {
        // The same data source throughout: its password is put right after the first failure.
        string realPassword = new NpgsqlConnectionStringBuilder(_db.App).Password!;
        string password = "wrong";
        var builder = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(_db.App) { Password = null, Pooling = false }.ConnectionString);
        builder.UsePasswordProvider(_ => password, (_, _) => ValueTask.FromResult(password));
        await using var flaky = builder.Build();
        using var writer = Writer(flaky);
        await writer.Enqueue(Record("flaky.user"));
        await Assert.ThrowsAnyAsync<NpgsqlException>(() => writer.FlushAsync());
        password = realPassword;
        await writer.FlushAsync();
        Assert.Equal(1, await Count("flaky.user"));
        Assert.Equal(0, writer.Dropped);
    }

    [Fact]
    public async Task HostileText_CannotFailABatch()
    {
        using var writer = Writer();
        string hostile = "ke\0gian\uD800" + new string('x', 500);
        await writer.Enqueue(Record(hostile) with { Target = AccessTarget.User(hostile + "\uDC00"), RequestId = "\0" });
        await writer.Enqueue(Record("short\0nul") with { Target = AccessTarget.User("short\0nul") });
        await writer.Enqueue(Record("member.nul") with { Target = AccessTarget.Member("01\0" + "75") });
        await writer.Enqueue(Record("org.surrogate") with { Target = AccessTarget.Org("HN" + (char)0xD800), OrgPath = "/HN/\0/" });
        await writer.Enqueue(Record("next.in.batch"));
        await writer.FlushAsync();
        Assert.Equal(1, await Count("next.in.batch"));
        Assert.Equal(1, await Count("shortnul"));
        Assert.Equal(1, await Count("member.nul"));
        Assert.Equal(1, await Count("org.surrogate"));
        await using var cmd = _dataSource.CreateCommand("select username, target from access_trace where username like 'kegian%'");
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(99, reader.GetString(0).Length); // cut to 100, then the NUL removed
        Assert.StartsWith("kegian\uFFFDxxx", reader.GetString(0), StringComparison.Ordinal);
        Assert.Equal(99, reader.GetString(1).Length);
    }

    /// <summary>Built in code: a lone surrogate does not survive an attribute's metadata.</summary>
    public static TheoryData<string, int, string> CleanCases => new()
    {
        { "thuquy", 100, "thuquy" },
        { "a\0b", 100, "ab" },
        { "abcdef", 3, "abc" },
        { "ab\uD83D\uDE00", 3, "ab\uFFFD" }, // a pair cut in half
        { "ab\uD83D\uDE00", 4, "ab\uD83D\uDE00" },
        { new string([(char)0xDE00, 'a']), 10, "\uFFFDa" },
    };

    [Theory]
    [MemberData(nameof(CleanCases))]
    public void Clean_KeepsWhatTheColumnCanHold(string text, int max, string expected) =>
        Assert.Equal(expected, AccessTraceWriter.Clean(text, max));
}
