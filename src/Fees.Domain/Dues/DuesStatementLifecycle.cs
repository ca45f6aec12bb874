using Fees.Domain.Amounts;
using Fees.Domain.Rules;
using Stateless.Graph;
using Stateless;
using Trigger = Fees.Domain.Dues.DuesStatementTrigger;

namespace Fees.Domain.Dues;

/// <summary>
/// The state machine of a dues statement's <see cref="DuesStatementStatus"/>, over state stored elsewhere (the
/// statement entity's <c>Status</c> column): build it with the getter and setter of that property, call the intent
/// methods, read the <c>CanX</c> properties. A move the machine does not allow throws
/// <see cref="InvalidOperationException"/>; nothing is ever silently ignored.
/// </summary>
/// <example><code>
/// var lifecycle = new DuesStatementLifecycle(() =&gt; statement.Status, s =&gt; statement.Status = s);
/// lifecycle.RecordPayment(paidSoFar: Money.Vnd(20_000), amount: statement.Amount); // → partially_paid
/// </code></example>
public sealed class DuesStatementLifecycle
{
    private readonly StateMachine<DuesStatementStatus, Trigger> machine;

    /// <summary>A lifecycle over external state (an entity's property).</summary>
    public DuesStatementLifecycle(Func<DuesStatementStatus> readStatus, Action<DuesStatementStatus> writeStatus)
    {
        ArgumentNullException.ThrowIfNull(readStatus);
        ArgumentNullException.ThrowIfNull(writeStatus);
        machine = new StateMachine<DuesStatementStatus, Trigger>(readStatus, writeStatus);

        machine.Configure(DuesStatementStatus.AwaitingData)
            .Permit(Trigger.DataArrivedCharged, DuesStatementStatus.Issued)
            .Permit(Trigger.DataArrivedExempt, DuesStatementStatus.Exempt);

        machine.Configure(DuesStatementStatus.Issued)
            .Permit(Trigger.PaidInPart, DuesStatementStatus.PartiallyPaid)
            .Permit(Trigger.PaidInFull, DuesStatementStatus.Paid)
            .Permit(Trigger.Transfer, DuesStatementStatus.Transferred)
            // Only while nothing is paid: money on a statement is refunded first, never cancelled with it.
            .Permit(Trigger.Cancel, DuesStatementStatus.Cancelled);

        machine.Configure(DuesStatementStatus.PartiallyPaid)
            .PermitReentry(Trigger.PaidInPart)
            .Permit(Trigger.PaidInFull, DuesStatementStatus.Paid)
            .Permit(Trigger.Transfer, DuesStatementStatus.Transferred);

        // Paid, Exempt, Transferred and Cancelled are final: no trigger leaves them.
        machine.Configure(DuesStatementStatus.Paid);
        machine.Configure(DuesStatementStatus.Exempt);
        machine.Configure(DuesStatementStatus.Transferred);
        machine.Configure(DuesStatementStatus.Cancelled);

        machine.OnUnhandledTrigger((state, trigger) => throw new InvalidOperationException(
            $"A dues statement in status '{state.ToCode()}' cannot take '{Describe(trigger)}'."));
    }

    /// <summary>A lifecycle holding its own state, starting at <paramref name="initial"/> (tests, previews).</summary>
    public DuesStatementLifecycle(DuesStatementStatus initial)
        : this(new Holder(initial))
    {
    }

    private DuesStatementLifecycle(Holder holder)
        : this(() => holder.Status, s => holder.Status = s)
    {
    }

    public DuesStatementStatus Status => machine.State;

    /// <summary>The status a new statement starts in, from its quote.</summary>
    public static DuesStatementStatus InitialStatus(FeeQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        return quote.Outcome switch
        {
            FeeOutcome.Charged => DuesStatementStatus.Issued,
            FeeOutcome.Exempt => DuesStatementStatus.Exempt,
            FeeOutcome.AwaitingData => DuesStatementStatus.AwaitingData,
            _ => throw new ArgumentOutOfRangeException(nameof(quote), quote.Outcome, null),
        };
    }

    /// <summary>The statuses a new statement can start in (what <see cref="InitialStatus"/> can give).</summary>
    public static IReadOnlyList<DuesStatementStatus> InitialStatuses { get; } =
        [DuesStatementStatus.Issued, DuesStatementStatus.Exempt, DuesStatementStatus.AwaitingData];

    public bool CanRecordPayment => machine.CanFire(Trigger.PaidInPart) || machine.CanFire(Trigger.PaidInFull);

    public bool CanReceiveData => machine.CanFire(Trigger.DataArrivedCharged);

    public bool CanTransfer => machine.CanFire(Trigger.Transfer);

    public bool CanCancel => machine.CanFire(Trigger.Cancel);

    /// <summary>
    /// Records that <paramref name="paidSoFar"/> (everything allocated to the statement, this payment included) has been
    /// paid against <paramref name="amount"/>: partially paid while below it, paid when it is reached.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Nothing paid, or more than the amount (the excess is member credit, never the statement's).</exception>
    /// <exception cref="InvalidOperationException">The statement cannot take payments in its status.</exception>
    public void RecordPayment(Money paidSoFar, Money amount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(paidSoFar.Dong, nameof(paidSoFar));
        if (paidSoFar > amount)
        {
            throw new ArgumentOutOfRangeException(nameof(paidSoFar), paidSoFar,
                $"A statement of {amount} cannot hold {paidSoFar}; the excess belongs to member credit.");
        }
        machine.Fire(paidSoFar == amount ? Trigger.PaidInFull : Trigger.PaidInPart);
    }

    /// <summary>The missing income arrived and the statement was re-quoted: issued when charged, exempt when exempt.</summary>
    /// <exception cref="ArgumentException">The new quote is still awaiting data.</exception>
    public void DataArrived(FeeQuote quote)
    {
        ArgumentNullException.ThrowIfNull(quote);
        var trigger = quote.Outcome switch
        {
            FeeOutcome.Charged => Trigger.DataArrivedCharged,
            FeeOutcome.Exempt => Trigger.DataArrivedExempt,
            _ => throw new ArgumentException("The quote is still awaiting data; nothing arrived.", nameof(quote)),
        };
        machine.Fire(trigger);
    }

    /// <summary>The member moved to another organization before paying in full; what is unpaid follows them.</summary>
    public void Transfer() => machine.Fire(Trigger.Transfer);

    /// <summary>Issued by mistake and nothing paid: a recorded decision cancels it (<c>issued</c> → <c>cancelled</c>).</summary>
    public void Cancel() => machine.Fire(Trigger.Cancel);

    /// <summary>
    /// Every move the machine allows, read from its configuration (the one table): (from, trigger, to). Re-entries
    /// (a second partial payment) are listed with from = to.
    /// </summary>
    public static IReadOnlyList<DuesStatementTransition> Transitions { get; } = ReadTransitions();

    private static List<DuesStatementTransition> ReadTransitions()
    {
        var info = new DuesStatementLifecycle(DuesStatementStatus.AwaitingData).machine.GetInfo();
        var result = new List<DuesStatementTransition>();
        foreach (var state in info.States)
        {
            var from = (DuesStatementStatus)state.UnderlyingState;
            foreach (var t in state.FixedTransitions)
            {
                result.Add(new DuesStatementTransition(from, (DuesStatementTrigger)t.Trigger.UnderlyingTrigger, (DuesStatementStatus)t.DestinationState.UnderlyingState));
            }
        }
        return result;
    }

    /// <summary>The diagram of the machine in Mermaid, as committed in <c>docs/dues-statement-states.md</c>.</summary>
    public static string ToMermaid() =>
        MermaidGraph.Format(new DuesStatementLifecycle(DuesStatementStatus.AwaitingData).machine.GetInfo());

    internal static string Describe(Trigger trigger) => trigger switch
    {
        Trigger.DataArrivedCharged => "data arrived (charged)",
        Trigger.DataArrivedExempt => "data arrived (exempt)",
        Trigger.PaidInPart => "a partial payment",
        Trigger.PaidInFull => "a payment in full",
        Trigger.Transfer => "a transfer",
        Trigger.Cancel => "a cancellation",
        _ => trigger.ToString(),
    };

    private sealed class Holder(DuesStatementStatus status)
    {
        public DuesStatementStatus Status { get; set; } = status;
    }
}
