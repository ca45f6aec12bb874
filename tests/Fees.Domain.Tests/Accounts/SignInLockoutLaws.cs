using Fees.Domain.Accounts;
using FsCheck.Xunit;

namespace Fees.Domain.Tests.Accounts;

/// <summary>
/// The laws of signing in against wrong passwords, checked on generated histories (<see cref="SignInArbitraries"/>).
/// An attempt is replayed as the service makes it: refused unchecked while the account may not try
/// (<see cref="UserAccount.MayTrySignIn"/>), otherwise counted as a failure or a success.
/// </summary>
public class SignInLockoutLaws
{
    private static readonly DateTimeOffset Start = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);

    /// <summary>What the service does with one attempt at <paramref name="now"/>; true when the password was checked.</summary>
    private static bool Try(UserAccount user, bool rightPassword, DateTimeOffset now)
    {
        if (!user.MayTrySignIn(now))
        {
            return false;
        }
        if (rightPassword)
        {
            user.RecordSuccessfulSignIn(now);
        }
        else
        {
            user.RecordFailedSignIn(now);
        }
        return true;
    }

    private static (UserAccount User, DateTimeOffset End) Replay(SignInHistory history)
    {
        var user = UserAccount.Create("a", Role.Treasurer, 1, null, Start);
        var now = Start;
        foreach (var attempt in history.Attempts)
        {
            now += attempt.Gap;
            Try(user, attempt.RightPassword, now);
        }
        return (user, now);
    }

    /// <summary>
    /// No one outside locks an account for good: whatever attempts anyone makes, the account is never locked the way an
    /// admin locks it, and one day (the longest lockout) after the last attempt it may sign in again.
    /// </summary>
    [Property(Arbitrary = [typeof(SignInArbitraries)], MaxTest = 500)]
    public void WrongPasswordsNeverLockForGood(SignInHistory history)
    {
        var (user, end) = Replay(history);
        Assert.False(user.IsLocked);
        Assert.True(user.MayTrySignIn(end + SignInLockout.Longest));
    }

    /// <summary>
    /// The account keeps the count: after any history, the lockouts earned equal the consecutive failures since the
    /// last success divided by the threshold (every 10th failure starts one, none other does).
    /// </summary>
    [Property(Arbitrary = [typeof(SignInArbitraries)], MaxTest = 500)]
    public void EveryTenthConsecutiveFailureStartsALockout(SignInHistory history)
    {
        var (user, _) = Replay(history);
        Assert.Equal(user.FailedAttempts / SignInLockout.Threshold, user.Lockouts);
        Assert.Equal(user.Lockouts > 0, user.LockedOutUntil is not null);
    }

    /// <summary>A lockout, once started, lasts exactly its scheduled length, and no password is checked before it ends.</summary>
    [Property(Arbitrary = [typeof(SignInArbitraries)], MaxTest = 300)]
    public void ALockoutLastsItsScheduledLengthAndChecksNothing(SignInHistory history)
    {
        var (user, end) = Replay(history);
        for (int i = 0; i < SignInLockout.Threshold; i++)
        {
            Try(user, rightPassword: false, end);
        }
        Assert.True(user.Lockouts > 0);
        var until = user.LockedOutUntil!.Value;
        var length = SignInLockout.Duration(user.Lockouts);
        Assert.True(until - end <= length && until - end > TimeSpan.Zero);
        int failures = user.FailedAttempts;
        Assert.False(Try(user, rightPassword: true, until - TimeSpan.FromSeconds(1)));
        Assert.False(Try(user, rightPassword: false, until - TimeSpan.FromSeconds(1)));
        Assert.Equal(failures, user.FailedAttempts);
        Assert.True(Try(user, rightPassword: true, until));
        Assert.Equal(0, user.FailedAttempts);
    }

    /// <summary>
    /// Each lockout of a run lasts twice as long as the one before, from 15 minutes, never more than a day: 15 min,
    /// 30 min, 1 h, 2 h, 4 h, 8 h, 16 h, then a day each.
    /// </summary>
    [Property(MaxTest = 300)]
    public void EachLockoutLastsTwiceTheOneBeforeUpToADay(FsCheck.PositiveInt lockout)
    {
        int n = lockout.Get;
        Assert.Equal(SignInLockout.First, SignInLockout.Duration(1));
        var expected = TimeSpan.FromTicks(Math.Min(SignInLockout.Duration(n).Ticks * 2, SignInLockout.Longest.Ticks));
        Assert.Equal(expected, SignInLockout.Duration(n + 1));
        Assert.Equal(
            [15, 30, 60, 120, 240, 480, 960, 1440],
            SignInLockout.Schedule.Select(d => (int)d.TotalMinutes));
    }

    /// <summary>
    /// Guessing is bounded: an attacker trying a password every minute, around the clock for <c>days</c> days, gets at
    /// most 10 passwords checked per lockout of the schedule plus 10 per day once the cap is reached.
    /// </summary>
    [Property(MaxTest = 30)]
    public void AnAttackerGetsAtMostTenGuessesADayOnceTheCapIsReached(FsCheck.PositiveInt daysGen)
    {
        int days = 1 + (daysGen.Get % 30);
        var user = UserAccount.Create("a", Role.Admin, null, null, Start);
        int checkedGuesses = 0;
        for (int minute = 0; minute < days * 24 * 60; minute++)
        {
            if (Try(user, rightPassword: false, Start + TimeSpan.FromMinutes(minute)))
            {
                checkedGuesses++;
            }
        }
        Assert.True(checkedGuesses <= SignInLockout.Threshold * (SignInLockout.Schedule.Count + days), $"{checkedGuesses} guesses in {days} days");
    }

    /// <summary>A success forgets the past: the next lockout needs 10 new failures and is again the first (15 minutes).</summary>
    [Property(Arbitrary = [typeof(SignInArbitraries)], MaxTest = 300)]
    public void ASuccessStartsTheScheduleAgain(SignInHistory history)
    {
        var (user, end) = Replay(history);
        var now = end + SignInLockout.Longest;
        Assert.True(Try(user, rightPassword: true, now));
        for (int i = 1; i < SignInLockout.Threshold; i++)
        {
            Try(user, rightPassword: false, now);
            Assert.True(user.MayTrySignIn(now));
        }
        Try(user, rightPassword: false, now);
        Assert.Equal(now + SignInLockout.First, user.LockedOutUntil);
    }
}
