using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Api.Security;
using Fees.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Accounts;

/// <summary>
/// The service with a low sign-in limit (3 attempts per address, then one a minute), where a test names the client's
/// address in <see cref="AddressHeader"/> (the test server has no real connection to take it from).
/// </summary>
public sealed class LowSignInLimitApp : EmptyFeesApp
{
    public const string AddressHeader = "X-Test-Client-Address";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.UseSetting("Fees:SignInRateLimit:Burst", "3");
        builder.UseSetting("Fees:SignInRateLimit:PerMinute", "1");
        builder.ConfigureTestServices(s => s.AddSingleton<IStartupFilter, ClientAddressFromHeader>());
    }

    public HttpClient From(string address)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Add(AddressHeader, address);
        return client;
    }

    private sealed class ClientAddressFromHeader : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((ctx, proceed) =>
            {
                if (ctx.Request.Headers.TryGetValue(AddressHeader, out var value))
                {
                    ctx.Connection.RemoteIpAddress = IPAddress.Parse(value.ToString());
                }
                return proceed(ctx);
            });
            next(app);
        };
    }
}

/// <summary>Sign-in attempts are limited per client address, on the API and on the sign-in page.</summary>
public sealed class SignInRateLimitTests(LowSignInLimitApp app) : IClassFixture<LowSignInLimitApp>
{
    private static Task<HttpResponseMessage> Token(HttpClient client) =>
        client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = "wrong-password" });

    [Fact]
    public async Task SignIn_Answers429WithRetryAfter_PastTheLimitPerAddress()
    {
        var client = app.From("203.0.113.7");
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await Token(client)).StatusCode);
        }

        var limited = await Token(client);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        int retryAfter = int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        var problem = await limited.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("too_many_requests", problem.GetProperty("code").GetString());
        Assert.Equal(retryAfter, problem.GetProperty("retryAfterSeconds").GetInt32());
        Assert.Equal($"Có quá nhiều lần đăng nhập từ địa chỉ này. Vui lòng thử lại sau {retryAfter} giây.", problem.GetProperty("title").GetString());

        // Another address has its own allowance; the right password is no way around the limit.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Token(app.From("203.0.113.8"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests,
            (await client.PostAsJsonAsync("/api/auth/token", new { username = "admin", password = FeesApp.AdminPassword })).StatusCode);
    }

    [Fact]
    public async Task SignIn_CountsAnIPv6ClientByItsSlash64()
    {
        for (int i = 0; i < 3; i++)
        {
            await Token(app.From($"2001:db8:1:2::{i + 1}"));
        }
        Assert.Equal(HttpStatusCode.TooManyRequests, (await Token(app.From("2001:db8:1:2:ffff::9"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Token(app.From("2001:db8:1:3::1"))).StatusCode);
    }

    [Fact]
    public async Task SignInPage_LimitsAttempts_ButNotTheForm()
    {
        var client = app.From("198.51.100.20");
        string form = "";
        for (int i = 0; i < 5; i++)
        {
            form = await client.GetStringAsync("/dang-nhap");
        }
        string token = SameAnswerTests.AntiforgeryToken(form);
        FormUrlEncodedContent Attempt() => new(new Dictionary<string, string>
        {
            ["username"] = "admin", ["password"] = "wrong-password", ["__RequestVerificationToken"] = token,
        });
        for (int i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.PostAsync("/dang-nhap", Attempt())).StatusCode);
        }

        var limited = await client.PostAsync("/dang-nhap", Attempt());

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.Contains("Retry-After"));
        Assert.Contains("Có quá nhiều lần đăng nhập từ địa chỉ này", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/dang-nhap")).StatusCode);
    }

    [Theory]
    [InlineData("203.0.113.7", "203.0.113.7")]
    [InlineData("::ffff:203.0.113.7", "203.0.113.7")]
    [InlineData("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64")]
    [InlineData("::1", "::/64")]
    public void ClientKey_IsTheIPv4AddressOrTheIPv6Slash64(string address, string key)
    {
        Assert.Equal(key, SignInRateLimit.ClientKey(IPAddress.Parse(address)));
    }
}
