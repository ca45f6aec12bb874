using Fees.BankGateway.Providers;
using Fees.Domain.Amounts;

namespace Fees.BankGateway.Tests.Providers;

public class BankTransactionTests
{
    private static BankTransaction Valid() => new()
    {
        Provider = BankProviderCodes.Generic,
        TransactionId = "T1",
        AccountNumber = "0071000962707",
        Direction = TransferDirection.In,
        Amount = Money.Vnd(54756),
        Content = "DP7K2QF9XZ",
        BookedAt = new DateTimeOffset(2026, 9, 5, 14, 3, 0, TimeSpan.FromHours(7)),
    };

    [Fact]
    public void Create_AcceptsTheBoundsInclusive()
    {
        var t = Valid() with
        {
            Amount = Money.Vnd(999_999_999_999),
            TransactionId = new string('x', 100),
            Content = new string('ơ', 1000),
            AccountNumber = new string('9', 19),
            BookedAt = BankTransactionLimits.EarliestBookedAt,
            RunningBalance = Money.Vnd(-999_999_999_999_999),
        };
        Assert.Equal(Money.Vnd(999_999_999_999), t.Amount);
        Assert.Equal(Money.Vnd(1), (Valid() with { Amount = Money.Vnd(1) }).Amount);
    }

    public static TheoryData<string, Func<BankTransaction, BankTransaction>> OutOfBounds() => new()
    {
        { "Amount", t => t with { Amount = Money.Zero } },
        { "Amount", t => t with { Amount = Money.Vnd(-1) } },
        { "Amount", t => t with { Amount = Money.Vnd(1_000_000_000_000) } },
        { "TransactionId", t => t with { TransactionId = new string('x', 101) } },
        { "TransactionId", t => t with { TransactionId = "" } },
        { "TransactionId", t => t with { TransactionId = " T1" } },
        { "TransactionId", t => t with { TransactionId = "T\n1" } },
        { "BankReference", t => t with { BankReference = "" } },
        { "BankBin", t => t with { BankBin = "97043" } },
        { "AccountNumber", t => t with { AccountNumber = "0071 000" } },
        { "AccountNumber", t => t with { AccountNumber = new string('1', 20) } },
        { "SubAccount", t => t with { SubAccount = "va-1" } },
        { "Direction", t => t with { Direction = (TransferDirection)0 } },
        { "Content", t => t with { Content = new string('a', 1001) } },
        { "Content", t => t with { Content = null! } },
        { "RawDescription", t => t with { RawDescription = new string('a', 1001) } },
        { "BookedAt", t => t with { BookedAt = BankTransactionLimits.BookedAtCeiling } },
        { "BookedAt", t => t with { BookedAt = BankTransactionLimits.EarliestBookedAt.AddTicks(-1) } },
        { "CounterpartyName", t => t with { CounterpartyName = new string('N', 201) } },
        { "CounterpartyAccount", t => t with { CounterpartyAccount = new string('1', 51) } },
        { "RunningBalance", t => t with { RunningBalance = Money.Vnd(1_000_000_000_000_000) } },
        { "Provider", t => t with { Provider = "SePay" } },
    };

    [Theory]
    [MemberData(nameof(OutOfBounds))]
    public void Create_Throws_WhenAValueIsOutOfBounds(string property, Func<BankTransaction, BankTransaction> change)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => change(Valid()));
        Assert.Equal(property, error.ParamName);
    }

    [Fact]
    public void SignedAmount_IsNegativeForMoneyOut()
    {
        Assert.Equal(Money.Vnd(54756), Valid().SignedAmount);
        Assert.Equal(Money.Vnd(-54756), (Valid() with { Direction = TransferDirection.Out }).SignedAmount);
    }

    [Fact]
    public void Equality_IsByValue() => Assert.Equal(Valid(), Valid());
}
