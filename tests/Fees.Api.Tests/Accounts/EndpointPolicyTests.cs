using Fees.Api.Security;
using Fees.Testing;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Accounts;

/// <summary>
/// Every endpoint says who may call it: anonymous on purpose, or a named policy. The fallback policy (a signed-in
/// user) catches anything that forgets, but forgetting is still a bug. Razor pages are covered by the folder
/// convention (every page requires sign-in unless allowed anonymously) and their own [Authorize] policies.
/// </summary>
public sealed class EndpointPolicyTests(EmptyFeesApp app) : IClassFixture<EmptyFeesApp>
{
    private IReadOnlyList<RouteEndpoint> Endpoints() =>
        app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<PageActionDescriptor>() is null && e.Metadata.GetMetadata<CompiledPageActionDescriptor>() is null)
            .ToList();

    [Fact]
    public async Task EveryEndpoint_IsAnonymousOrNamesAPolicyThatExists()
    {
        var policies = app.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var endpoints = Endpoints();
        Assert.Contains(endpoints, e => e.RoutePattern.RawText == "/api/users/{username}/password");

        var unnamed = new List<string>();
        foreach (var e in endpoints)
        {
            if (e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            {
                continue;
            }
            var named = e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).Where(p => !string.IsNullOrEmpty(p)).ToList();
            if (named.Count == 0)
            {
                unnamed.Add($"{e.DisplayName} ({e.RoutePattern.RawText})");
            }
            foreach (string? policy in named)
            {
                Assert.NotNull(await policies.GetPolicyAsync(policy!));
            }
        }
        Assert.True(unnamed.Count == 0, "Endpoints without a named policy or AllowAnonymous:\n" + string.Join("\n", unnamed));
    }

    [Fact]
    public void AnonymousEndpoints_AreExactlyTheOnesThatMustBe()
    {
        var anonymous = Endpoints().Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is not null)
            .Select(e => e.RoutePattern.RawText!)
            .Where(p => p.StartsWith("/api/", StringComparison.Ordinal))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        // Sign-in, the bank feeds (authenticated by their signatures), and the public check of a receipt's signature
        // (anyone holding a printed receipt may verify it): nothing else under /api.
        Assert.All(anonymous, p => Assert.True(p == "/api/auth/token" || p.StartsWith("/api/bank/", StringComparison.Ordinal)
            || p.StartsWith("/api/receipts/verify/", StringComparison.Ordinal), p));
    }

    [Fact]
    public async Task FallbackPolicy_RequiresASignedInUser()
    {
        var policies = app.Services.GetRequiredService<IAuthorizationPolicyProvider>();
        var fallback = await policies.GetFallbackPolicyAsync();
        Assert.NotNull(fallback);
        Assert.IsType<DenyAnonymousAuthorizationRequirement>(Assert.Single(fallback.Requirements));
        Assert.Same(fallback, await policies.GetPolicyAsync(Policies.SignedIn));
    }
}
