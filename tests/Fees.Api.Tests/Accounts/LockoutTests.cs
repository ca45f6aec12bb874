using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Accounts;
using Fees.Testing;

namespace Fees.Api.Tests.Accounts;

/// <summary>
/// Wrong passwords lock an account out for a while, longer each time, never for good; only an admin's lock lasts until
/// an admin unlocks. The database keeps exactly the domain's count (<see cref="UserAccount"/>).
/// </summary>
public sealed class LockoutTests(FeesApp app) : IClassFixture<FeesApp>
{
    private async Task WrongPasswords(string username, int count)
    {
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await app.TryToken(username, $"wrong-{i}")).StatusCode);
        }
    }

    [Fact]
    public async Task TenWrongPasswords_LockOutForFifteenMinutes_ThenThirty_NeverForGood()
    {
        await app.CreateUser("lockout.target", "lockout-right-1");
        var model = UserAccount.Create("lockout.target", Role.Auditor, 1, null, app.Clock.GetUtcNow());

        await WrongPasswords("lockout.target", SignInLockout.Threshold);
        for (int i = 0; i < SignInLockout.Threshold; i++)
        {
            model.RecordFailedSignIn(app.Clock.GetUtcNow());
        }
        var first = await app.State("lockout.target");
        Assert.Equal(new Accounts.StoredState(false, model.FailedAttempts, model.Lockouts, model.LockedOutUntil), first);
        Assert.Equal(app.Clock.GetUtcNow() + TimeSpan.FromMinutes(15), first.LockedOutUntil);

        // Locked out: even the right password is refused, and the attempt is not counted.
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.TryToken("lockout.target", "lockout-right-1")).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.TryToken("lockout.target", "lockout-right-1")).StatusCode);
        Assert.Equal(first, await app.State("lockout.target"));

        // The lockout ends by itself; ten more failures earn the next one, twice as long.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await WrongPasswords("lockout.target", SignInLockout.Threshold);
        for (int i = 0; i < SignInLockout.Threshold; i++)
        {
            model.RecordFailedSignIn(app.Clock.GetUtcNow());
        }
        var second = await app.State("lockout.target");
        Assert.Equal(new Accounts.StoredState(false, model.FailedAttempts, model.Lockouts, model.LockedOutUntil), second);
        Assert.Equal(app.Clock.GetUtcNow() + TimeSpan.FromMinutes(30), second.LockedOutUntil);
        app.Clock.Advance(TimeSpan.FromMinutes(29));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.TryToken("lockout.target", "lockout-right-1")).StatusCode);
        app.Clock.Advance(TimeSpan.FromMinutes(1));

        // The owner is back in, and the schedule starts again.
        Assert.Equal(HttpStatusCode.OK, (await app.TryToken("lockout.target", "lockout-right-1")).StatusCode);
        Assert.Equal(new Accounts.StoredState(false, 0, 0, null), await app.State("lockout.target"));
    }

    [Fact]
    public async Task Lockout_IsAudited_AndShownToTheAdmin_AndEndedByUnlock()
    {
        await app.CreateUser("lockout.shown", "lockout-shown-1");
        await WrongPasswords("lockout.shown", SignInLockout.Threshold);

        var admin = await app.Admin();
        var records = await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?targetType=user&targetId=lockout.shown&action=user.locked_out");
        var record = Assert.Single(records!);
        Assert.Equal("system", record.GetProperty("actor").GetString());
        Assert.Equal(1, record.GetProperty("after").GetProperty("lockouts").GetInt32());

        var list = await admin.GetFromJsonAsync<JsonElement>("/api/users?q=lockout.shown");
        var shown = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.False(shown.GetProperty("locked").GetBoolean());
        Assert.Equal(JsonValueKind.String, shown.GetProperty("lockedOutUntil").ValueKind);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/users/lockout.shown/unlock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.TryToken("lockout.shown", "lockout-shown-1")).StatusCode);
    }

    [Fact]
    public async Task AdminLock_StaysUntilAnAdminUnlocks_WhenLockoutsWouldHaveEnded()
    {
        await app.CreateUser("admin.locked", "admin-locked-1");
        var admin = await app.Admin();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/users/admin.locked/lock", null)).StatusCode);

        app.Clock.Advance(SignInLockout.Longest + TimeSpan.FromMinutes(1));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.TryToken("admin.locked", "admin-locked-1")).StatusCode);
        Assert.True((await app.State("admin.locked")).Locked);

        admin = await app.Admin();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/users/admin.locked/unlock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.TryToken("admin.locked", "admin-locked-1")).StatusCode);
    }

    [Fact]
    public async Task Lockout_KeepsTheOwnersExistingSessions()
    {
        // Guessing at an account must not sign its owner out: only an admin's lock ends sessions.
        await app.CreateUser("lockout.session", "lockout-session-1");
        var owner = await app.ClientFor("lockout.session", "lockout-session-1");
        await WrongPasswords("lockout.session", SignInLockout.Threshold);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync("/api/me")).StatusCode);
    }
}
