using System.Net;
using Fees.Domain.Accounts;
using Fees.Persistence.AccessTrace;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Fees.Api.Security;

/// <summary>
/// Endpoint metadata: reading this endpoint is traced as <see cref="Action"/> on the member or organization named by the
/// route value <see cref="TargetRouteValue"/> (or the signed-in member's own record, or the actor's scope).
/// </summary>
public sealed record TracesAccessMetadata(string Action, string? TargetRouteValue, AccessTargetKind TargetKind)
{
    /// <summary>The target of this request.</summary>
    public AccessTarget TargetOf(HttpContext http, Actor? actor)
    {
        ArgumentNullException.ThrowIfNull(http);
        string? key = TargetRouteValue is null ? null : http.Request.RouteValues[TargetRouteValue]?.ToString();
        return TargetKind switch
        {
            AccessTargetKind.Member when key is not null => AccessTarget.Member(key),
            AccessTargetKind.Org when key is not null => AccessTarget.Org(key),
            AccessTargetKind.MemberId when actor?.MemberId is { } own => AccessTarget.OwnMember(own),
            _ => AccessTarget.Nothing,
        };
    }
}

/// <summary>How endpoints and pages ask for their reads to be traced.</summary>
public static class AccessTracing
{
    /// <summary>
    /// Traces every request to this endpoint that passes authorization: who, <paramref name="action"/>, the target named by
    /// the route value <paramref name="targetRouteValue"/> (a member number, or an org code with
    /// <see cref="AccessTargetKind.Org"/>), when, from where, the request id and the status answered. With no route value,
    /// <see cref="AccessTargetKind.MemberId"/> is the signed-in member's own record and <see cref="AccessTargetKind.None"/>
    /// the actor's scope (a search). The request only queues the record.
    /// </summary>
    public static TBuilder TracesAccess<TBuilder>(this TBuilder builder, string action, string? targetRouteValue = null,
        AccessTargetKind targetKind = AccessTargetKind.Member)
        where TBuilder : IEndpointConventionBuilder
    {
        ArgumentNullException.ThrowIfNull(builder);
        var metadata = Describe(action, targetRouteValue, targetKind);
        builder.WithMetadata(metadata);
        builder.AddEndpointFilter(async (context, next) =>
        {
            await Record(context.HttpContext, metadata);
            return await next(context);
        });
        return builder;
    }

    internal static TracesAccessMetadata Describe(string action, string? targetRouteValue, AccessTargetKind targetKind)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(action);
        if (targetKind is AccessTargetKind.Member or AccessTargetKind.Org && targetRouteValue is null)
        {
            throw new ArgumentException($"A {targetKind} target is named by a route value.", nameof(targetRouteValue));
        }
        if (targetKind is AccessTargetKind.User)
        {
            throw new ArgumentException("Users are traced by their sign-ins, not by endpoint metadata.", nameof(targetKind));
        }
        return new TracesAccessMetadata(action, targetRouteValue, targetKind);
    }

    internal static ValueTask Record(HttpContext http, TracesAccessMetadata metadata)
    {
        var recorder = http.RequestServices.GetRequiredService<IAccessRecorder>();
        return recorder.Record(metadata.Action, metadata.TargetOf(http, http.User.ToActor()));
    }
}

/// <summary>
/// A Razor page whose reads are traced, like <see cref="AccessTracing.TracesAccess{TBuilder}"/> for endpoints: recorded
/// when a handler runs (after authorization), completed with the status the page answers.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class TracesAccessAttribute : Attribute, IAsyncPageFilter
{
    public TracesAccessAttribute(string action, AccessTargetKind targetKind = AccessTargetKind.MemberId, string? targetRouteValue = null) =>
        Metadata = AccessTracing.Describe(action, targetRouteValue, targetKind);

    public TracesAccessMetadata Metadata { get; }

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        await AccessTracing.Record(context.HttpContext, Metadata);
        await next();
    }
}

/// <summary>
/// The service's recorder: a record made during a request carries the request's id and client address, and is queued
/// once the status is known: just before the response starts (so a client that has its answer finds the record queued),
/// or, if it never starts, when the request ends. An anonymous request records nothing but sign-ins.
/// </summary>
internal sealed class HttpAccessRecorder(IHttpContextAccessor accessor, IAccessTrace trace, TimeProvider clock) : IAccessRecorder
{
    public ValueTask Record(string action, AccessTarget target)
    {
        var http = accessor.HttpContext;
        if (http?.User.ToActor() is not { } actor)
        {
            return ValueTask.CompletedTask;
        }
        // A search belongs to the actor's own scope, so that the auditors of that subtree see it.
        string? scope = target.Kind == AccessTargetKind.None ? actor.ScopePath : null;
        return Queue(http, new AccessRecord(clock.GetUtcNow(), actor.Username, actor.Role.ToCode(), action, target, scope,
            Client(http), http.TraceIdentifier, null));
    }

    public ValueTask RecordSignIn(string action, string username, Role? role)
    {
        var record = new AccessRecord(clock.GetUtcNow(), username, role?.ToCode(), action, AccessTarget.User(username), null, null, null, null);
        var http = accessor.HttpContext;
        return http is null ? trace.Enqueue(record) : Queue(http, record with { ClientAddress = Client(http), RequestId = http.TraceIdentifier });
    }

    private ValueTask Queue(HttpContext http, AccessRecord record)
    {
        var pending = new PendingRecord(trace, record, http.Response);
        if (!http.Response.HasStarted)
        {
            http.Response.OnStarting(pending.Queue);
        }
        http.Response.OnCompleted(pending.Queue);
        return ValueTask.CompletedTask;
    }

    private static IPAddress? Client(HttpContext http) => http.Connection.RemoteIpAddress;

    /// <summary>A record waiting for its status; queued once, by whichever callback comes first.</summary>
    private sealed class PendingRecord(IAccessTrace trace, AccessRecord record, HttpResponse response)
    {
        private int _queued;

        public Task Queue()
        {
            if (Interlocked.Exchange(ref _queued, 1) != 0)
            {
                return Task.CompletedTask;
            }
            var queued = trace.Enqueue(record with { Status = response.StatusCode });
            return queued.IsCompletedSuccessfully ? Task.CompletedTask : queued.AsTask();
        }
    }
}
