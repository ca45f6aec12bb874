using System.Net;
using Fees.Domain.Accounts;
using Fees.Testing;

namespace Fees.Api.Tests.Accounts;

/// <summary>
/// Parallel sign-ins for one user: a success never rewrites the row under a row version (no 500s), and a failure is
/// counted by one atomic statement (none lost).
/// </summary>
public sealed class ParallelSignInTests(EmptyFeesApp app) : IClassFixture<EmptyFeesApp>
{
    [Fact]
    public async Task TwentyParallelRightPasswords_Answer200TwentyTimes_ForOneUser()
    {
        await app.CreateUser("busy.admin", "busy-admin-pass", role: "admin");

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => app.TryToken("busy.admin", "busy-admin-pass")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(20, (await Task.WhenAll(responses.Select(r => r.Content.ReadAsStringAsync()))).Distinct().Count());
        Assert.Equal(new Accounts.StoredState(false, 0, 0, null), await app.State("busy.admin"));
    }

    [Fact]
    public async Task TwentyParallelWrongPasswords_AreEachCounted()
    {
        // Below the threshold no lockout can stop a check, so every parallel failure must be in the count.
        await app.CreateUser("guessed.admin", "guessed-admin-pass", role: "admin");
        var below = await Task.WhenAll(Enumerable.Range(0, SignInLockout.Threshold - 1).Select(i => app.TryToken("guessed.admin", $"wrong-{i}")));
        Assert.All(below, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal(new Accounts.StoredState(false, SignInLockout.Threshold - 1, 0, null), await app.State("guessed.admin"));

        // Twenty at once from zero: every password that was checked is counted; the 10th failure starts the lockout,
        // after which attempts are refused without a check, so no more than the twenty are counted and at least ten.
        await app.CreateUser("guessed.twice", "guessed-twice-pass", role: "admin");
        var burst = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => app.TryToken("guessed.twice", $"wrong-{i}")));
        Assert.All(burst, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        var state = await app.State("guessed.twice");
        Assert.InRange(state.FailedAttempts, SignInLockout.Threshold, 20);
        Assert.Equal(state.FailedAttempts / SignInLockout.Threshold, state.Lockouts);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.TryToken("guessed.twice", "guessed-twice-pass")).StatusCode);
    }
}
