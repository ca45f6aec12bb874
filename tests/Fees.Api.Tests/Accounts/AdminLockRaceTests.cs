using System.Net;
using Fees.Testing;

namespace Fees.Api.Tests.Accounts;

/// <summary>Admins locking each other at the same moment: the rule "never the last unlocked admin" holds under the race.</summary>
public sealed class AdminLockRaceTests(EmptyFeesApp app) : IClassFixture<EmptyFeesApp>
{
    [Fact]
    public async Task AdminsLockingEachOtherAtOnce_LeaveAnUnlockedAdmin()
    {
        // Five admins, the built-in one locked first so that they are the only unlocked admins, each locking the four
        // others: twenty requests at once. Some succeed, the rest are refused (409 last_admin when the request was
        // under way as its caller got locked, 401 once the caller's own session has ended); never a 500, and never
        // all five locked.
        string[] names = ["race.a", "race.b", "race.c", "race.d", "race.e"];
        foreach (string n in names)
        {
            await app.CreateUser(n, n + "-password", role: "admin");
        }
        var clients = new Dictionary<string, HttpClient>();
        foreach (string n in names)
        {
            clients[n] = await app.ClientFor(n, n + "-password");
        }
        Assert.Equal(HttpStatusCode.NoContent, (await clients["race.a"].PostAsync("/api/users/admin/lock", null)).StatusCode);
        try
        {
            var calls = from caller in names from target in names where caller != target select clients[caller].PostAsync($"/api/users/{target}/lock", null);
            var responses = await Task.WhenAll(calls);

            Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.NoContent, HttpStatusCode.Conflict, HttpStatusCode.Unauthorized }));
            Assert.Contains(responses, r => r.StatusCode == HttpStatusCode.NoContent);
            var unlocked = new List<string>();
            foreach (string n in names)
            {
                if (!(await app.State(n)).Locked)
                {
                    unlocked.Add(n);
                }
            }
            Assert.NotEmpty(unlocked);
        }
        finally
        {
            foreach (string n in names)
            {
                await clients[n].PostAsync("/api/users/admin/unlock", null); // the one left unlocked can
            }
        }
        Assert.False((await app.State("admin")).Locked);
    }
}
