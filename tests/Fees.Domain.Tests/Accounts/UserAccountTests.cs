using Fees.Domain.Accounts;

namespace Fees.Domain.Tests.Accounts;

/// <summary>The sign-in rules of an account: free attempts, a growing wait, then a lock.</summary>
public class UserAccountTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 5, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Create_RefusesARoleWithoutItsScope()
    {
        Assert.Throws<ArgumentException>(() => UserAccount.Create("a", Role.Treasurer, null, null, Now));
        Assert.Throws<ArgumentException>(() => UserAccount.Create("a", Role.Member, 1, null, Now));
        Assert.Throws<ArgumentException>(() => UserAccount.Create("a", Role.Admin, 1, null, Now));
        Assert.Equal(Role.Auditor, UserAccount.Create("a", Role.Auditor, 1, null, Now).Role);
    }

    [Fact]
    public void FailedSignIns_AreFreeThenWaitLongerEachTime()
    {
        var u = UserAccount.Create("a", Role.Admin, null, null, Now);
        for (int i = 1; i < UserAccount.FreeAttempts; i++)
        {
            u.RecordFailedSignIn(Now);
            Assert.Null(u.MustWait(Now));
        }
        u.RecordFailedSignIn(Now);
        Assert.Equal(TimeSpan.FromSeconds(1), u.MustWait(Now));
        u.RecordFailedSignIn(Now);
        Assert.Equal(TimeSpan.FromSeconds(2), u.MustWait(Now));
        u.RecordSuccessfulSignIn(Now);
        Assert.Null(u.MustWait(Now));
        Assert.Equal(0, u.FailedAttempts);
    }
}
