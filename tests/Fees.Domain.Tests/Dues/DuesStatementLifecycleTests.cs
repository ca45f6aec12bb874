using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Rules;

namespace Fees.Domain.Tests.Dues;

public class DuesStatementLifecycleTests
{
    /// <summary>What can happen to a statement, as the intent methods express it.</summary>
    public enum Act
    {
        PayPart,
        PayFull,
        DataArrivesCharged,
        DataArrivesExempt,
        Transfer,
        Cancel,
    }

    private static readonly Money Amount = Money.Vnd(54_756);

    private static readonly FeeQuote Charged = new(FeeOutcome.Charged, Amount, RuleIds.SiSalary, "", []);
    private static readonly FeeQuote Exempt = new(FeeOutcome.Exempt, Money.Zero, RuleIds.FiftyYearsExempt, "", []);

    /// <summary>Every allowed move; any pair not listed must be refused.</summary>
    private static readonly Dictionary<(DuesStatementStatus, Act), DuesStatementStatus> Allowed = new()
    {
        [(DuesStatementStatus.AwaitingData, Act.DataArrivesCharged)] = DuesStatementStatus.Issued,
        [(DuesStatementStatus.AwaitingData, Act.DataArrivesExempt)] = DuesStatementStatus.Exempt,
        [(DuesStatementStatus.Issued, Act.PayPart)] = DuesStatementStatus.PartiallyPaid,
        [(DuesStatementStatus.Issued, Act.PayFull)] = DuesStatementStatus.Paid,
        [(DuesStatementStatus.Issued, Act.Transfer)] = DuesStatementStatus.Transferred,
        [(DuesStatementStatus.Issued, Act.Cancel)] = DuesStatementStatus.Cancelled,
        [(DuesStatementStatus.PartiallyPaid, Act.PayPart)] = DuesStatementStatus.PartiallyPaid,
        [(DuesStatementStatus.PartiallyPaid, Act.PayFull)] = DuesStatementStatus.Paid,
        [(DuesStatementStatus.PartiallyPaid, Act.Transfer)] = DuesStatementStatus.Transferred,
    };

    public static TheoryData<DuesStatementStatus, Act> AllPairs()
    {
        var data = new TheoryData<DuesStatementStatus, Act>();
        foreach (var status in Enum.GetValues<DuesStatementStatus>())
        {
            foreach (var act in Enum.GetValues<Act>())
            {
                data.Add(status, act);
            }
        }
        return data;
    }

    private static void Do(DuesStatementLifecycle lifecycle, Act act)
    {
        switch (act)
        {
            case Act.PayPart:
                lifecycle.RecordPayment(Money.Vnd(20_000), Amount);
                break;
            case Act.PayFull:
                lifecycle.RecordPayment(Amount, Amount);
                break;
            case Act.DataArrivesCharged:
                lifecycle.DataArrived(Charged);
                break;
            case Act.DataArrivesExempt:
                lifecycle.DataArrived(Exempt);
                break;
            case Act.Transfer:
                lifecycle.Transfer();
                break;
            case Act.Cancel:
                lifecycle.Cancel();
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(act), act, null);
        }
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void EveryMove_IsEitherAllowedToItsTarget_OrRefusedLoudly(DuesStatementStatus from, Act act)
    {
        var stored = from;
        var lifecycle = new DuesStatementLifecycle(() => stored, s => stored = s);

        if (Allowed.TryGetValue((from, act), out var to))
        {
            Do(lifecycle, act);
            Assert.Equal(to, stored);
        }
        else
        {
            var error = Assert.Throws<InvalidOperationException>(() => Do(lifecycle, act));
            Assert.Contains($"'{from.ToCode()}'", error.Message, StringComparison.Ordinal);
            Assert.Equal(from, stored);
        }
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void CanProperties_AgreeWithTheMoves(DuesStatementStatus from, Act act)
    {
        var lifecycle = new DuesStatementLifecycle(from);
        bool can = act switch
        {
            Act.PayPart or Act.PayFull => lifecycle.CanRecordPayment,
            Act.DataArrivesCharged or Act.DataArrivesExempt => lifecycle.CanReceiveData,
            Act.Transfer => lifecycle.CanTransfer,
            Act.Cancel => lifecycle.CanCancel,
            _ => throw new ArgumentOutOfRangeException(nameof(act), act, null),
        };

        Assert.Equal(Allowed.ContainsKey((from, act)), can);
    }

    [Fact]
    public void Payments_AccumulateToPaid()
    {
        var lifecycle = new DuesStatementLifecycle(DuesStatementStatus.Issued);

        lifecycle.RecordPayment(Money.Vnd(10_000), Amount);
        lifecycle.RecordPayment(Money.Vnd(30_000), Amount);
        Assert.Equal(DuesStatementStatus.PartiallyPaid, lifecycle.Status);

        lifecycle.RecordPayment(Amount, Amount);
        Assert.Equal(DuesStatementStatus.Paid, lifecycle.Status);
    }

    [Fact]
    public void PayingMoreThanTheAmount_IsABug()
    {
        var lifecycle = new DuesStatementLifecycle(DuesStatementStatus.Issued);

        Assert.Throws<ArgumentOutOfRangeException>(() => lifecycle.RecordPayment(Amount + Money.Vnd(1), Amount));
        Assert.Throws<ArgumentOutOfRangeException>(() => lifecycle.RecordPayment(Money.Zero, Amount));
        Assert.Equal(DuesStatementStatus.Issued, lifecycle.Status);
    }

    [Fact]
    public void DataArrived_WithAQuoteStillAwaitingData_IsABug()
    {
        var lifecycle = new DuesStatementLifecycle(DuesStatementStatus.AwaitingData);
        var stillWaiting = new FeeQuote(FeeOutcome.AwaitingData, Money.Zero, RuleIds.AwaitingData, "", []);

        Assert.Throws<ArgumentException>(() => lifecycle.DataArrived(stillWaiting));
    }

    [Theory]
    [InlineData(FeeOutcome.Charged, DuesStatementStatus.Issued)]
    [InlineData(FeeOutcome.Exempt, DuesStatementStatus.Exempt)]
    [InlineData(FeeOutcome.AwaitingData, DuesStatementStatus.AwaitingData)]
    public void InitialStatus_FollowsTheQuote(FeeOutcome outcome, DuesStatementStatus expected)
    {
        Assert.Equal(expected, DuesStatementLifecycle.InitialStatus(new FeeQuote(outcome, Money.Zero, "FR-01", "", [])));
    }

    [Theory]
    [InlineData(DuesStatementStatus.AwaitingData, "awaiting_data")]
    [InlineData(DuesStatementStatus.Issued, "issued")]
    [InlineData(DuesStatementStatus.PartiallyPaid, "partially_paid")]
    [InlineData(DuesStatementStatus.Paid, "paid")]
    [InlineData(DuesStatementStatus.Exempt, "exempt")]
    [InlineData(DuesStatementStatus.Transferred, "transferred")]
    public void StatusCodes_AreTheContractsStrings_AndRoundTrip(DuesStatementStatus status, string code)
    {
        Assert.Equal(code, status.ToCode());
        Assert.True(DuesStatementStatusCodes.TryParse(code, out var parsed));
        Assert.Equal(status, parsed);
    }

    [Fact]
    public void UnknownStatusCode_DoesNotParse()
    {
        Assert.False(DuesStatementStatusCodes.TryParse("Paid", out _));
        Assert.False(DuesStatementStatusCodes.TryParse(null, out _));
    }
}
