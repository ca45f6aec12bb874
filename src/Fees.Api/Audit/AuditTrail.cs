using System.Text.Json;
using Fees.Api.Accounts;
using Fees.Api.Database;

namespace Fees.Api.Audit;

/// <summary>
/// Writes audit records into the same DbContext as the change they describe, so they commit (or roll back)
/// in the same transaction. Set-based changes (imports) write theirs with SQL inside their own transaction.
/// </summary>
public sealed class AuditTrail(FeesDbContext db, TimeProvider clock, IHttpContextAccessor http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public void Record(CurrentUser actor, string action, string targetType, string targetId, object? before, object? after, string? orgPath)
    {
        db.AuditLog.Add(new AuditRecord
        {
            At = clock.GetUtcNow(),
            Actor = actor.Username,
            ActorRole = RoleCodes.ToCode(actor.Role),
            Action = action,
            TargetType = targetType,
            TargetId = targetId,
            Before = before is null ? null : JsonSerializer.SerializeToDocument(before, Json),
            After = after is null ? null : JsonSerializer.SerializeToDocument(after, Json),
            RequestId = RequestId,
            OrgPath = orgPath,
        });
    }

    public string? RequestId => http.HttpContext?.TraceIdentifier;
}
