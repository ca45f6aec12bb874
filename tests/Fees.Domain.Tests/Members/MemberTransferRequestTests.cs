using Fees.Domain.Members;

namespace Fees.Domain.Tests.Members;

/// <summary>A transfer request's lifecycle: requested, then accepted, rejected or withdrawn, and nothing after that.</summary>
public sealed class MemberTransferRequestTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = new(2026, 12, 2);

    public enum Act
    {
        Accept,
        Reject,
        Cancel,
    }

    private static readonly Dictionary<Act, MemberTransferStatus> FromRequested = new()
    {
        [Act.Accept] = MemberTransferStatus.Accepted,
        [Act.Reject] = MemberTransferStatus.Rejected,
        [Act.Cancel] = MemberTransferStatus.Cancelled,
    };

    public static TheoryData<MemberTransferStatus, Act> AllPairs()
    {
        var data = new TheoryData<MemberTransferStatus, Act>();
        foreach (var status in Enum.GetValues<MemberTransferStatus>())
        {
            foreach (var act in Enum.GetValues<Act>())
            {
                data.Add(status, act);
            }
        }
        return data;
    }

    private static MemberTransferRequest In(MemberTransferStatus status) =>
        MemberTransferRequest.Restore(1, 7, 11, 12, Today, null, status, "vanphong", Now, null, null, null, null);

    private static void Do(MemberTransferRequest request, Act act)
    {
        switch (act)
        {
            case Act.Accept:
                request.Accept("vanphong.khac", Today, Now);
                break;
            case Act.Reject:
                request.Reject("vanphong.khac", "Chưa nhận được giấy giới thiệu.", Now);
                break;
            case Act.Cancel:
                request.Cancel("vanphong", null, Now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(act), act, null);
        }
    }

    [Theory]
    [MemberData(nameof(AllPairs))]
    public void EveryMove_IsAllowedOnlyFromRequested_AndRefusedLoudlyOtherwise(MemberTransferStatus from, Act act)
    {
        var request = In(from);
        bool can = act switch
        {
            Act.Accept => request.CanAccept,
            Act.Reject => request.CanReject,
            _ => request.CanCancel,
        };
        if (from == MemberTransferStatus.Requested)
        {
            Assert.True(can);
            Do(request, act);
            Assert.Equal(FromRequested[act], request.Status);
            Assert.Equal(Now, request.DecidedAt);
        }
        else
        {
            Assert.False(can);
            var error = Assert.Throws<InvalidOperationException>(() => Do(request, act));
            Assert.Contains($"'{from.ToCode()}'", error.Message, StringComparison.Ordinal);
            Assert.Equal(from, request.Status);
        }
    }

    [Fact]
    public void Accepted_LaterThanTheDayAsked_PlacesTheMemberFromTheDayOfAcceptance()
    {
        var asked = MemberTransferRequest.Request(7, 11, 12, new DateOnly(2026, 12, 1), "27-QĐ/ĐU", "vanphong", Now);
        asked.Accept("vanphong.khac", Today, Now);
        Assert.Equal(Today, asked.PlacedFrom);

        var ahead = MemberTransferRequest.Request(7, 11, 12, new DateOnly(2027, 1, 1), null, "vanphong", Now);
        ahead.Accept("vanphong.khac", Today, Now);
        Assert.Equal(new DateOnly(2027, 1, 1), ahead.PlacedFrom);
    }

    [Fact]
    public void Transitions_AreTheThreeAnswersToARequest()
    {
        Assert.Equal(
            [(MemberTransferStatus.Requested, MemberTransferStatus.Accepted), (MemberTransferStatus.Requested, MemberTransferStatus.Rejected),
                (MemberTransferStatus.Requested, MemberTransferStatus.Cancelled)],
            MemberTransferRequest.Transitions.OrderBy(t => t.To).ToList());
    }

    [Fact]
    public void ARequestToTheSameOrganization_IsABug()
    {
        Assert.Throws<ArgumentException>(() => MemberTransferRequest.Request(7, 11, 11, Today, null, "vanphong", Now));
    }

    [Fact]
    public void EveryStatus_HasACodeThatParsesBack_AndAVietnameseName()
    {
        foreach (var status in Enum.GetValues<MemberTransferStatus>())
        {
            Assert.True(MemberTransferStatusCodes.TryParse(status.ToCode(), out var parsed));
            Assert.Equal(status, parsed);
            Assert.False(string.IsNullOrWhiteSpace(status.ToVietnamese()));
        }
        Assert.False(MemberTransferStatusCodes.TryParse("0", out _));
    }
}
