using System.Diagnostics.CodeAnalysis;
using Stateless;

namespace Fees.Domain.Members;

/// <summary>Where a <see cref="MemberTransferRequest"/> is in its life. Stored as the lower-case code.</summary>
public enum MemberTransferStatus
{
    /// <summary><c>requested</c>: the sending side asked; the receiving side has not answered. At most one per member.</summary>
    Requested,
    /// <summary><c>accepted</c>: the receiving side accepted; the member was placed there (final).</summary>
    Accepted,
    /// <summary><c>rejected</c>: the receiving side refused, with a reason (final).</summary>
    Rejected,
    /// <summary><c>cancelled</c>: the sending side withdrew the request before an answer (final).</summary>
    Cancelled,
}

public static class MemberTransferStatusCodes
{
    public static string ToCode(this MemberTransferStatus status) => status switch
    {
        MemberTransferStatus.Requested => "requested",
        MemberTransferStatus.Accepted => "accepted",
        MemberTransferStatus.Rejected => "rejected",
        MemberTransferStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToVietnamese(this MemberTransferStatus status) => status switch
    {
        MemberTransferStatus.Requested => "Chờ tiếp nhận",
        MemberTransferStatus.Accepted => "Đã tiếp nhận",
        MemberTransferStatus.Rejected => "Từ chối tiếp nhận",
        MemberTransferStatus.Cancelled => "Đã rút đề nghị",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static bool TryParse([NotNullWhen(true)] string? code, out MemberTransferStatus status)
    {
        (bool ok, status) = code switch
        {
            "requested" => (true, MemberTransferStatus.Requested),
            "accepted" => (true, MemberTransferStatus.Accepted),
            "rejected" => (true, MemberTransferStatus.Rejected),
            "cancelled" => (true, MemberTransferStatus.Cancelled),
            _ => (false, default),
        };
        return ok;
    }
}

/// <summary>
/// A request to move a member officially to an organization outside the sending office's subtree (chuyển sinh hoạt
/// đảng chính thức ra ngoài đảng bộ): the sending side requests, the receiving side accepts (the member is then placed
/// there, as a move inside one subtree would place them) or rejects with a reason, and the sending side may withdraw it
/// before an answer. Until it is accepted nothing moves: the member, their placement and their dues stay where they are.
/// The status changes only through the lifecycle here; a move it does not allow throws <see cref="InvalidOperationException"/>.
/// </summary>
public sealed class MemberTransferRequest
{
    /// <summary>The longest reason (rejection, withdrawal) kept, in characters.</summary>
    public const int MaxReasonLength = 500;

    private StateMachine<MemberTransferStatus, Trigger>? _machine;

    private MemberTransferRequest()
    {
    }

    private enum Trigger
    {
        Accept,
        Reject,
        Cancel,
    }

    public long Id { get; private set; }
    public long MemberId { get; private set; }
    /// <summary>The organization the member is officially placed in when the request is made.</summary>
    public long FromOrgId { get; private set; }
    public long ToOrgId { get; private set; }
    /// <summary>The day the move is asked to take effect; accepted later, it takes effect on the day of acceptance (<see cref="PlacementStartOn"/>).</summary>
    public DateOnly EffectiveFrom { get; private set; }
    /// <summary>The transfer decision's number (quyết định, giấy giới thiệu sinh hoạt đảng), when given.</summary>
    public string? Reference { get; private set; }
    public MemberTransferStatus Status { get; private set; }
    public string RequestedBy { get; private set; } = "";
    public DateTimeOffset RequestedAt { get; private set; }
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    /// <summary>Why it was rejected (required) or withdrawn (optional).</summary>
    public string? Reason { get; private set; }
    /// <summary>The first day of the member's placement at the receiving organization, once accepted.</summary>
    public DateOnly? PlacedFrom { get; private set; }

    private StateMachine<MemberTransferStatus, Trigger> Machine => _machine ??= Configure(new(() => Status, s => Status = s));

    public bool CanAccept => Machine.CanFire(Trigger.Accept);
    public bool CanReject => Machine.CanFire(Trigger.Reject);
    public bool CanCancel => Machine.CanFire(Trigger.Cancel);

    /// <summary>A new request, <see cref="MemberTransferStatus.Requested"/>.</summary>
    /// <exception cref="ArgumentException">From and to are the same organization.</exception>
    public static MemberTransferRequest Request(long memberId, long fromOrgId, long toOrgId, DateOnly effectiveFrom, string? reference, string requestedBy,
        DateTimeOffset now)
    {
        if (fromOrgId == toOrgId)
        {
            throw new ArgumentException("A transfer goes to another organization.", nameof(toOrgId));
        }
        ArgumentException.ThrowIfNullOrWhiteSpace(requestedBy);
        return new MemberTransferRequest
        {
            MemberId = memberId, FromOrgId = fromOrgId, ToOrgId = toOrgId, EffectiveFrom = effectiveFrom, Reference = reference,
            Status = MemberTransferStatus.Requested, RequestedBy = requestedBy, RequestedAt = now,
        };
    }

    /// <summary>A request as stored (the store reads rows; nothing is checked here).</summary>
    public static MemberTransferRequest Restore(long id, long memberId, long fromOrgId, long toOrgId, DateOnly effectiveFrom, string? reference,
        MemberTransferStatus status, string requestedBy, DateTimeOffset requestedAt, string? decidedBy, DateTimeOffset? decidedAt, string? reason,
        DateOnly? placedFrom) =>
        new()
        {
            Id = id, MemberId = memberId, FromOrgId = fromOrgId, ToOrgId = toOrgId, EffectiveFrom = effectiveFrom, Reference = reference, Status = status,
            RequestedBy = requestedBy, RequestedAt = requestedAt, DecidedBy = decidedBy, DecidedAt = decidedAt, Reason = reason, PlacedFrom = placedFrom,
        };

    /// <summary>
    /// The first day at the receiving organization if accepted on <paramref name="today"/>: the day asked for, or the
    /// day of acceptance when that is later (until it is accepted the member stays, and so do the dues).
    /// </summary>
    public DateOnly PlacementStartOn(DateOnly today) => EffectiveFrom > today ? EffectiveFrom : today;

    /// <summary>The receiving side accepts on <paramref name="today"/>: the member is placed there from <see cref="PlacementStartOn"/>.</summary>
    public void Accept(string by, DateOnly today, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        Machine.Fire(Trigger.Accept);
        DecidedBy = by;
        DecidedAt = now;
        PlacedFrom = PlacementStartOn(today);
    }

    /// <summary>The receiving side refuses, saying why.</summary>
    public void Reject(string by, string reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        Machine.Fire(Trigger.Reject);
        DecidedBy = by;
        DecidedAt = now;
        Reason = reason;
    }

    /// <summary>The sending side withdraws the request before an answer.</summary>
    public void Cancel(string by, string? reason, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        Machine.Fire(Trigger.Cancel);
        DecidedBy = by;
        DecidedAt = now;
        Reason = reason;
    }

    /// <summary>Every move the lifecycle allows, as (from, to) status pairs: its one table.</summary>
    public static IReadOnlyList<(MemberTransferStatus From, MemberTransferStatus To)> Transitions { get; } =
        Configure(new StateMachine<MemberTransferStatus, Trigger>(MemberTransferStatus.Requested)).GetInfo().States
            .SelectMany(s => s.FixedTransitions.Select(t => ((MemberTransferStatus)s.UnderlyingState, (MemberTransferStatus)t.DestinationState.UnderlyingState)))
            .ToList();

    private static StateMachine<MemberTransferStatus, Trigger> Configure(StateMachine<MemberTransferStatus, Trigger> machine)
    {
        machine.Configure(MemberTransferStatus.Requested)
            .Permit(Trigger.Accept, MemberTransferStatus.Accepted)
            .Permit(Trigger.Reject, MemberTransferStatus.Rejected)
            .Permit(Trigger.Cancel, MemberTransferStatus.Cancelled);
        // Accepted, rejected and cancelled are final.
        machine.Configure(MemberTransferStatus.Accepted);
        machine.Configure(MemberTransferStatus.Rejected);
        machine.Configure(MemberTransferStatus.Cancelled);
        machine.OnUnhandledTrigger((state, trigger) => throw new InvalidOperationException(
            $"A transfer request in status '{state.ToCode()}' cannot take '{trigger}'."));
        return machine;
    }
}
