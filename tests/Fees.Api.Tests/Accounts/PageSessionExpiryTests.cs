using System.Net;
using Fees.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fees.Api.Tests.Accounts;

/// <summary>
/// The sign-in cookie is a browser-session cookie (no Expires): the session's end is the server's alone. A cookie kept
/// past that end signs nobody in. Its own fixture, because it moves the service's clock.
/// </summary>
public sealed class PageSessionExpiryTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task ACookieKeptPastTheSessionsEnd_SignsNobodyIn()
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        string form = await client.GetStringAsync("/dang-nhap");
        var signIn = await client.PostAsync("/dang-nhap", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = "admin", ["password"] = FeesApp.AdminPassword, ["__RequestVerificationToken"] = SameAnswerTests.AntiforgeryToken(form),
        }));
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        string setCookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), c => c.Contains("HttpOnly", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain("expires=", setCookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/quan-tri/tai-khoan")).StatusCode);

        app.Clock.Advance(TimeSpan.FromHours(8) + TimeSpan.FromMinutes(1));

        var after = await client.GetAsync("/quan-tri/tai-khoan");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/dang-nhap", after.Headers.Location?.OriginalString, StringComparison.Ordinal);
    }
}
