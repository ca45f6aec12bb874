using System.Text.Json;

namespace Fees.Api.Audit;

/// <summary>
/// One action on a record: who (and in which role), what, on which target, the state before and after, when,
/// and the request that did it. Append-only: the database refuses UPDATE, DELETE and TRUNCATE on this table.
/// </summary>
public sealed class AuditRecord
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public required string Actor { get; set; }
    public required string ActorRole { get; set; }
    public required string Action { get; set; }
    public required string TargetType { get; set; }
    public required string TargetId { get; set; }
    public JsonDocument? Before { get; set; }
    public JsonDocument? After { get; set; }
    public string? RequestId { get; set; }
    /// <summary>Path of the organization the record concerns (<c>/TW/HN/…/</c>), so auditors see only their subtree.</summary>
    public string? OrgPath { get; set; }
}
