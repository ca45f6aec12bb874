using System.Diagnostics;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Fees.DemoData;
using Fees.Domain.Accounts;
using Fees.Domain.Time;
using Fees.Persistence.Dues;
using Fees.Persistence.Imports;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Bench;

/// <summary>
/// The nation streamed into the database through the service's own imports (<see cref="ImportService"/>: CSV checks, a
/// binary COPY into a staging table, set-based merge, audit records), committee by committee: the centre, then for each
/// of the 40 committees its organizations, members and income. The generator writes into a pipe that the import reads
/// (the import spools it to a temp file to hash and validate it, as for an upload), so neither the nation nor a
/// committee is ever held in memory. Then the dues of every period from 2026-08 to the current month, nationally.
/// </summary>
internal static class NationalLoad
{
    /// <summary>Income rows per member at the default income periods (5 months; measured at scale 0.01: 4.05).</summary>
    private const double IncomeRowsPerMember = 4.05;

    public static async Task<LoadFigures> Run(IServiceProvider provider, decimal scale, int? periods)
    {
        var current = VietnamTime.CurrentPeriod(TimeProvider.System);
        var nation = new DemoNationGenerator(new DemoNationOptions { Scale = scale, LastIncomePeriod = current });
        long members = nation.MemberCount;
        // Organizations are about one per 22 members (NationTests); the estimate only drives the ETA.
        long estimate = (members / 22) + members + (long)(members * IncomeRowsPerMember * (current.MonthsSince(Period.Of(2026, 7)) + 1) / 5);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Loading the nation at scale {scale}: {DemoNationGenerator.Units.Count} committees under the centre, {members:N0} members, about {estimate:N0} rows (orgs, members, income to {current})"));

        var me = Process.GetCurrentProcess();
        long imported = 0;
        var importClock = Stopwatch.StartNew();
        var byKind = new Dictionary<ImportKind, (long Rows, TimeSpan Time)>();
        await using (var bar = new ProgressBar(estimate))
        {
            bar.Phase("TW orgs");
            imported += await Import(provider, ImportKind.Orgs, bar, byKind, w => DemoCentre.WriteOrgs(w));
            // One committee after the other. Two at a time (each one's next file generated, spooled and hashed while the
            // other held the service's import lock) was measured at scale 1: 659.2 s against 633.8 s, because the work
            // is under the lock (docs/performance.md, "Recorded runs" and "Targets at a glance").
            for (int i = 0; i < nation.UnitOptions.Count; i++)
            {
                var unit = nation.Unit(i); // this committee's tree only; the previous one is garbage now
                string code = nation.UnitOptions[i].ProvinceCode;
                bar.Phase(code + " orgs");
                imported += await Import(provider, ImportKind.Orgs, bar, byKind, w => unit.WriteOrgs(w));
                bar.Phase(code + " members");
                imported += await Import(provider, ImportKind.Members, bar, byKind, w => unit.WriteMembers(w));
                bar.Phase(code + " income");
                imported += await Import(provider, ImportKind.Income, bar, byKind, w => unit.WriteIncome(w));
            }
        }
        var importTime = importClock.Elapsed;
        me.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"imported        {imported:N0} rows in {importTime.TotalSeconds:F1} s ({imported / importTime.TotalSeconds:N0} rows/s); peak working set of the loading process {me.PeakWorkingSet64 / 1e6:F0} MB"));
        foreach (var (kind, (rows, time)) in byKind)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {kind,-8} {rows,12:N0} rows in {time.TotalSeconds,7:F1} s holding the import lock ({rows / time.TotalSeconds,9:N0} rows/s: reading, checking, writing, commit)"));
        }

        // Dues statements of each period, national (the service's DuesGeneration, as the monthly job runs it).
        var generation = new List<(Period Period, int Created, double Seconds)>();
        var first = periods is { } n ? current.AddMonths(1 - n) : Period.FirstOnSystem;
        for (var period = first < Period.FirstOnSystem ? Period.FirstOnSystem : first; period <= current; period = period.Next)
        {
            var sw = Stopwatch.StartNew();
            await using var scope = provider.CreateAsyncScope();
            var outcome = await scope.ServiceProvider.GetRequiredService<DuesGeneration>().Generate(period, Actor.System, CancellationToken.None);
            int created = outcome.Succeeded ? outcome.Value.Created : throw new InvalidOperationException(outcome.Refusal.ToString());
            generation.Add((period, created, sw.Elapsed.TotalSeconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"dues {period}    {created:N0} statements in {sw.Elapsed.TotalSeconds:F1} s ({created / sw.Elapsed.TotalSeconds:N0}/s)"));
        }
        me.Refresh();
        return new LoadFigures(members, imported, importTime, generation, me.PeakWorkingSet64);
    }

    /// <summary>
    /// One file through <see cref="ImportService"/>, written by <paramref name="write"/> on its own thread into a pipe;
    /// <paramref name="byKind"/> adds its rows and the time it held the import lock (from its reading phase to the end).
    /// </summary>
    private static async Task<long> Import(IServiceProvider provider, ImportKind kind, ProgressBar bar,
        Dictionary<ImportKind, (long Rows, TimeSpan Time)> byKind, Action<TextWriter> write)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 4 << 20, resumeWriterThreshold: 2 << 20));
        var counter = new RowCounter(bar);
        var producer = Task.Factory.StartNew(() =>
        {
            try
            {
                using (var stream = new CountingStream(pipe.Writer.AsStream(leaveOpen: true), counter))
                using (var writer = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16))
                {
                    write(writer);
                }
                pipe.Writer.Complete();
            }
            catch (Exception e)
            {
                pipe.Writer.Complete(e);
                throw;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

        ImportOutcome outcome;
        var held = new LockTimer();
        await using (var scope = provider.CreateAsyncScope())
        await using (var input = pipe.Reader.AsStream())
        {
            outcome = await scope.ServiceProvider.GetRequiredService<ImportService>().Import(kind, input, Actor.System, held, CancellationToken.None);
        }
        var time = held.Elapsed;
        await producer;
        if (!outcome.Succeeded)
        {
            throw new InvalidOperationException($"{kind} import refused: {outcome.Errors[0]}");
        }
        long rows = counter.Rows - 1; // the header
        var (r, t) = byKind.GetValueOrDefault(kind);
        byKind[kind] = (r + rows, t + time);
        return rows;
    }

    /// <summary>The time from the import's reading phase (it holds the import lock from then) to now.</summary>
    private sealed class LockTimer : IImportProgress
    {
        private long _from;

        public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_from);

        public void Phase(ImportPhase phase)
        {
            if (phase == ImportPhase.Reading)
            {
                _from = Stopwatch.GetTimestamp();
            }
        }

        public void Read(long read, long total, long lines)
        {
        }
    }

    /// <summary>Counts the rows (line feeds) written, into the progress bar.</summary>
    private sealed class RowCounter(ProgressBar bar)
    {
        public long Rows { get; private set; }

        public void Count(ReadOnlySpan<byte> bytes)
        {
            int n = bytes.Count((byte)'\n');
            Rows += n;
            bar.Add(n);
        }
    }

    private sealed class CountingStream(Stream inner, RowCounter counter) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            counter.Count(buffer);
            inner.Write(buffer);
        }

        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }
            base.Dispose(disposing);
        }
    }
}

internal sealed record LoadFigures(long Members, long ImportedRows, TimeSpan ImportTime, List<(Period Period, int Created, double Seconds)> Generation, long PeakWorkingSet);
