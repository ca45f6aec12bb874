using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Accounts;
using Fees.Testing;

namespace Fees.Api.Tests.Accounts;

/// <summary><c>POST /api/users/{username}/password</c>: an admin sets a new password; the user's sessions end; audited.</summary>
public sealed class PasswordResetTests(EmptyFeesApp app) : IClassFixture<EmptyFeesApp>
{
    [Fact]
    public async Task ResetPassword_Answers204_EndsSessions_AndOnlyTheNewPasswordWorks()
    {
        await app.CreateUser("reset.me", "old-password-1", role: "admin");
        var before = await app.ClientFor("reset.me", "old-password-1");
        for (int i = 0; i < SignInLockout.Threshold; i++)
        {
            await app.TryToken("reset.me", "wrong-password");
        }
        var admin = await app.Admin();

        var response = await admin.PostAsJsonAsync("/api/users/reset.me/password", new { password = "new-password-1" });

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await before.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.TryToken("reset.me", "old-password-1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.TryToken("reset.me", "new-password-1")).StatusCode); // the lockout ended too

        var records = await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?targetType=user&targetId=reset.me&action=user.password_reset");
        var record = Assert.Single(records!);
        Assert.Equal("admin", record.GetProperty("actor").GetString());
        Assert.Equal(1, record.GetProperty("after").GetProperty("sessionsEnded").GetInt32());
        Assert.DoesNotContain("new-password-1", record.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("AQAAAA", record.ToString(), StringComparison.Ordinal); // no hash either
    }

    [Fact]
    public async Task ResetPassword_RefusesAWeakPassword_AnUnknownUser_AndNonAdmins()
    {
        await app.CreateUser("reset.rules", "rules-password-1", role: "admin");
        var admin = await app.Admin();

        var weak = await admin.PostAsJsonAsync("/api/users/reset.rules/password", new { password = "short" });
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        Assert.True((await weak.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("password", out _));
        var huge = await admin.PostAsJsonAsync("/api/users/reset.rules/password", new { password = new string('x', 10_000) });
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.PostAsJsonAsync("/api/users/nobody.here/password", new { password = "long-enough-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().PostAsJsonAsync("/api/users/reset.rules/password", new { password = "long-enough-1" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.TryToken("reset.rules", "rules-password-1")).StatusCode);
    }

    [Fact]
    public async Task TwentyConcurrentResets_Answer204_AndLeaveOneWorkingPassword()
    {
        await app.CreateUser("reset.race", "race-password-0", role: "admin");
        var admin = await app.Admin();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            admin.PostAsJsonAsync("/api/users/reset.race/password", new { password = "race-password-1" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        Assert.Equal(HttpStatusCode.OK, (await app.TryToken("reset.race", "race-password-1")).StatusCode);
    }
}
