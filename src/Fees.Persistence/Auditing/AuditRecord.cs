using System.Text.Json;

namespace Fees.Persistence.Auditing;

/// <summary>
/// One action on a record: who (and in which role), what, on which target, the state before and after, when,
/// and the request that did it. Append-only: the database refuses UPDATE, DELETE and TRUNCATE on this table.
/// Written only by <see cref="AuditWriter"/>.
/// </summary>
public sealed class AuditRecord
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    public required string Actor { get; init; }
    public required string ActorRole { get; init; }
    public required string Action { get; init; }
    public required string TargetType { get; init; }
    public required string TargetId { get; init; }
    public JsonDocument? Before { get; init; }
    public JsonDocument? After { get; init; }
    public string? RequestId { get; init; }
    /// <summary>Path of the organization the record concerns (<c>/TW/HN/…/</c>), so auditors see only their subtree.</summary>
    public string? OrgPath { get; init; }
}
