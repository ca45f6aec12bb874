using Stateless;
using Stateless.Graph;

namespace Fees.Domain.Remittance;

/// <summary>
/// Where a remittance order (the share a close passes up to the parent) is in its life. Stored as the lower-case code;
/// the allowed moves are <see cref="RemittanceOrderLifecycle.Transitions"/>, which the database also enforces.
/// </summary>
public enum RemittanceOrderStatus
{
    /// <summary><c>created</c>: the close made it; nothing has been sent.</summary>
    Created,
    /// <summary><c>instructed</c>: the office has ordered the transfer at its bank (scanned the code).</summary>
    Instructed,
    /// <summary><c>paid</c>: the money left the organization's bank account (its own feed, or the parent's, saw it).</summary>
    Paid,
    /// <summary><c>confirmed</c>: the parent's bank feed credited it with the order's reference. Final.</summary>
    Confirmed,
    /// <summary><c>cancelled</c>: withdrawn before the money left; the close was reversed and may be redone. Final.</summary>
    Cancelled,
}

/// <summary>What moves a remittance order.</summary>
public enum RemittanceOrderTrigger
{
    Instruct,
    Pay,
    Confirm,
    Cancel,
}

/// <summary>One allowed move of the remittance order machine.</summary>
public readonly record struct RemittanceOrderTransition(RemittanceOrderStatus From, RemittanceOrderTrigger Trigger, RemittanceOrderStatus To);

public static class RemittanceOrderStatusCodes
{
    public static string ToCode(this RemittanceOrderStatus status) => status switch
    {
        RemittanceOrderStatus.Created => "created",
        RemittanceOrderStatus.Instructed => "instructed",
        RemittanceOrderStatus.Paid => "paid",
        RemittanceOrderStatus.Confirmed => "confirmed",
        RemittanceOrderStatus.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static RemittanceOrderStatus Parse(string code) => code switch
    {
        "created" => RemittanceOrderStatus.Created,
        "instructed" => RemittanceOrderStatus.Instructed,
        "paid" => RemittanceOrderStatus.Paid,
        "confirmed" => RemittanceOrderStatus.Confirmed,
        "cancelled" => RemittanceOrderStatus.Cancelled,
        _ => throw new InvalidOperationException($"Unknown remittance order status '{code}'."),
    };

    /// <summary>The status as office staff read it.</summary>
    public static string ToVietnamese(this RemittanceOrderStatus status) => status switch
    {
        RemittanceOrderStatus.Created => "Chờ chuyển tiền",
        RemittanceOrderStatus.Instructed => "Đã lập lệnh chuyển",
        RemittanceOrderStatus.Paid => "Đã chuyển, chờ cấp trên xác nhận",
        RemittanceOrderStatus.Confirmed => "Cấp trên đã nhận",
        RemittanceOrderStatus.Cancelled => "Đã hủy",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };
}

/// <summary>
/// The state machine of a remittance order, over state stored elsewhere. created → instructed → paid → confirmed; the
/// feed may see the money leave before anyone pressed "instructed" (created → paid); an order is cancelled only before
/// the money left (created or instructed → cancelled). A move the machine does not allow throws.
/// </summary>
public sealed class RemittanceOrderLifecycle
{
    private readonly StateMachine<RemittanceOrderStatus, RemittanceOrderTrigger> machine;

    public RemittanceOrderLifecycle(Func<RemittanceOrderStatus> read, Action<RemittanceOrderStatus> write)
    {
        machine = new StateMachine<RemittanceOrderStatus, RemittanceOrderTrigger>(read, write);
        machine.Configure(RemittanceOrderStatus.Created)
            .Permit(RemittanceOrderTrigger.Instruct, RemittanceOrderStatus.Instructed)
            .Permit(RemittanceOrderTrigger.Pay, RemittanceOrderStatus.Paid)
            .Permit(RemittanceOrderTrigger.Cancel, RemittanceOrderStatus.Cancelled);
        machine.Configure(RemittanceOrderStatus.Instructed)
            .Permit(RemittanceOrderTrigger.Pay, RemittanceOrderStatus.Paid)
            .Permit(RemittanceOrderTrigger.Cancel, RemittanceOrderStatus.Cancelled);
        machine.Configure(RemittanceOrderStatus.Paid)
            .Permit(RemittanceOrderTrigger.Confirm, RemittanceOrderStatus.Confirmed);
        machine.Configure(RemittanceOrderStatus.Confirmed);
        machine.Configure(RemittanceOrderStatus.Cancelled);
        machine.OnUnhandledTrigger((state, trigger) => throw new InvalidOperationException(
            $"A remittance order in status '{state.ToCode()}' cannot take '{trigger}'."));
    }

    /// <summary>A lifecycle holding its own state (tests, previews, and the stores that read a status and write the next).</summary>
    public RemittanceOrderLifecycle(RemittanceOrderStatus initial)
        : this(new Holder(initial))
    {
    }

    private RemittanceOrderLifecycle(Holder holder)
        : this(() => holder.Status, s => holder.Status = s)
    {
    }

    public RemittanceOrderStatus Status => machine.State;

    public bool CanFire(RemittanceOrderTrigger trigger) => machine.CanFire(trigger);

    public void Instruct() => machine.Fire(RemittanceOrderTrigger.Instruct);

    public void Pay() => machine.Fire(RemittanceOrderTrigger.Pay);

    /// <summary>The parent's feed credited the order. An order nobody marked paid is paid first: the money plainly left.</summary>
    public void Confirm()
    {
        if (machine.CanFire(RemittanceOrderTrigger.Pay))
        {
            machine.Fire(RemittanceOrderTrigger.Pay);
        }
        machine.Fire(RemittanceOrderTrigger.Confirm);
    }

    public void Cancel() => machine.Fire(RemittanceOrderTrigger.Cancel);

    /// <summary>Every move the machine allows, read from its configuration (the one table the database copies).</summary>
    public static IReadOnlyList<RemittanceOrderTransition> Transitions { get; } = ReadTransitions();

    /// <summary>The diagram in Mermaid, as committed in <c>docs/close-and-remittance.md</c>.</summary>
    public static string ToMermaid() => MermaidGraph.Format(new RemittanceOrderLifecycle(RemittanceOrderStatus.Created).machine.GetInfo());

    private static List<RemittanceOrderTransition> ReadTransitions()
    {
        var info = new RemittanceOrderLifecycle(RemittanceOrderStatus.Created).machine.GetInfo();
        return info.States
            .SelectMany(s => s.FixedTransitions.Select(t => new RemittanceOrderTransition((RemittanceOrderStatus)s.UnderlyingState,
                (RemittanceOrderTrigger)t.Trigger.UnderlyingTrigger, (RemittanceOrderStatus)t.DestinationState.UnderlyingState)))
            .ToList();
    }

    private sealed class Holder(RemittanceOrderStatus status)
    {
        public RemittanceOrderStatus Status { get; set; } = status;
    }
}
