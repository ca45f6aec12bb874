using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Persistence.Auditing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Audit;

public sealed record AuditView(long Id, DateTimeOffset At, string Actor, string ActorRole, string Action, string TargetType, string TargetId,
    System.Text.Json.JsonElement? Before, System.Text.Json.JsonElement? After, string? RequestId);

public static class AuditEndpoints
{
    public static void MapAudit(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/audit", Read).RequireAuthorization(Policies.Auditors);

    /// <summary>The audit log, newest first. An auditor reads the records about their subtree; an admin reads all.</summary>
    private static async Task<Ok<List<AuditView>>> Read(string? targetType, string? targetId, string? action, DateTimeOffset? from, DateTimeOffset? to, int? limit,
        Actor user, AuditLogReader reader, CancellationToken ct)
    {
        var records = reader.Visible(user, new AuditLogFilter(targetType, targetId, action, from, to));
        int take = Math.Clamp(limit ?? 100, 1, 1000);
        var rows = await records.OrderByDescending(a => a.Id).Take(take).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(a => new AuditView(a.Id, a.At, a.Actor, a.ActorRole, a.Action, a.TargetType, a.TargetId,
            a.Before?.RootElement.Clone(), a.After?.RootElement.Clone(), a.RequestId)).ToList());
    }
}
