using System.Globalization;
using System.Security.Claims;
using Fees.Domain.Accounts;

namespace Fees.Api.Security;

/// <summary>The <see cref="Actor"/> behind a request, carried as claims by the session scheme.</summary>
public static class ActorClaims
{
    public const string UserId = "fees:user_id";
    public const string OrgId = "fees:org_id";
    public const string ScopePath = "fees:scope_path";
    public const string MemberId = "fees:member_id";

    public static ClaimsPrincipal ToPrincipal(this Actor actor, string scheme)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var claims = new List<Claim>
        {
            new(ClaimTypes.Name, actor.Username),
            new(ClaimTypes.Role, actor.Role.ToCode()),
            new(UserId, actor.UserId.ToString(CultureInfo.InvariantCulture)),
        };
        if (actor.OrgId is { } orgId)
        {
            claims.Add(new(OrgId, orgId.ToString(CultureInfo.InvariantCulture)));
        }
        if (actor.ScopePath is not null)
        {
            claims.Add(new(ScopePath, actor.ScopePath));
        }
        if (actor.MemberId is { } memberId)
        {
            claims.Add(new(MemberId, memberId.ToString(CultureInfo.InvariantCulture)));
        }
        return new ClaimsPrincipal(new ClaimsIdentity(claims, scheme));
    }

    /// <summary>The actor of an authenticated principal, or null for an anonymous one.</summary>
    public static Actor? ToActor(this ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }
        string? id = principal.FindFirstValue(UserId);
        if (id is null || !RoleCodes.TryParse(principal.FindFirstValue(ClaimTypes.Role), out var role))
        {
            return null;
        }
        return new Actor(long.Parse(id, CultureInfo.InvariantCulture), principal.Identity.Name ?? "", role,
            ParseLong(principal.FindFirstValue(OrgId)), principal.FindFirstValue(ScopePath), ParseLong(principal.FindFirstValue(MemberId)));
    }

    /// <summary>
    /// The signed-in actor, for endpoints and pages (which are never reached unauthenticated: the fallback policy).
    /// Registered as a scoped service, so an endpoint simply takes an <see cref="Actor"/> parameter.
    /// </summary>
    public static Actor Current(IHttpContextAccessor http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.HttpContext?.User.ToActor() ?? throw new InvalidOperationException("No signed-in actor: the endpoint must require authorization.");
    }

    private static long? ParseLong(string? s) => s is null ? null : long.Parse(s, CultureInfo.InvariantCulture);
}
