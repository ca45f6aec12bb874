using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Accounts;
using Fees.Persistence.Accounts;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Accounts;

/// <summary>An admin's lock: never on oneself, never on the last unlocked admin, even when admins lock each other at once.</summary>
public sealed class AdminLockTests(EmptyFeesApp app) : IClassFixture<EmptyFeesApp>
{
    private static async Task<string?> Code(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();

    [Fact]
    public async Task Admin_Gets409_WhenLockingThemselves()
    {
        var admin = await app.Admin();
        var response = await admin.PostAsync("/api/users/admin/lock", null);
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("cannot_lock_self", await Code(response));
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Lock_Gets409_ForTheLastUnlockedAdmin()
    {
        // Admin "last.b" locks "last.a"; a request of "last.a" that was already under way (its actor still in hand)
        // then tries to lock "last.b", the only unlocked admin left besides the built-in one, which is locked first.
        await app.CreateUser("last.a", "last-a-password", role: "admin");
        await app.CreateUser("last.b", "last-b-password", role: "admin");
        var b = await app.ClientFor("last.b", "last-b-password");
        var actorA = await app.WithScopeAsync(async s => (await s.GetRequiredService<SignIns>()
            .FindSession(await Token("last.a", "last-a-password"), CancellationToken.None))!);
        Assert.Equal(HttpStatusCode.NoContent, (await b.PostAsync("/api/users/admin/lock", null)).StatusCode);
        try
        {
            Assert.Equal(HttpStatusCode.NoContent, (await b.PostAsync("/api/users/last.a/lock", null)).StatusCode);

            var outcome = await app.WithScopeAsync(s => s.GetRequiredService<Users>().Lock("last.b", actorA, CancellationToken.None));

            Assert.Equal("last_admin", outcome.Refusal?.Code);
            Assert.False((await app.State("last.b")).Locked);
        }
        finally
        {
            Assert.Equal(HttpStatusCode.NoContent, (await b.PostAsync("/api/users/admin/unlock", null)).StatusCode);
        }
    }

    private async Task<string> Token(string username, string password)
    {
        var response = await app.TryToken(username, password);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}
