using System.Diagnostics;
using Fees.Domain.Accounts;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Fees.Persistence.Imports;

/// <summary>What the progress read answers about one import run (its row of <c>import_runs</c>).</summary>
/// <param name="Phase">The phase's code (<see cref="ImportPhases.ToCode"/>); <c>interrupted</c> when an unfinished run went silent.</param>
/// <param name="PhaseTitle">The phase in Vietnamese, as the import page shows it.</param>
/// <param name="BytesTotal">The size of the file once received; null while it is being received.</param>
/// <param name="BytesRead">How much of it the importer has consumed.</param>
/// <param name="LinesRead">Lines consumed, header included.</param>
/// <param name="Result">The counts, once done.</param>
/// <param name="ErrorCount">The number of row errors, once rejected.</param>
public sealed record ImportRunView(
    Guid Id, string Kind, string Phase, string PhaseTitle, string StartedBy,
    long? BytesTotal, long BytesRead, long LinesRead,
    DateTimeOffset StartedAt, DateTimeOffset UpdatedAt, DateTimeOffset? FinishedAt,
    ImportResult? Result, int? ErrorCount);

/// <summary>
/// The record of import runs (<c>import_runs</c>), so that an import's progress can be read from any instance of the
/// service while it runs on one of them. A run is started with the id its client chose (or the server's): the primary
/// key, not a check, makes a second start with the same id fail, however many arrive at once. Each run's row is
/// updated by its <see cref="ImportRun"/> on connections of its own, outside the import's transaction, at most about
/// once a second. Runs are kept <see cref="Kept"/>: every start deletes the older ones.
/// </summary>
public sealed class ImportRuns(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<ImportRuns> log)
{
    /// <summary>How long a run's record is kept after it started.</summary>
    public static readonly TimeSpan Kept = TimeSpan.FromDays(30);

    /// <summary>An unfinished run whose row has not been touched for this long is reported as interrupted.</summary>
    public static readonly TimeSpan Silence = TimeSpan.FromMinutes(1);

    /// <summary>Starts the record of a run; null when a run with this id already exists (nothing is changed then).</summary>
    public async Task<ImportRun?> Start(Guid id, ImportKind kind, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var now = clock.GetUtcNow();
        await using var cmd = dataSource.CreateCommand("""
            with expired as (delete from import_runs where started_at < @cutoff)
            insert into import_runs (id, user_id, username, scope_path, kind, phase, started_at, updated_at)
            values (@id, @user_id, @username, @scope, @kind, 'receiving', @now, @now)
            on conflict (id) do nothing
            returning id
            """);
        cmd.Parameters.AddWithValue("cutoff", now - Kept);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("user_id", actor.UserId);
        cmd.Parameters.AddWithValue("username", actor.Username);
        cmd.Parameters.AddWithValue("scope", actor.ScopePrefix);
        cmd.Parameters.AddWithValue("kind", KindCode(kind));
        cmd.Parameters.AddWithValue("now", now);
        return await cmd.ExecuteScalarAsync(ct) is null ? null : new ImportRun(id, dataSource, clock, log);
    }

    /// <summary>
    /// The run as <paramref name="reader"/> may see it: their own, or (for an auditor or admin) one started by someone
    /// whose scope lies in theirs. Null otherwise, and for an unknown id. Reads only.
    /// </summary>
    public async Task<ImportRunView?> Find(Guid id, Actor reader, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(reader);
        await using var cmd = dataSource.CreateCommand("""
            select id, kind, phase, username, bytes_total, bytes_read, lines_read, started_at, updated_at, finished_at,
                   rows_created, rows_updated, rows_unchanged, error_count
            from import_runs
            where id = @id and (user_id = @user_id or (@oversees and starts_with(scope_path, @prefix)))
            """);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("user_id", reader.UserId);
        cmd.Parameters.AddWithValue("oversees", reader.Role is Role.Auditor or Role.Admin);
        cmd.Parameters.AddWithValue("prefix", reader.ScopePrefix);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct))
        {
            return null;
        }
        var phase = ImportPhases.FromCode(r.GetString(2));
        var updatedAt = r.GetFieldValue<DateTimeOffset>(8);
        if (!phase.IsFinished() && clock.GetUtcNow() - updatedAt > Silence)
        {
            phase = ImportPhase.Interrupted;
        }
        return new ImportRunView(
            r.GetGuid(0), r.GetString(1), phase.ToCode(), phase.ToVietnamese(), r.GetString(3),
            r.IsDBNull(4) ? null : r.GetInt64(4), r.GetInt64(5), r.GetInt64(6),
            r.GetFieldValue<DateTimeOffset>(7), updatedAt, r.IsDBNull(9) ? null : r.GetFieldValue<DateTimeOffset>(9),
            r.IsDBNull(10) ? null : new ImportResult(r.GetInt32(10), r.GetInt32(11), r.GetInt32(12)),
            r.IsDBNull(13) ? null : r.GetInt32(13));
    }

    public static string KindCode(ImportKind kind) => kind switch
    {
        ImportKind.Orgs => "orgs",
        ImportKind.Members => "members",
        ImportKind.Income => "income",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}

/// <summary>
/// One run's progress, held in memory as the import reports it (<see cref="IImportProgress"/>: plain stores, nothing
/// waits) and written to its row by a loop of its own: when a phase begins, else when the bytes moved, at most about
/// once a second, and at least every <see cref="Heartbeat"/> (so a silent row means a dead run). A write that fails is
/// logged and skipped: progress never fails an import. <see cref="Finish"/> writes the outcome; disposing an unfinished
/// run records it as failed.
/// </summary>
public sealed class ImportRun : IImportProgress, IAsyncDisposable
{
    /// <summary>Bytes read are written at most this often.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    /// <summary>After any write the next waits at least this long (phases that follow each other quickly are coalesced).</summary>
    public static readonly TimeSpan MinGap = TimeSpan.FromMilliseconds(250);

    /// <summary>An unchanged row is touched this often while the run lives.</summary>
    public static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(10);

    private readonly NpgsqlDataSource _dataSource;
    private readonly TimeProvider _clock;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _phase = (int)ImportPhase.Receiving;
    private long _read;
    private long _total = -1;
    private long _lines;
    private long _version;
    private bool _finished;

    internal ImportRun(Guid id, NpgsqlDataSource dataSource, TimeProvider clock, ILogger log)
    {
        Id = id;
        _dataSource = dataSource;
        _clock = clock;
        _log = log;
        _loop = Task.Run(Loop);
    }

    public Guid Id { get; }

    public void Phase(ImportPhase phase)
    {
        Volatile.Write(ref _phase, (int)phase);
        Interlocked.Increment(ref _version);
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
            // already woken
        }
    }

    public void Read(long read, long total, long lines)
    {
        Volatile.Write(ref _read, read);
        Volatile.Write(ref _total, total);
        Volatile.Write(ref _lines, lines);
        Interlocked.Increment(ref _version);
    }

    /// <summary>Stops the updates and records the outcome: done with the counts, or rejected with the number of errors.</summary>
    public Task Finish(ImportOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return End(outcome.Succeeded ? ImportPhase.Done : ImportPhase.Rejected, outcome.Result, outcome.Succeeded ? null : outcome.Errors.Count);
    }

    /// <summary>Stops the updates and records that the import failed (it threw or was cancelled; nothing was written).</summary>
    public Task Fail() => End(ImportPhase.Failed, null, null);

    public async ValueTask DisposeAsync()
    {
        if (!_finished)
        {
            await Fail();
        }
        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task End(ImportPhase phase, ImportResult? result, int? errorCount)
    {
        if (_finished)
        {
            return;
        }
        _finished = true;
        await _stop.CancelAsync();
        await _loop;
        Volatile.Write(ref _phase, (int)phase);
        await Write(result, errorCount, finished: true);
    }

    private async Task Loop()
    {
        long written = -1;
        var sinceWrite = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await _wake.WaitAsync(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            long version = Volatile.Read(ref _version);
            if (version == written && sinceWrite.Elapsed < Heartbeat)
            {
                continue;
            }
            await Write(null, null, finished: false);
            written = version;
            sinceWrite.Restart();
            try
            {
                await Task.Delay(MinGap, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task Write(ImportResult? result, int? errorCount, bool finished)
    {
        try
        {
            long total = Volatile.Read(ref _total);
            var now = _clock.GetUtcNow();
            await using var cmd = _dataSource.CreateCommand("""
                update import_runs
                set phase = @phase, bytes_total = @total, bytes_read = @read, lines_read = @lines, updated_at = @now,
                    finished_at = @finished_at, rows_created = @created, rows_updated = @updated, rows_unchanged = @unchanged,
                    error_count = @errors
                where id = @id and finished_at is null
                """);
            cmd.Parameters.AddWithValue("id", Id);
            cmd.Parameters.AddWithValue("phase", ((ImportPhase)Volatile.Read(ref _phase)).ToCode());
            cmd.Parameters.AddWithValue("total", total < 0 ? DBNull.Value : total);
            cmd.Parameters.AddWithValue("read", Volatile.Read(ref _read));
            cmd.Parameters.AddWithValue("lines", Volatile.Read(ref _lines));
            cmd.Parameters.AddWithValue("now", now);
            cmd.Parameters.AddWithValue("finished_at", finished ? now : DBNull.Value);
            cmd.Parameters.AddWithValue("created", result is null ? DBNull.Value : result.Created);
            cmd.Parameters.AddWithValue("updated", result is null ? DBNull.Value : result.Updated);
            cmd.Parameters.AddWithValue("unchanged", result is null ? DBNull.Value : result.Unchanged);
            cmd.Parameters.AddWithValue("errors", errorCount is null ? DBNull.Value : errorCount.Value);
            await cmd.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Progress is advice: a write that fails (the database busy, the service stopping) never fails the import.
            _log.LogWarning(e, "Import run {RunId}: its progress could not be recorded", Id);
        }
    }
}
