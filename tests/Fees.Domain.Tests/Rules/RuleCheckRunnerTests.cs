using Fees.Domain.Amounts;
using Fees.Domain.Outcomes;
using Fees.Domain.Rules;
using Fees.RuleChecks;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;
using Laws = Fees.RuleChecks.FeeLaws;

namespace Fees.Domain.Tests.Rules;

/// <summary>
/// The runner behind the auditor's page: it finds, shrinks and explains in Vietnamese what a wrong rule set breaks,
/// replays a seed exactly, bounds what it is asked, and stops on a budget or a cancellation.
/// </summary>
public sealed class RuleCheckRunnerTests
{
    private static readonly TimeSpan Plenty = TimeSpan.FromMinutes(5);

    /// <summary>01-QĐ/TW as published, but rounding every fee down: a deliberate error the rounding law must catch.</summary>
    private static FeeRuleBook RoundingDown { get; } = new(
        [FeeRuleSet.Qd01From2026 with { Rounding = Rounding.Down }, FeeRuleSet.Qd01From2028 with { Rounding = Rounding.Down }],
        MinimumWageTable.Vietnam);

    /// <summary>01-QĐ/TW, but exempting members only after 60 years in the party: against the regulation's 50.</summary>
    private static FeeRuleBook SixtyYears { get; } = new(
        [FeeRuleSet.Qd01From2026 with { ExemptAfterPartyYears = 60 }, FeeRuleSet.Qd01From2028 with { ExemptAfterPartyYears = 60 }],
        MinimumWageTable.Vietnam);

    private static RuleCheckReport Run(RuleCheckRunner runner, string? law, ulong? seed, int cases) =>
        runner.RunNow(runner.Plan(law, seed, cases).Value, Plenty, CancellationToken.None);

    [Fact]
    public void EveryLaw_Passes_UnderTheRuleBookInForce()
    {
        var report = Run(new RuleCheckRunner(FeeRuleBook.Default, TimeProvider.System), null, 42, 200);

        Assert.Equal(Laws.All.Select(l => l.Id), report.Results.Select(r => r.Law.Id));
        Assert.All(report.Results, r =>
        {
            Assert.Equal(LawOutcome.Passed, r.Outcome);
            Assert.Equal(200, r.Cases);
            Assert.Equal(42UL, r.Seed);
            Assert.Null(r.Counterexample);
        });
        Assert.Equal("passed", report.OutcomeCode);
    }

    [Fact]
    public void RoundingLaw_FailsWithAShrunkVietnameseCounterexample_WhenTheRuleSetRoundsDown()
    {
        var runner = new RuleCheckRunner(RoundingDown, TimeProvider.System);

        var result = Assert.Single(Run(runner, Laws.RoundingErrorIsBelowOneDong.Id, 42, 1_000).Results);

        Assert.Equal(LawOutcome.Failed, result.Outcome);
        Assert.False(result.Passed);
        var example = result.Counterexample!;
        Assert.True(example.Shrinks > 0);
        Assert.Contains(RuleIds.Rounding, example.RuleIds);
        Assert.StartsWith("số tiền chính xác", example.Expected, StringComparison.Ordinal);
        Assert.Contains("chênh lệch", example.Actual, StringComparison.Ordinal);
        Assert.Equal("Kỳ đảng phí", example.Inputs[0].Label);
        // Shrunk: no decision, no voluntary amount, nothing in the input that the failure does not need.
        Assert.Equal(FeeText.Missing, example.Inputs.Single(i => i.Label == "Quyết định miễn, giảm").Value);
        Assert.Equal(FeeText.Missing, example.Inputs.Single(i => i.Label == "Mức tự nguyện đóng đã được duyệt").Value);
        Assert.Contains("cần số tiền chính xác", example.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void ExemptionLaw_FailsNamingFiftyPartyYears_WhenTheRuleSetWaitsSixty()
    {
        var runner = new RuleCheckRunner(SixtyYears, TimeProvider.System);

        var result = Assert.Single(Run(runner, Laws.NoExemptMemberIsCharged.Id, 42, 1_000).Results);

        Assert.Equal(LawOutcome.Failed, result.Outcome);
        Assert.Contains("đủ 50 năm tuổi đảng, FR-08", result.Counterexample!.Expected, StringComparison.Ordinal);
        Assert.NotEqual(FeeText.Missing, result.Counterexample.Inputs.Single(i => i.Label == "Ngày vào Đảng").Value);
    }

    [Fact]
    public void ARun_ReplaysTheSameCasesAndCounterexample_WhenGivenTheSameSeed()
    {
        var runner = new RuleCheckRunner(RoundingDown, TimeProvider.System);

        var first = Run(runner, null, 20261202, 300);
        var second = Run(runner, null, 20261202, 300);

        Assert.Equal(first.Results.Select(r => (r.Outcome, r.Cases, r.Counterexample?.ToText())),
            second.Results.Select(r => (r.Outcome, r.Cases, r.Counterexample?.ToText())));
        Assert.Equal("failed", first.OutcomeCode);
    }

    [Fact]
    public void ATestOnlyLaw_ShrinksToTheSmallestFailingCase()
    {
        var law = new FeeLaw<int>("below-ten", "Nhỏ hơn mười", "Mọi số nhỏ hơn 10.", "Every number is below 10.", [],
            Arb.From(Gen.Choose(0, 1_000_000), n => n > 0 ? [0, n / 2, n - 1] : []),
            (n, _) => n < 10 ? null : new LawBreach("nhỏ hơn 10", n.ToString(System.Globalization.CultureInfo.InvariantCulture), []),
            n => [new CaseValue("Số", n.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        var runner = new RuleCheckRunner(FeeRuleBook.Default, TimeProvider.System, [law]);

        var result = Assert.Single(Run(runner, "below-ten", 1, 100).Results);

        Assert.Equal(LawOutcome.Failed, result.Outcome);
        Assert.Equal("10", result.Counterexample!.Actual);
        Assert.Equal("Với Số: 10: cần nhỏ hơn 10; thực tế 10.", result.Counterexample.ToText());
    }

    [Fact]
    public void ALawWhoseCheckThrows_FailsWithTheErrorAsTheActualResult()
    {
        var law = new FeeLaw<int>("throws", "Ném lỗi", "Không bao giờ lỗi.", "Never throws.", [],
            Arb.From(Gen.Choose(1, 5)),
            (n, rules) => n > 0 ? throw new InvalidOperationException("hỏng") : null,
            n => []);
        var runner = new RuleCheckRunner(FeeRuleBook.Default, TimeProvider.System, [law]);

        var result = Assert.Single(Run(runner, "throws", 1, 10).Results);

        Assert.Equal(LawOutcome.Failed, result.Outcome);
        Assert.Equal("lỗi InvalidOperationException: hỏng", result.Counterexample!.Actual);
    }

    [Theory]
    [InlineData(null, 0L, "cases")]
    [InlineData(null, 100_001L, "cases")]
    [InlineData(null, -5L, "cases")]
    [InlineData("no-such-law", 10L, "law")]
    public void Plan_NamesTheBadField_WhenAskedForTooManyCasesOrAnUnknownLaw(string? law, long cases, string field)
    {
        var plan = new RuleCheckRunner(FeeRuleBook.Default, TimeProvider.System).Plan(law, 1, cases);

        Assert.False(plan.Succeeded);
        Assert.Equal(RefusalKind.Invalid, plan.Refusal!.Kind);
        Assert.Equal([field], plan.Refusal.Errors!.Keys);
    }

    [Fact]
    public void Plan_TakesEveryLawADefaultNumberOfCasesAndARandomSeed_WhenTheAuditorSaysNothing()
    {
        var runner = new RuleCheckRunner(FeeRuleBook.Default, TimeProvider.System);

        var plan = runner.Plan(null, null, null).Value;
        var all = runner.Plan("all", ulong.MaxValue, 100_000).Value;

        Assert.Equal(Laws.All, plan.Laws);
        Assert.Equal(RuleCheckPlan.DefaultCases, plan.Cases);
        Assert.False(plan.SeedChosen);
        Assert.Equal("all", plan.LawId);
        Assert.True(all.SeedChosen);
        Assert.Equal(ulong.MaxValue, all.Seed);
    }

    [Fact]
    public void ARun_ReportsTheLawUnderWayAndTheRestStopped_WhenTheTimeBudgetRunsOut()
    {
        // Every look at the clock moves it a millisecond on: a 100 ms budget lasts about a hundred cases.
        var clock = new SteppingClock(TimeSpan.FromMilliseconds(1));
        var runner = new RuleCheckRunner(FeeRuleBook.Default, clock);

        var report = runner.RunNow(runner.Plan(null, 7, 100_000).Value, TimeSpan.FromMilliseconds(100), CancellationToken.None);

        Assert.Equal(LawOutcome.Stopped, report.Results[0].Outcome);
        Assert.InRange(report.Results[0].Cases, 1, 100);
        Assert.All(report.Results.Skip(1), r => Assert.Equal((LawOutcome.Stopped, 0), (r.Outcome, r.Cases)));
        Assert.Equal("stopped", report.OutcomeCode);
    }

    [Fact]
    public void ARun_Throws_WhenTheCallerCancels()
    {
        var runner = new RuleCheckRunner(FeeRuleBook.Default, TimeProvider.System);

        Assert.Throws<OperationCanceledException>(() => runner.RunNow(runner.Plan(null, 1, 100_000).Value, Plenty, new CancellationToken(canceled: true)));
    }

    [Fact]
    public async Task ARun_IsRefusedWith429_WhenEverySlotIsBusyForTheWholeBudget()
    {
        using var started = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        var law = new FeeLaw<int>("blocks", "Chờ", "Chờ.", "Waits.", [], Arb.From(Gen.Constant(1)),
            (_, _) =>
            {
                started.Release();
                release.Wait();
                return null;
            },
            _ => []);
        var clock = new FakeTimeProvider();
        var runner = new RuleCheckRunner(FeeRuleBook.Default, clock, [law]);
        var plan = runner.Plan("blocks", 1, 1).Value;
        var busy = Enumerable.Range(0, runner.MaxConcurrentRuns)
            .Select(_ => Task.Run(() => runner.Run(plan, TimeSpan.FromHours(1), CancellationToken.None)))
            .ToList();
        for (int i = 0; i < runner.MaxConcurrentRuns; i++)
        {
            await started.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var waiting = runner.Run(plan, TimeSpan.FromSeconds(10), CancellationToken.None);
        clock.Advance(TimeSpan.FromSeconds(11));
        var refused = await waiting;
        release.Set();
        var done = await Task.WhenAll(busy);

        Assert.False(refused.Succeeded);
        Assert.Equal(RefusalKind.TooManyAttempts, refused.Refusal!.Kind);
        Assert.Equal(10, refused.Refusal.Details!["retryAfterSeconds"]);
        Assert.All(done, d => Assert.True(d.Value.Passed));
    }

    /// <summary>A clock whose every timestamp is one step later than the last.</summary>
    private sealed class SteppingClock(TimeSpan step) : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Add(ref _ticks, step.Ticks);
    }
}
