namespace Fees.Domain.Dues;

/// <summary>What can happen to a dues statement; <see cref="DuesStatementLifecycle"/> says in which statuses and where it leads.</summary>
public enum DuesStatementTrigger
{
    /// <summary>The missing income arrived and the member owes an amount.</summary>
    DataArrivedCharged,
    /// <summary>The missing income arrived and an exemption applies.</summary>
    DataArrivedExempt,
    /// <summary>Money was allocated, less than the amount in all.</summary>
    PaidInPart,
    /// <summary>Money was allocated up to the amount.</summary>
    PaidInFull,
    /// <summary>The member moved before paying in full; the unpaid rest follows them.</summary>
    Transfer,
    /// <summary>Issued by mistake: a recorded decision cancels it before anything is paid.</summary>
    Cancel,
}

/// <summary>One allowed move: from a status, on a trigger, to a status.</summary>
public sealed record DuesStatementTransition(DuesStatementStatus From, DuesStatementTrigger Trigger, DuesStatementStatus To);
