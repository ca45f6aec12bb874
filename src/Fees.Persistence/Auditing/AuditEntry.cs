using System.Text.Json;

namespace Fees.Persistence.Auditing;

/// <summary>
/// What an audit record says about one change, before the writer adds who, when and which request:
/// <c>member.move</c> on <c>member 0175365500</c>, the state before and after as JSON, and the organization path it concerns.
/// </summary>
public sealed record AuditEntry(string Action, string TargetType, string TargetId, string? BeforeJson, string? AfterJson, string? OrgPath)
{
    /// <summary>camelCase JSON, as the API writes.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>An entry whose before/after states are serialized from objects (null stays null).</summary>
    public static AuditEntry Of(string action, string targetType, string targetId, object? before, object? after, string? orgPath) =>
        new(action, targetType, targetId,
            before is null ? null : JsonSerializer.Serialize(before, Json),
            after is null ? null : JsonSerializer.Serialize(after, Json),
            orgPath);
}

/// <summary>What the current request is, for the records it leaves (null outside a request: jobs, seeding).</summary>
public interface IRequestContext
{
    /// <summary>The request's id (ASP.NET Core's trace identifier), shown in problem details and logs.</summary>
    string? RequestId { get; }

    /// <summary>Where the request came from (the client's IP address), for the access trace.</summary>
    string? ClientAddress { get; }
}

/// <summary>No request: jobs and start-up work.</summary>
public sealed class NoRequest : IRequestContext
{
    public static NoRequest Instance { get; } = new();

    public string? RequestId => null;

    public string? ClientAddress => null;
}
