using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Rules;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Dues;

/// <summary>A statement's intent methods: what is outstanding, payments, completion and the transfer of the rest.</summary>
public class DuesStatementTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 5, 3, 0, 0, TimeSpan.Zero);

    private static DuesStatement Issued(long amount) =>
        DuesStatement.Issue(7, Period.Of(2026, 8), 11, new FeeQuote(FeeOutcome.Charged, Money.Vnd(amount), "FR-01", "1% × …", ["FR-01"]), "{}", Now);

    [Fact]
    public void Issue_StartsInTheStatusOfItsQuote()
    {
        Assert.Equal(DuesStatementStatus.Issued, Issued(54_756).Status);
        var exempt = DuesStatement.Issue(7, Period.Of(2026, 8), 11, new FeeQuote(FeeOutcome.Exempt, Money.Zero, "FR-08", "Miễn", ["FR-08"]), "{}", Now);
        Assert.Equal(DuesStatementStatus.Exempt, exempt.Status);
        Assert.Equal(Money.Zero, exempt.Outstanding);
    }

    [Fact]
    public void RecordPayment_InPartThenInFull_MovesThroughTheLifecycle()
    {
        var s = Issued(54_756);
        s.RecordPayment(Money.Vnd(20_000), Now);
        Assert.Equal(DuesStatementStatus.PartiallyPaid, s.Status);
        Assert.Equal(Money.Vnd(34_756), s.Outstanding);
        s.RecordPayment(Money.Vnd(34_756), Now);
        Assert.Equal(DuesStatementStatus.Paid, s.Status);
        Assert.Equal(Money.Zero, s.Outstanding);
    }

    [Fact]
    public void RecordPayment_RefusesMoreThanIsOutstanding_AndNothing()
    {
        var s = Issued(10_000);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.RecordPayment(Money.Vnd(10_001), Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => s.RecordPayment(Money.Zero, Now));
        Assert.Equal(DuesStatementStatus.Issued, s.Status);
    }

    [Fact]
    public void RecordPayment_OnAPaidStatement_Throws()
    {
        var s = Issued(10_000);
        s.RecordPayment(Money.Vnd(10_000), Now);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.RecordPayment(Money.Vnd(1), Now));
    }

    [Fact]
    public void Cancel_AnIssuedStatement_LeavesNothingOwed_AndKeepsTheAmountIssued()
    {
        var s = Issued(54_756);
        s.Cancel(Now);
        Assert.Equal(DuesStatementStatus.Cancelled, s.Status);
        Assert.Equal(Money.Zero, s.Outstanding);
        Assert.Equal(Money.Vnd(54_756), s.Amount);
        Assert.Throws<InvalidOperationException>(() => s.RecordPayment(Money.Vnd(1), Now));
    }

    [Fact]
    public void Cancel_AStatementWithPayments_Throws()
    {
        var s = Issued(54_756);
        s.RecordPayment(Money.Vnd(20_000), Now);
        Assert.Throws<InvalidOperationException>(() => s.Cancel(Now));
        Assert.Equal(DuesStatementStatus.PartiallyPaid, s.Status);
    }

    [Fact]
    public void Complete_TakesTheNewQuote_WhenTheDataArrives()
    {
        var s = DuesStatement.Issue(7, Period.Of(2026, 8), 11, new FeeQuote(FeeOutcome.AwaitingData, Money.Zero, "FR-13", "Chờ", ["FR-13"]), "{}", Now);
        Assert.Equal(Money.Zero, s.Outstanding);
        s.Complete(new FeeQuote(FeeOutcome.Charged, Money.Vnd(54_756), "FR-01", "1% × …", ["FR-01"]), "{\"siSalary\":5475600}", Now);
        Assert.Equal(DuesStatementStatus.Issued, s.Status);
        Assert.Equal(Money.Vnd(54_756), s.Outstanding);
        Assert.Throws<InvalidOperationException>(() => s.Complete(new FeeQuote(FeeOutcome.Charged, Money.Vnd(1), "FR-01", "x", ["FR-01"]), "{}", Now));
    }

    [Fact]
    public void TransferRest_LeavesWhatWasPaid_AndCarriesTheRestToTheNewOrganization()
    {
        var s = Issued(54_756);
        s.RecordPayment(Money.Vnd(4_756), Now);
        var rest = s.TransferRest(12, Now);
        Assert.Equal(DuesStatementStatus.Transferred, s.Status);
        Assert.Equal(Money.Zero, s.Outstanding);
        Assert.Equal(Money.Vnd(4_756), s.Paid);
        Assert.Equal(12, rest.OrgId);
        Assert.Equal(Money.Vnd(50_000), rest.Amount);
        Assert.Equal(DuesStatementStatus.Issued, rest.Status);
        Assert.EndsWith("Chuyển sinh hoạt đảng: còn phải đóng 50.000 đ.", rest.Explanation, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => s.TransferRest(13, Now));
    }

    /// <summary>
    /// Law: whatever payments (each at most what is still owed) a statement takes, paid + outstanding = amount, paid
    /// never exceeds the amount, and the status is paid exactly when nothing is outstanding.
    /// </summary>
    [Property]
    public Property AnyPayments_KeepPaidPlusOutstandingEqualToTheAmount() =>
        Prop.ForAll(Gen.Choose(1, 1_000_000).ToArbitrary(), Gen.ListOf(Gen.Choose(1, 1_000_000)).ToArbitrary(), (amount, payments) =>
        {
            var s = Issued(amount);
            foreach (int p in payments)
            {
                var pay = Money.Min(Money.Vnd(p), s.Outstanding);
                if (pay.IsPositive)
                {
                    s.RecordPayment(pay, Now);
                }
            }
            return s.Paid + s.Outstanding == s.Amount
                && s.Paid <= s.Amount
                && (s.Status == DuesStatementStatus.Paid) == s.Outstanding.IsZero;
        });

    /// <summary>Law: a transfer loses no đồng: what the old statement kept as paid plus the new statement's amount is the old amount.</summary>
    [Property]
    public Property TransferRest_LosesNoDong() =>
        Prop.ForAll(Gen.Choose(2, 1_000_000).ToArbitrary(), Gen.Choose(0, 999_999).ToArbitrary(), (amount, paid) =>
        {
            var s = Issued(amount);
            var pay = Money.Vnd(Math.Min(paid, amount - 1));
            if (pay.IsPositive)
            {
                s.RecordPayment(pay, Now);
            }
            var rest = s.TransferRest(99, Now);
            return s.Paid + rest.Amount == s.Amount;
        });
}
