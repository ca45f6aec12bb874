using Fees.Domain.Accounts;

namespace Fees.Persistence.AccessTrace;

/// <summary>
/// Records accesses as they happen. In the service, a record made during a request is completed with that request's id,
/// client address and the HTTP status it answers, then queued (the API's implementation); elsewhere it is queued at once.
/// Either way the caller never waits for the database: records are written in batches by <see cref="AccessTraceWriter"/>.
/// </summary>
public interface IAccessRecorder
{
    /// <summary>The signed-in actor accessed <paramref name="target"/>.</summary>
    ValueTask Record(string action, AccessTarget target);

    /// <summary>A sign-in attempt as <paramref name="username"/> (whatever was typed), with the account's role when it exists.</summary>
    ValueTask RecordSignIn(string action, string username, Role? role);
}

/// <summary>Outside a request (jobs, tools): the record is queued at once, as the service itself, with no status.</summary>
public sealed class UnattendedAccessRecorder(IAccessTrace trace, TimeProvider clock) : IAccessRecorder
{
    public ValueTask Record(string action, AccessTarget target) =>
        trace.Enqueue(new AccessRecord(clock.GetUtcNow(), Actor.System.Username, Actor.System.Role.ToCode(), action, target, null, null, null, null));

    public ValueTask RecordSignIn(string action, string username, Role? role) =>
        trace.Enqueue(new AccessRecord(clock.GetUtcNow(), username, role?.ToCode(), action, AccessTarget.User(username), null, null, null, null));
}
