namespace Fees.Domain.Accounts;

/// <summary>
/// The temporary lockout after consecutive wrong passwords, distinct from an admin's lock (which stays until an admin
/// unlocks). Every <see cref="Threshold"/>th consecutive failure locks the account out: the first lockout lasts
/// <see cref="First"/> (15 minutes), each next one twice as long as the last (30 minutes, 1 hour, 2, 4, 8, 16 hours),
/// never longer than <see cref="Longest"/> (one day). A successful sign-in, an admin's unlock or a password reset starts
/// again from zero. While locked out, an attempt is refused without checking or counting its password, with the same
/// answer as a wrong password; so no one outside can lock an account for good, nor learn that it exists or is locked.
/// </summary>
public static class SignInLockout
{
    /// <summary>Consecutive failures that earn a lockout: the 10th, 20th, 30th … each start one.</summary>
    public const int Threshold = 10;

    /// <summary>The first lockout of a run of failures.</summary>
    public static TimeSpan First { get; } = TimeSpan.FromMinutes(15);

    /// <summary>No lockout is longer (the cap of the doubling).</summary>
    public static TimeSpan Longest { get; } = TimeSpan.FromDays(1);

    /// <summary>
    /// The schedule as a table: <c>Schedule[i]</c> is the length of lockout <c>i + 1</c>, up to the first one that
    /// reaches <see cref="Longest"/>; every later lockout lasts as long as the last entry. The database indexes it when it
    /// counts a failure, so the rule has one home.
    /// </summary>
    public static IReadOnlyList<TimeSpan> Schedule { get; } = BuildSchedule();

    /// <summary>Does the <paramref name="failedAttempts"/>th consecutive failure start a lockout?</summary>
    public static bool StartsLockout(int failedAttempts) => failedAttempts > 0 && failedAttempts % Threshold == 0;

    /// <summary>The length of the <paramref name="lockout"/>th lockout (1 for the first) of a run of failures.</summary>
    public static TimeSpan Duration(int lockout)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(lockout, 1);
        return Schedule[Math.Min(lockout, Schedule.Count) - 1];
    }

    private static TimeSpan[] BuildSchedule()
    {
        var schedule = new List<TimeSpan>();
        for (var d = First; ; d *= 2)
        {
            if (d >= Longest)
            {
                schedule.Add(Longest);
                return [.. schedule];
            }
            schedule.Add(d);
        }
    }
}
