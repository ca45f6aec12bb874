using FsCheck;
using FsCheck.Fluent;

namespace Fees.Domain.Tests.Accounts;

/// <summary>One sign-in attempt, <see cref="Gap"/> after the previous one, with the right password or a wrong one.</summary>
public sealed record Attempt(bool RightPassword, TimeSpan Gap);

/// <summary>A history of attempts on one account, oldest first.</summary>
public sealed record SignInHistory(IReadOnlyList<Attempt> Attempts)
{
    public override string ToString() =>
        string.Join(", ", Attempts.Select(a => $"{(a.RightPassword ? "right" : "wrong")}+{a.Gap}"));
}

/// <summary>
/// The generators of the sign-in laws (<see cref="SignInLockoutLaws"/>): histories of up to 200 attempts, mostly wrong
/// passwords (an attacker) with some right ones (the owner), in bursts (no gap), minutes apart, or days apart, so
/// that runs of failures cross lockouts, lockouts expire, and the schedule reaches its cap.
/// </summary>
public static class SignInArbitraries
{
    private static Gen<TimeSpan> Gaps { get; } = Gen.Frequency(
        (6, Gen.Constant(TimeSpan.Zero)),
        (3, Gen.Choose(1, 120).Select(m => TimeSpan.FromMinutes(m))),
        (1, Gen.Choose(1, 72).Select(h => TimeSpan.FromHours(h))));

    private static Gen<Attempt> Attempts { get; } =
        from right in Gen.Frequency((1, Gen.Constant(true)), (6, Gen.Constant(false)))
        from gap in Gaps
        select new Attempt(right, gap);

    public static Arbitrary<SignInHistory> Histories() =>
        Gen.Choose(0, 200).SelectMany(n => Attempts.ArrayOf(n)).Select(a => new SignInHistory(a)).ToArbitrary();
}
