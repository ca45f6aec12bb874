using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Ledger;
using Fees.Domain.Outcomes;
using Fees.Domain.Remittance;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Remittance;

/// <summary>
/// The close and the remittance order as laws: the order's machine, the cadence, the gate a close passes, the order's
/// own reference, and the sweep a close posts (collected = retained + remitted, to the đồng, whatever it sweeps).
/// </summary>
public sealed class CloseAndRemittanceTests
{
    private static readonly Period Aug = Period.Of(2026, 8);
    private static readonly Period Sep = Period.Of(2026, 9);
    private static readonly Period Nov = Period.Of(2026, 11);
    private static readonly Period Dec = Period.Of(2026, 12);

    [Fact]
    public void RemittanceOrderLifecycle_AllowsExactlyTheDocumentedMoves()
    {
        var expected = new HashSet<(RemittanceOrderStatus, RemittanceOrderTrigger, RemittanceOrderStatus)>
        {
            (RemittanceOrderStatus.Created, RemittanceOrderTrigger.Instruct, RemittanceOrderStatus.Instructed),
            (RemittanceOrderStatus.Created, RemittanceOrderTrigger.Pay, RemittanceOrderStatus.Paid),
            (RemittanceOrderStatus.Created, RemittanceOrderTrigger.Cancel, RemittanceOrderStatus.Cancelled),
            (RemittanceOrderStatus.Instructed, RemittanceOrderTrigger.Pay, RemittanceOrderStatus.Paid),
            (RemittanceOrderStatus.Instructed, RemittanceOrderTrigger.Cancel, RemittanceOrderStatus.Cancelled),
            (RemittanceOrderStatus.Paid, RemittanceOrderTrigger.Confirm, RemittanceOrderStatus.Confirmed),
        };
        Assert.Equal(expected, RemittanceOrderLifecycle.Transitions.Select(t => (t.From, t.Trigger, t.To)).ToHashSet());
    }

    [Fact]
    public void RemittanceOrder_IsConfirmedThroughPaid_WhenTheFeedSeesItBeforeAnyoneMarkedIt()
    {
        var order = new RemittanceOrderLifecycle(RemittanceOrderStatus.Created);
        order.Confirm();
        Assert.Equal(RemittanceOrderStatus.Confirmed, order.Status);
    }

    [Theory]
    [InlineData(RemittanceOrderStatus.Paid)]
    [InlineData(RemittanceOrderStatus.Confirmed)]
    [InlineData(RemittanceOrderStatus.Cancelled)]
    public void RemittanceOrder_CannotBeCancelled_OnceTheMoneyLeftOrItEnded(RemittanceOrderStatus status)
    {
        var order = new RemittanceOrderLifecycle(status);
        Assert.False(order.CanFire(RemittanceOrderTrigger.Cancel));
        Assert.Throws<InvalidOperationException>(order.Cancel);
        Assert.Equal(status, order.Status);
    }

    [Fact]
    public void RemittanceOrderStatus_CodesRoundTrip_AndEveryStatusHasVietnamese()
    {
        foreach (var status in Enum.GetValues<RemittanceOrderStatus>())
        {
            Assert.Equal(status, RemittanceOrderStatusCodes.Parse(status.ToCode()));
            Assert.False(string.IsNullOrWhiteSpace(status.ToVietnamese()));
        }
        Assert.Contains("confirmed", RemittanceOrderLifecycle.ToMermaid(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void QuarterlyCadence_ClosesTheLastMonthOfEachQuarter_AndCoversTheQuarter()
    {
        var months = Enumerable.Range(1, 12).Select(m => Period.Of(2027, m)).ToList();
        Assert.Equal([3, 6, 9, 12], months.Where(p => CloseCadence.Quarterly.Closes(p)).Select(p => p.Month));
        Assert.All(months, p => Assert.True(CloseCadence.Monthly.Closes(p)));
        Assert.All(months, p =>
        {
            var covering = CloseCadence.Quarterly.CloseCovering(p);
            Assert.True(CloseCadence.Quarterly.Closes(covering));
            Assert.True(covering >= p && covering.Year == p.Year && covering.Month - p.Month < 3);
            Assert.Equal(p, CloseCadence.Monthly.CloseCovering(p));
        });
        Assert.True(CloseCadences.TryParse("quarterly", out var q) && q == CloseCadence.Quarterly);
        Assert.False(CloseCadences.TryParse("1", out _));
        Assert.False(CloseCadences.TryParse("Quarterly", out _));
    }

    [Theory]
    [InlineData(2026, 7, "before_system_start", RefusalKind.RuleViolation)]
    [InlineData(2026, 12, "period_not_over", RefusalKind.RuleViolation)]
    [InlineData(2027, 1, "period_not_over", RefusalKind.RuleViolation)]
    [InlineData(2026, 9, "already_closed", RefusalKind.Conflict)]
    [InlineData(2026, 8, "later_period_closed", RefusalKind.Conflict)]
    public void CloseGate_Refuses_WithACodeAPersonCanAct_On(int year, int month, string code, RefusalKind kind)
    {
        var outcome = CloseGate.MayClose(Period.Of(year, month), Dec, CloseCadence.Monthly, latestClose: Sep, []);
        Assert.False(outcome.Succeeded);
        Assert.Equal((kind, code), (outcome.Refusal!.Kind, outcome.Refusal.Code));
    }

    [Fact]
    public void CloseGate_WaitsForEveryChild_ThatNeitherClosedNorWasWaived()
    {
        ChildCloseState Child(string code, Period? latest, bool waived = false, CloseCadence cadence = CloseCadence.Monthly) =>
            new(code.Length, code, "Chi bộ " + code, cadence, latest, waived);
        var children = new[]
        {
            Child("C1", Nov), Child("C2", Sep), Child("C3", null, waived: true), Child("C4", null),
            Child("C5", Sep, cadence: CloseCadence.Quarterly), // a quarterly child does not close November
        };
        var outcome = CloseGate.MayClose(Nov, Dec, CloseCadence.Monthly, Sep, children);
        Assert.Equal("children_not_closed", outcome.Refusal!.Code);
        Assert.Equal(["C2", "C4"], (string[])outcome.Refusal.Details!["children"]!);

        Assert.True(CloseGate.MayClose(Nov, Dec, CloseCadence.Monthly, Sep, children.Where(c => c.Code is not ("C2" or "C4")).ToList()).Succeeded);
        Assert.Equal("not_a_close_period", CloseGate.MayClose(Nov, Dec, CloseCadence.Quarterly, null, []).Refusal!.Code);
    }

    [Property(Arbitrary = [typeof(Dues.PaymentReferenceTests.Ids)])]
    public bool ForRemittance_RoundTrips_AndIsFoundInARewrittenContent(long orderId)
    {
        var reference = PaymentReference.ForRemittance(orderId);
        var rewritten = $"MBVCB.1457193831.{reference.Value[..5]} {reference.Value[5..].ToLowerInvariant()}.CT tu 0291000285902 toi 100000000001";
        return reference.Value.StartsWith(PaymentReference.RemittancePrefix, StringComparison.Ordinal)
            && reference.Kind == PaymentReferenceKind.Remittance
            && reference.Number == orderId
            && PaymentReference.TryParse(reference.Value.ToLowerInvariant(), out var parsed) && parsed == reference
            && PaymentReference.FindIn(rewritten).SequenceEqual([reference])
            && reference != PaymentReference.ForMember(orderId)
            && reference != PaymentReference.NewRequest(orderId);
    }

    /// <summary>A sweep: amounts on the collection accounts of the close's period and of up to three earlier ones.</summary>
    public static class Sweeps
    {
        public static Arbitrary<(PeriodAmount[] Own, PeriodAmount[] Received, int RemitPercent)> Sweep()
        {
            var amount = Gen.Choose(0, 50_000_000).Select(d => (long)d);
            var periodAmounts = Gen.Choose(0, 3).SelectMany(n => amount.ListOf(n + 1)
                .Select(list => list.Select((a, i) => new PeriodAmount(Dec.AddMonths(-i), Money.Vnd(a))).ToArray()));
            return (from own in periodAmounts
                    from received in periodAmounts
                    from percent in Gen.Choose(0, 100)
                    select (own, received, percent)).ToArbitrary();
        }
    }

    [Property(Arbitrary = [typeof(Sweeps)], MaxTest = 300)]
    public bool PeriodClose_WhateverItSweeps_SplitsExactly_AndPassesTheInvariants(
        (PeriodAmount[] Own, PeriodAmount[] Received, int RemitPercent) sweep)
    {
        var rule = new RetentionRule("r", LinkSelector.Any, Aug, Percent.FromWholePercent(sweep.RemitPercent), RemittanceBasis.Collected);
        var own = Money.Sum(sweep.Own.Select(a => a.Amount));
        var received = Money.Sum(sweep.Received.Select(a => a.Amount));
        var split = PeriodClose.Compute(own, received, own + received, rule);
        var entries = PostingRules.PeriodClose(7, 3, Dec, new DateOnly(2027, 1, 10), split, new CloseSweep(sweep.Own, sweep.Received));
        var posted = new[] { entries.Own, entries.AtParent }.OfType<JournalEntry>().ToList();
        var debits = entries.Own?.Lines.Where(l => l.Side == Side.Debit).Sum(l => l.Amount.Dong) ?? 0;
        return split.Collected == split.Retained + split.Remitted
            && debits == (own + received).Dong
            && (entries.AtParent?.Total ?? Money.Zero) == split.Remitted
            && LedgerInvariants.ClosesSplitExactly(posted, new Dictionary<long, long> { [7] = 3 }).Passed
            && LedgerInvariants.EntriesBalance(posted).Passed
            && LedgerInvariants.PostingsFollowTheChart(posted).Passed;
    }

    [Fact]
    public void PeriodClose_RefusesASweepOfALaterPeriod_OrOneThatDoesNotAddUpToTheSplit()
    {
        var rule = new RetentionRule("r", LinkSelector.Any, Aug, Percent.FromWholePercent(70), RemittanceBasis.Collected);
        var split = PeriodClose.Compute(Money.Vnd(100_000), Money.Zero, Money.Vnd(100_000), rule);
        Assert.Throws<ArgumentException>(() => PostingRules.PeriodClose(7, 3, Nov, new DateOnly(2026, 12, 10), split,
            new CloseSweep([new PeriodAmount(Dec, Money.Vnd(100_000))], [])));
        Assert.Throws<ArgumentException>(() => PostingRules.PeriodClose(7, 3, Nov, new DateOnly(2026, 12, 10), split,
            new CloseSweep([new PeriodAmount(Nov, Money.Vnd(90_000))], [])));
        Assert.Equal("7/2026-11/r2", PostingRules.CloseId(7, Nov, 2));
        Assert.Equal("7/2026-11", PostingRules.CloseId(7, Nov));
    }
}
