using Fees.Domain.Dues;

namespace Fees.Domain.Tests.Dues;

public sealed class DuesStatementStatusNamesTests
{
    public static TheoryData<DuesStatementStatus> AllStatuses() => [.. Enum.GetValues<DuesStatementStatus>()];

    [Theory]
    [MemberData(nameof(AllStatuses))]
    public void EveryStatus_HasAVietnameseName_AndACodeThatParsesBack(DuesStatementStatus status)
    {
        Assert.False(string.IsNullOrWhiteSpace(status.ToVietnamese()));
        Assert.True(DuesStatementStatusCodes.TryParse(status.ToCode(), out var parsed));
        Assert.Equal(status, parsed);
    }

    [Fact]
    public void StatusNames_AreDistinct() =>
        Assert.Equal(Enum.GetValues<DuesStatementStatus>().Length, Enum.GetValues<DuesStatementStatus>().Select(s => s.ToVietnamese()).Distinct().Count());
}
