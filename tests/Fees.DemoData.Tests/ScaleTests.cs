using System.Diagnostics;
using Xunit.Abstractions;

namespace Fees.DemoData.Tests;

/// <summary>
/// Memory stays flat while streaming: a national run (5.6 M members) must not hold member rows. Only the memory
/// bound is asserted; the time is printed, never asserted (shared CI cores vary).
/// </summary>
[Collection(nameof(ScaleTests))]
public sealed class ScaleTests(ITestOutputHelper output)
{
    [Fact]
    public void HundredThousandMembers_StreamWithLiveMemoryFarBelowTheOutputSize()
    {
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();

        var generator = new DemoProvinceGenerator(new DemoProvinceOptions { Members = 100_000 });
        long afterTree = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        using var orgs = new MeasuringWriter();
        using var members = new MeasuringWriter();
        using var income = new MeasuringWriter();
        var counts = new DemoRowCounts(generator.WriteOrgs(orgs), generator.WriteMembers(members), generator.WriteIncome(income));

        clock.Stop();
        long allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        long outputBytes = (orgs.Chars + members.Chars + income.Chars) * sizeof(char);
        long peakLive = Math.Max(orgs.PeakLive, Math.Max(members.PeakLive, income.PeakLive)) - baseline;
        output.WriteLine($"rows: {counts.Orgs:N0} orgs, {counts.Members:N0} members, {counts.IncomeRows:N0} income");
        output.WriteLine($"time {clock.ElapsedMilliseconds:N0} ms; output {outputBytes / 1024 / 1024:N0} MiB as UTF-16 chars");
        output.WriteLine($"live heap: {afterTree / 1024:N0} KiB after the tree, peak {peakLive / 1024:N0} KiB while streaming; allocated {allocated / 1024 / 1024:N0} MiB in total");

        Assert.Equal(100_000, counts.Members);
        Assert.True(peakLive < outputBytes / 10, $"peak live {peakLive:N0} B vs output {outputBytes:N0} B");
        // Streaming adds nothing that lasts: the live heap while writing members is the tree plus small change.
        Assert.True(peakLive - afterTree < 4 * 1024 * 1024, $"grew {peakLive - afterTree:N0} B beyond the tree");
        GC.KeepAlive(generator);
    }

    /// <summary>Counts characters and samples the live heap (after a full collection) every 20,000 rows.</summary>
    private sealed class MeasuringWriter : TextWriter
    {
        private long _rows;

        public long Chars { get; private set; }
        public long PeakLive { get; private set; }

        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;

        public override void Write(char value)
        {
            Chars++;
            if (value == '\n' && ++_rows % 20_000 == 0)
            {
                PeakLive = Math.Max(PeakLive, GC.GetTotalMemory(forceFullCollection: true));
            }
        }

        public override void Write(string? value) => Chars += value?.Length ?? 0;
    }
}

/// <summary>The scale test runs alone: live-heap samples are process-wide, so parallel tests would blur them.</summary>
[CollectionDefinition(nameof(ScaleTests), DisableParallelization = true)]
public sealed class ScaleTestsRunAlone;
