using System.Net;
using System.Text.Json.Nodes;
using Fees.Domain.Accounts;
using Fees.Persistence.Accounts;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Accounts;

/// <summary>
/// A refused sign-in never tells why: unknown user, wrong password, an admin's lock and a lockout get the same status
/// and body, and cost the same work (the dummy hash has the configured cost; the timings are measured, not tested).
/// </summary>
public sealed class SameAnswerTests(FeesApp app) : IClassFixture<FeesApp>
{
    private static async Task<(HttpStatusCode Status, string Body)> Answer(HttpResponseMessage response)
    {
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        body.Remove("traceId"); // per request by nature
        return (response.StatusCode, body.ToJsonString());
    }

    [Fact]
    public async Task UnknownUserWrongPasswordLockedAndLockedOut_GetTheSameAnswer()
    {
        await app.CreateUser("same.wrong", "same-wrong-right");
        await app.CreateUser("same.locked", "same-locked-right");
        await app.CreateUser("same.lockedout", "same-lockedout-right");
        var admin = await app.Admin();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/users/same.locked/lock", null)).StatusCode);
        for (int i = 0; i < SignInLockout.Threshold; i++)
        {
            await app.TryToken("same.lockedout", "wrong-password");
        }

        var unknown = await Answer(await app.TryToken("nobody.here", "some-password"));
        var wrong = await Answer(await app.TryToken("same.wrong", "wrong-password"));
        var locked = await Answer(await app.TryToken("same.locked", "same-locked-right"));
        var lockedOut = await Answer(await app.TryToken("same.lockedout", "same-lockedout-right"));

        Assert.Equal(HttpStatusCode.Unauthorized, unknown.Status);
        Assert.Contains("\"code\":\"invalid_credentials\"", unknown.Body, StringComparison.Ordinal);
        Assert.Equal(unknown, wrong);
        Assert.Equal(unknown, locked);
        Assert.Equal(unknown, lockedOut);
    }

    [Fact]
    public async Task SignInPage_ShowsTheSameWords_ForUnknownWrongLockedAndLockedOut()
    {
        await app.CreateUser("page.locked", "page-locked-right");
        var admin = await app.Admin();
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PostAsync("/api/users/page.locked/lock", null)).StatusCode);

        async Task<string> ErrorShown(string username, string password)
        {
            var client = app.CreateClient();
            var form = await client.GetStringAsync("/dang-nhap");
            string token = AntiforgeryToken(form);
            var response = await client.PostAsync("/dang-nhap", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["username"] = username, ["password"] = password, ["__RequestVerificationToken"] = token,
            }));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            string html = await response.Content.ReadAsStringAsync();
            int start = html.IndexOf("role=\"alert\">", StringComparison.Ordinal) + "role=\"alert\">".Length;
            return html[start..html.IndexOf("</p>", start, StringComparison.Ordinal)];
        }

        string unknown = await ErrorShown("nobody.here", "some-password");
        Assert.Equal("Tên đăng nhập hoặc mật khẩu không đúng.", unknown);
        Assert.Equal(unknown, await ErrorShown("thuquy", "wrong-password"));
        Assert.Equal(unknown, await ErrorShown("page.locked", "page-locked-right"));
    }

    [Fact]
    public async Task DummyHash_IsMadeWithTheConfiguredIterations()
    {
        const int configured = 10_000; // FeesApp's Fees:PasswordIterations
        var hashing = app.Services.GetRequiredService<PasswordHashing>();
        Assert.Equal(configured, PasswordHashing.IterationsOf(hashing.DummyHash));

        // The same cost as every real password: a user created now has a hash of the same iterations.
        await app.CreateUser("same.cost", "same-cost-pass");
        string stored = await app.WithScopeAsync(s => s.GetRequiredService<Fees.Persistence.FeesDbContext>().Users
            .Where(u => u.Username == "same.cost").Select(u => u.PasswordHash).SingleAsync());
        Assert.Equal(configured, PasswordHashing.IterationsOf(stored));
        Assert.Equal(stored.Length, hashing.DummyHash.Length);
    }

    internal static string AntiforgeryToken(string html)
    {
        const string marker = "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"";
        int start = html.IndexOf(marker, StringComparison.Ordinal);
        Assert.True(start >= 0, "no antiforgery token in the form");
        start += marker.Length;
        return html[start..html.IndexOf('"', start)];
    }
}
