using Fees.Domain.Accounts;

namespace Fees.Domain.Tests.Accounts;

/// <summary>An account's scope, and what admins may do to it: lock (never themselves, never the last admin), unlock, reset.</summary>
public class UserAccountTests
{
    private static readonly DateTimeOffset Now = new(2026, 9, 5, 3, 0, 0, TimeSpan.Zero);

    private static Actor AdminActor(long id) => new(id, "someone", Role.Admin, null, null, null);

    private static UserAccount LockedOut(Role role = Role.Treasurer)
    {
        var u = UserAccount.Create("a", role, role == Role.Admin ? null : 1, null, Now);
        for (int i = 0; i < SignInLockout.Threshold; i++)
        {
            u.RecordFailedSignIn(Now);
        }
        Assert.True(u.IsLockedOut(Now));
        return u;
    }

    [Fact]
    public void Create_RefusesARoleWithoutItsScope()
    {
        Assert.Throws<ArgumentException>(() => UserAccount.Create("a", Role.Treasurer, null, null, Now));
        Assert.Throws<ArgumentException>(() => UserAccount.Create("a", Role.Member, 1, null, Now));
        Assert.Throws<ArgumentException>(() => UserAccount.Create("a", Role.Admin, 1, null, Now));
        Assert.Equal(Role.Auditor, UserAccount.Create("a", Role.Auditor, 1, null, Now).Role);
    }

    [Fact]
    public void FailedSignIns_LockOutForFifteenMinutes_AtTheTenth()
    {
        var u = UserAccount.Create("a", Role.Admin, null, null, Now);
        for (int i = 1; i < SignInLockout.Threshold; i++)
        {
            Assert.Null(u.RecordFailedSignIn(Now));
            Assert.True(u.MayTrySignIn(Now));
        }
        Assert.Equal(Now + TimeSpan.FromMinutes(15), u.RecordFailedSignIn(Now));
        Assert.False(u.MayTrySignIn(Now + TimeSpan.FromMinutes(14)));
        Assert.True(u.MayTrySignIn(Now + TimeSpan.FromMinutes(15)));
        Assert.False(u.IsLocked);
    }

    [Fact]
    public void RecordSuccessfulSignIn_Throws_WhenLockedOut()
    {
        var u = LockedOut();
        Assert.Throws<InvalidOperationException>(() => u.RecordSuccessfulSignIn(Now));
    }

    [Fact]
    public void Lock_IsRefused_ForOnesOwnAccount()
    {
        var u = UserAccount.Create("a", Role.Admin, null, null, Now);
        var outcome = u.Lock(AdminActor(u.Id), otherUnlockedAdmins: 5, Now);
        Assert.Equal("cannot_lock_self", outcome.Refusal?.Code);
        Assert.False(u.IsLocked);
    }

    [Fact]
    public void Lock_IsRefused_ForTheLastUnlockedAdmin()
    {
        var u = UserAccount.Create("a", Role.Admin, null, null, Now);
        var outcome = u.Lock(AdminActor(u.Id + 1), otherUnlockedAdmins: 0, Now);
        Assert.Equal("last_admin", outcome.Refusal?.Code);
        Assert.True(u.Lock(AdminActor(u.Id + 1), otherUnlockedAdmins: 1, Now).Succeeded);
        Assert.True(u.IsLocked);
        // Already locked: locking again changes nothing and is not refused, whoever else is left.
        Assert.True(u.Lock(AdminActor(u.Id + 1), otherUnlockedAdmins: 0, Now).Succeeded);
    }

    [Fact]
    public void Lock_StaysUntilUnlocked_WhateverTheTime()
    {
        var u = LockedOut();
        Assert.True(u.Lock(AdminActor(99), otherUnlockedAdmins: 0, Now).Succeeded);
        Assert.False(u.MayTrySignIn(Now + TimeSpan.FromDays(3650)));
        u.Unlock(Now);
        Assert.True(u.MayTrySignIn(Now));
        Assert.Equal((0, 0, (DateTimeOffset?)null), (u.FailedAttempts, u.Lockouts, u.LockedOutUntil));
    }

    [Fact]
    public void Unlock_EndsATemporaryLockout()
    {
        var u = LockedOut();
        u.Unlock(Now);
        Assert.True(u.MayTrySignIn(Now));
    }

    [Fact]
    public void ResetPassword_EndsTheLockout_ButNotAnAdminsLock()
    {
        var lockedOut = LockedOut();
        lockedOut.ResetPassword("new-hash", Now);
        Assert.True(lockedOut.MayTrySignIn(Now));
        Assert.Equal("new-hash", lockedOut.PasswordHash);

        var locked = LockedOut();
        locked.Lock(AdminActor(99), otherUnlockedAdmins: 1, Now);
        locked.ResetPassword("new-hash", Now);
        Assert.True(locked.IsLocked);
    }

    [Fact]
    public void Recover_EndsEveryLockAndLockout()
    {
        var u = LockedOut(Role.Admin);
        u.Lock(AdminActor(99), otherUnlockedAdmins: 1, Now);
        u.Recover("new-hash", Now);
        Assert.True(u.MayTrySignIn(Now));
        Assert.False(u.IsLocked);
    }
}
