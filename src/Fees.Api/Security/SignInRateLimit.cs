using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Fees.Api.Hosting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Fees.Api.Security;

/// <summary>
/// How many sign-ins one client address may try (section <c>Fees:SignInRateLimit</c>): a token bucket of
/// <see cref="Burst"/> attempts, refilled by <see cref="PerMinute"/> a minute. The per-account lockout stops guessing
/// one account's password; this stops one address from trying a common password on many accounts.
/// </summary>
public sealed class SignInRateLimitOptions
{
    public const string Section = "Fees:SignInRateLimit";

    /// <summary>Attempts one address may make at once (a bucket's size). Default 30.</summary>
    [Range(1, 1_000_000)]
    public int Burst { get; set; } = 30;

    /// <summary>Attempts given back per minute, one at a time (30: one every 2 seconds).</summary>
    [Range(1, 60_000)]
    public int PerMinute { get; set; } = 30;
}

/// <summary>
/// The sign-in rate limit (ASP.NET Core's rate limiter): <c>POST /api/auth/token</c> and the sign-in page's POST,
/// partitioned by the client's address (an IPv6 client by its /64, which one household or host usually holds).
/// Refused attempts get 429 with <c>Retry-After</c>: problem details in Vietnamese for the API, a short Vietnamese
/// page for the sign-in form. Behind a reverse proxy, the proxy must forward the client's address (forwarded headers),
/// or every client shares one bucket.
/// </summary>
public static class SignInRateLimit
{
    /// <summary>The policy name endpoints and pages name (<c>RequireRateLimiting</c>, <c>[EnableRateLimiting]</c>).</summary>
    public const string Policy = "sign-in";

    public static IServiceCollection AddSignInRateLimit(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SignInRateLimitOptions>()
            .Bind(configuration.GetSection(SignInRateLimitOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy(Policy, Partition);
            o.OnRejected = Reject;
        });
    }

    private static RateLimitPartition<string> Partition(HttpContext http)
    {
        // Showing the sign-in page costs nothing; only attempts (POST) are counted.
        if (!HttpMethods.IsPost(http.Request.Method))
        {
            return RateLimitPartition.GetNoLimiter("read");
        }
        var limits = http.RequestServices.GetRequiredService<IOptions<SignInRateLimitOptions>>().Value;
        return RateLimitPartition.GetTokenBucketLimiter(ClientKey(http.Connection.RemoteIpAddress), _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = limits.Burst,
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / limits.PerMinute,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The bucket of an address: IPv4 (also IPv4-mapped IPv6) as itself, IPv6 by its /64 prefix.</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        byte[] bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    private static async ValueTask Reject(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        int seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter)
            ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds))
            : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        string title = $"Có quá nhiều lần đăng nhập từ địa chỉ này. Vui lòng thử lại sau {seconds} giây.";
        if (http.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal))
        {
            await Problems.Of(StatusCodes.Status429TooManyRequests, "too_many_requests", title,
                extensions: new Dictionary<string, object?> { ["retryAfterSeconds"] = seconds }).ExecuteAsync(http);
            return;
        }
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(
            "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Thử lại sau</title><link rel=\"stylesheet\" href=\"/css/site.css\"></head>" +
            $"<body><main><section class=\"card narrow\"><h1>Thử lại sau</h1><p class=\"error\" role=\"alert\">{title}</p>" +
            "<p><a href=\"/dang-nhap\">Về trang đăng nhập</a></p></section></main></body></html>", ct);
    }
}
