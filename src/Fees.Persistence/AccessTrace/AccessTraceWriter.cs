using System.Diagnostics.Metrics;
using System.Text;
using System.Threading.Channels;
using Fees.Domain.Members;
using Fees.Domain.Time;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace Fees.Persistence.AccessTrace;

/// <summary>The access trace as the rest of the service sees it: queue a record (cheap), or force what is queued out.</summary>
public interface IAccessTrace
{
    /// <summary>
    /// Queues a record. Completes at once unless the queue is full; then it waits at most
    /// <see cref="AccessTraceWriter.FullWait"/> and drops the record, counted and logged (never silently).
    /// </summary>
    ValueTask Enqueue(AccessRecord record);

    /// <summary>Writes everything queued so far (the background flush does this every 200 ms; tests call it to look at once).</summary>
    Task FlushAsync(CancellationToken ct = default);
}

/// <summary>
/// The one writer of <c>access_trace</c>: requests only queue records in a bounded channel; a background loop
/// (<see cref="RunAsync"/>, hosted by <see cref="AccessTraceFlusher"/>) writes them every <see cref="FlushInterval"/>, or
/// as soon as <see cref="BatchSize"/> are waiting, with one query that finds each target's organization and one binary
/// COPY per batch, on the service's one <see cref="NpgsqlDataSource"/>. What is left is written at shutdown.
/// </summary>
/// <remarks>
/// <para>
/// When the queue is full (the database is down or far behind), a request waits at most <see cref="FullWait"/> for room and
/// then drops its own record: the oldest records are never pushed out, a request is never held for long, and every drop
/// is counted (<see cref="Dropped"/>, the metric <c>fees.access_trace.dropped</c>) and logged as an error. Waiting without
/// a bound would turn a slow database into a stalled service; dropping silently would defeat the trace.
/// </para>
/// <para>
/// A batch the database refuses is kept and tried again at the next flush, up to <see cref="MaxAttempts"/> times (about
/// ten seconds of flushes), then dropped the same counted, logged way. Text from requests (a username tried, a route value)
/// is cut to the column's length and cleared of NUL characters and broken surrogates, so no request can make a batch fail.
/// </para>
/// </remarks>
public sealed class AccessTraceWriter(NpgsqlDataSource dataSource, TimeProvider clock, ILogger<AccessTraceWriter> logger) : IAccessTrace, IDisposable
{
    /// <summary>Records the queue holds (about 10 MB): at 1,000 traced requests/s, fifty seconds of a stalled database.</summary>
    public const int Capacity = 50_000;

    /// <summary>Records per COPY; this many waiting also starts a flush before the interval is up.</summary>
    public const int BatchSize = 1_000;

    /// <summary>How often the queue is written.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>How long a request waits for room in a full queue before its record is dropped.</summary>
    public static readonly TimeSpan FullWait = TimeSpan.FromMilliseconds(50);

    /// <summary>How often a refused batch is tried before it is dropped.</summary>
    public const int MaxAttempts = 50;

    /// <summary>How long the last flush at shutdown may take.</summary>
    public static readonly TimeSpan ShutdownBudget = TimeSpan.FromSeconds(10);

    private const string CopyCommand =
        "copy access_trace (at, username, role, action, target_type, target, org_path, province_code, client_address, request_id, status) from stdin (format binary)";

    private static readonly Meter Meter = new("Fees.AccessTrace");
    private static readonly Counter<long> EnqueuedCounter = Meter.CreateCounter<long>("fees.access_trace.enqueued", "{record}", "Access records queued");
    private static readonly Counter<long> WrittenCounter = Meter.CreateCounter<long>("fees.access_trace.written", "{record}", "Access records written");
    private static readonly Counter<long> DroppedCounter = Meter.CreateCounter<long>("fees.access_trace.dropped", "{record}",
        "Access records dropped: the queue stayed full, or the database refused a batch too often");

    private readonly Channel<AccessRecord> _queue = Channel.CreateBounded<AccessRecord>(new BoundedChannelOptions(Capacity)
    {
        FullMode = BoundedChannelFullMode.Wait,
        SingleReader = false,
        SingleWriter = false,
    });

    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly SemaphoreSlim _batchReady = new(0, 1);
    private int _batchSignalled;
    private long _waiting;
    private long _written;
    private long _dropped;

    // Guarded by _writing: a batch the database refused, and how often in a row a write has failed.
    private List<AccessRecord>? _retry;
    private int _failures;

    /// <summary>Records queued and not yet written.</summary>
    public long Waiting => Interlocked.Read(ref _waiting);

    /// <summary>Records written since start.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Records dropped since start (queue full past <see cref="FullWait"/>, or a batch refused <see cref="MaxAttempts"/> times).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ValueTask Enqueue(AccessRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (_queue.Writer.TryWrite(record))
        {
            Queued();
            return ValueTask.CompletedTask;
        }
        return EnqueueWhenThereIsRoom(record);
    }

    private async ValueTask EnqueueWhenThereIsRoom(AccessRecord record)
    {
        // Real time, not the service's clock: this bounds how long a request is held, whatever "now" the service is told.
        using var wait = new CancellationTokenSource(FullWait);
        try
        {
            await _queue.Writer.WriteAsync(record, wait.Token);
            Queued();
        }
        catch (OperationCanceledException) when (wait.IsCancellationRequested)
        {
            long dropped = CountDropped(1);
            if ((dropped & (dropped - 1)) == 0 || dropped % 10_000 == 0)
            {
                logger.LogError("Access trace queue full ({Capacity} records) for {WaitMs} ms: a record was dropped ({Dropped} dropped since start)",
                    Capacity, FullWait.TotalMilliseconds, dropped);
            }
        }
    }

    private void Queued()
    {
        EnqueuedCounter.Add(1);
        if (Interlocked.Increment(ref _waiting) >= BatchSize && Interlocked.Exchange(ref _batchSignalled, 1) == 0)
        {
            _batchReady.Release();
        }
    }

    private long CountDropped(int n)
    {
        DroppedCounter.Add(n);
        return Interlocked.Add(ref _dropped, n);
    }

    /// <summary>
    /// The background loop: a flush every <see cref="FlushInterval"/>, or sooner when a batch is waiting; at stop, one
    /// last flush of what is left (within <see cref="ShutdownBudget"/>).
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                // Real time (see EnqueueWhenThereIsRoom): the tests' fake clock must not stop the flushes.
                await _batchReady.WaitAsync(FlushInterval, stopping);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            Interlocked.Exchange(ref _batchSignalled, 0);
            try
            {
                await FlushAsync(stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (Exception)
            {
                // Logged by the write; the batch is kept and tried again at the next flush.
            }
        }

        using var budget = new CancellationTokenSource(ShutdownBudget);
        try
        {
            await FlushAsync(budget.Token);
        }
        catch (Exception e)
        {
            long lost = Waiting + (_retry?.Count ?? 0);
            CountDropped((int)Math.Min(lost, int.MaxValue));
            logger.LogError(e, "Access trace: {Lost} records could not be written at shutdown", lost);
        }
    }

    public async Task FlushAsync(CancellationToken ct = default)
    {
        await _writing.WaitAsync(ct);
        try
        {
            if (_retry is { } refused)
            {
                await WriteOrKeep(refused, ct);
                _retry = null;
            }
            // What is queued now, not what keeps arriving: a flush under load ends.
            long todo = Waiting;
            while (todo > 0)
            {
                var batch = new List<AccessRecord>((int)Math.Min(todo, BatchSize));
                while (batch.Count < BatchSize && batch.Count < todo && _queue.Reader.TryRead(out var record))
                {
                    batch.Add(record);
                }
                if (batch.Count == 0)
                {
                    break;
                }
                Interlocked.Add(ref _waiting, -batch.Count);
                todo -= batch.Count;
                await WriteOrKeep(batch, ct);
            }
        }
        finally
        {
            _writing.Release();
        }
    }

    private async Task WriteOrKeep(List<AccessRecord> batch, CancellationToken ct)
    {
        try
        {
            await Write(batch, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            _retry = batch;
            throw;
        }
        catch (Exception e)
        {
            _failures++;
            if (_failures >= MaxAttempts)
            {
                _retry = null;
                _failures = 0;
                long dropped = CountDropped(batch.Count);
                logger.LogError(e, "Access trace: a batch of {Count} records was refused {Attempts} times and is dropped ({Dropped} dropped since start)",
                    batch.Count, MaxAttempts, dropped);
            }
            else
            {
                _retry = batch;
                if (_failures == 1)
                {
                    logger.LogError(e, "Access trace: writing {Count} records failed; they are kept and tried again", batch.Count);
                }
            }
            throw;
        }
        if (_failures > 0)
        {
            logger.LogInformation("Access trace: written again after {Failures} failed attempts", _failures);
            _failures = 0;
        }
        Interlocked.Add(ref _written, batch.Count);
        WrittenCounter.Add(batch.Count);
    }

    private async Task Write(List<AccessRecord> batch, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var places = await Places(conn, batch, ct);
        await using var copy = await conn.BeginBinaryImportAsync(CopyCommand, ct);
        foreach (var r in batch)
        {
            var place = PlaceOf(places, r);
            string? path = place?.Path ?? r.OrgPath;
            string? province = place?.ProvinceCode
                ?? (r.OrgPath is not null && places.TryGetValue(('p', r.OrgPath), out var scope) ? scope.ProvinceCode : null);
            string? target = r.Target.Kind == AccessTargetKind.MemberId
                ? place?.MemberNo ?? "#" + r.Target.Id?.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : r.Target.Key;

            await copy.StartRowAsync(ct);
            await copy.WriteAsync(r.At, NpgsqlDbType.TimestampTz, ct);
            await copy.WriteAsync(Clean(r.Username, 100) ?? "", NpgsqlDbType.Varchar, ct);
            await WriteNullable(copy, Clean(r.Role, 20), NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(Clean(r.Action, 50) ?? "", NpgsqlDbType.Varchar, ct);
            await WriteNullable(copy, r.Target.TypeCode, NpgsqlDbType.Varchar, ct);
            await WriteNullable(copy, Clean(target, 100), NpgsqlDbType.Varchar, ct);
            await WriteNullable(copy, Clean(path, 1000), NpgsqlDbType.Text, ct);
            await WriteNullable(copy, string.IsNullOrEmpty(province) ? null : Clean(province, 30), NpgsqlDbType.Varchar, ct);
            if (r.ClientAddress is { } ip)
            {
                await copy.WriteAsync(ip.IsIPv4MappedToIPv6 ? ip.MapToIPv4() : ip, NpgsqlDbType.Inet, ct);
            }
            else
            {
                await copy.WriteNullAsync(ct);
            }
            await WriteNullable(copy, Clean(r.RequestId, 100), NpgsqlDbType.Varchar, ct);
            if (r.Status is { } status and >= short.MinValue and <= short.MaxValue)
            {
                await copy.WriteAsync((short)status, NpgsqlDbType.Smallint, ct);
            }
            else
            {
                await copy.WriteNullAsync(ct);
            }
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>Where a target belongs: the organization path and province, and for a member by id, the member's number.</summary>
    private sealed record Place(string? MemberNo, string? Path, string? ProvinceCode);

    private static Place? PlaceOf(Dictionary<(char, string), Place> places, AccessRecord r)
    {
        var key = r.Target.Kind switch
        {
            AccessTargetKind.Member when r.Target.Key is not null => ('m', r.Target.Key),
            AccessTargetKind.MemberId when r.Target.Id is not null => ('i', r.Target.Id.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            AccessTargetKind.Org when r.Target.Key is not null => ('o', r.Target.Key),
            AccessTargetKind.User when r.Target.Key is not null => ('u', r.Target.Key),
            _ => ((char, string)?)null,
        };
        return key is { } k && places.TryGetValue(k, out var place) ? place : null;
    }

    /// <summary>
    /// One query for the whole batch: each member's organization (the placement in force today, official first; else the
    /// latest), each organization's path, each user's scope (a member user: their member's organization), and the
    /// province of the scopes given as paths.
    /// </summary>
    private async Task<Dictionary<(char, string), Place>> Places(NpgsqlConnection conn, List<AccessRecord> batch, CancellationToken ct)
    {
        var memberNos = new HashSet<string>(StringComparer.Ordinal);
        var memberIds = new HashSet<long>();
        var orgCodes = new HashSet<string>(StringComparer.Ordinal);
        var usernames = new HashSet<string>(StringComparer.Ordinal);
        var paths = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in batch)
        {
            // Only keys some row could have (and PostgreSQL can be asked about): no NUL, no broken surrogate, not too long.
            switch (r.Target.Kind)
            {
                case AccessTargetKind.Member when Askable(r.Target.Key, 20) is { } no:
                    memberNos.Add(no);
                    break;
                case AccessTargetKind.MemberId when r.Target.Id is { } id:
                    memberIds.Add(id);
                    break;
                case AccessTargetKind.Org when Askable(r.Target.Key, 30) is { } code:
                    orgCodes.Add(code);
                    break;
                case AccessTargetKind.User when Askable(r.Target.Key, 100) is { } username:
                    usernames.Add(username);
                    break;
            }
            if (Askable(r.OrgPath, 1000) is { } path)
            {
                paths.Add(path);
            }
        }
        var places = new Dictionary<(char, string), Place>();
        if (memberNos.Count + memberIds.Count + orgCodes.Count + usernames.Count + paths.Count == 0)
        {
            return places;
        }
        await using var cmd = new NpgsqlCommand("""
            with wanted as (
              -- The directory (unique on member_no and on member_id) answers both: members itself is keyed (id, province_id).
              select n.member_id as id, n.member_no from member_numbers n where n.member_no = any(@member_nos) or n.member_id = any(@member_ids)
              union
              select n.member_id, n.member_no from users u join member_numbers n on n.member_id = u.member_id where u.username = any(@usernames)
            ), member_places as (
              select w.id, w.member_no, pl.path, pl.province_code
              from wanted w
              left join lateral (
                select o.path, o.province_code
                from member_placements p join orgs o on o.id = p.org_id
                where p.member_id = w.id
                order by (p.valid_from <= @today and (p.valid_to is null or p.valid_to > @today)) desc,
                         (p.kind = @official) desc, p.valid_from desc
                limit 1) pl on true
            )
            select 'm', mp.member_no, mp.id, mp.member_no, mp.path, mp.province_code from member_places mp
            union all
            select 'o', o.code, o.id, null, o.path, o.province_code from orgs o where o.code = any(@org_codes)
            union all
            select 'p', o.path, o.id, null, o.path, o.province_code from orgs o where o.path = any(@paths)
            union all
            select 'u', u.username, u.id, null, coalesce(uo.path, mp.path), coalesce(uo.province_code, mp.province_code)
            from users u
            left join orgs uo on uo.id = u.org_id
            left join member_places mp on mp.id = u.member_id
            where u.username = any(@usernames)
            """, conn);
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("member_nos", memberNos.ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<long[]>("member_ids", memberIds.ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("org_codes", orgCodes.ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("usernames", usernames.ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<string[]>("paths", paths.ToArray()));
        cmd.Parameters.Add(new NpgsqlParameter<DateOnly>("today", VietnamTime.Today(clock)));
        cmd.Parameters.Add(new NpgsqlParameter<string>("official", PlacementKindCodes.Official));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            char kind = reader.GetString(0)[0];
            var place = new Place(reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5));
            places[(kind, reader.GetString(1))] = place;
            if (kind == 'm')
            {
                places[('i', reader.GetInt64(2).ToString(System.Globalization.CultureInfo.InvariantCulture))] = place;
            }
        }
        return places;
    }

    /// <summary>The key itself when it is clean text of at most <paramref name="max"/> characters; else null.</summary>
    private static string? Askable(string? key, int max) =>
        key is not null && key.Length <= max && ReferenceEquals(Clean(key, max), key) ? key : null;

    /// <summary>
    /// Text as the column takes it (the very same string when it already fits): at most <paramref name="max"/> characters, no NUL (PostgreSQL text cannot hold one),
    /// no broken surrogate pair (not encodable as UTF-8).
    /// </summary>
    internal static string? Clean(string? text, int max)
    {
        if (text is null)
        {
            return null;
        }
        if (text.Length > max)
        {
            text = text[..max];
        }
        if (!text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF') && !text.Contains('\0', StringComparison.Ordinal))
        {
            return text;
        }
        var clean = new StringBuilder(text.Length);
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\0')
            {
                continue;
            }
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                clean.Append(c).Append(text[i + 1]);
                i++;
            }
            else
            {
                clean.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }
        return clean.ToString();
    }

    private static async Task WriteNullable(NpgsqlBinaryImporter copy, string? value, NpgsqlDbType type, CancellationToken ct)
    {
        if (value is null)
        {
            await copy.WriteNullAsync(ct);
        }
        else
        {
            await copy.WriteAsync(value, type, ct);
        }
    }

    public void Dispose()
    {
        _writing.Dispose();
        _batchReady.Dispose();
    }
}

/// <summary>Runs the access trace's background flush for the life of the service (and its last flush at shutdown).</summary>
public sealed class AccessTraceFlusher(AccessTraceWriter writer) : Microsoft.Extensions.Hosting.BackgroundService
{
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => writer.RunAsync(stoppingToken);
}
