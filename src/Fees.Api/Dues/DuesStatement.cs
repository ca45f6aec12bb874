using System.Text.Json;
using Fees.Domain.Dues;

namespace Fees.Api.Dues;

/// <summary>
/// One member's dues for one period, owed to the organization the member belonged to on the period's first day.
/// Carries the rule that produced the amount, its Vietnamese explanation and the exact inputs used, so an auditor
/// can re-derive every amount. Unique on (member, period) among statements not transferred: generating twice
/// creates it once, and a transferred statement is continued by exactly one at the new organization.
/// </summary>
public sealed class DuesStatement
{
    public long Id { get; set; }
    public long MemberId { get; set; }
    /// <summary>First day of the period.</summary>
    public DateOnly Period { get; set; }
    public long OrgId { get; set; }
    public long Amount { get; set; }
    public long Paid { get; set; }
    public DuesStatementStatus Status { get; set; }
    public required string RuleId { get; set; }
    public required string Explanation { get; set; }
    public required string[] AppliedRuleIds { get; set; }
    /// <summary>The quote's inputs as they were when the amount was computed (category, income, region, decision…).</summary>
    public required JsonDocument Inputs { get; set; }
    /// <summary>The statement at the member's former organization that this one continues (the member moved before paying).</summary>
    public long? TransferredFromId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }
}

/// <summary>A committee decision exempting or reducing a member's fee for at most 12 periods (FR-09, FR-10).</summary>
public sealed class FeeDecisionRecord
{
    public long Id { get; set; }
    public long MemberId { get; set; }
    public required string Reason { get; set; }
    public int ReductionPercent { get; set; }
    public required string DecidedBy { get; set; }
    public required string DocumentRef { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly ValidTo { get; set; }
    public string? Note { get; set; }
    public required string RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}

/// <summary>A voluntary higher monthly amount declared by the member and approved (FR-11), from a period on.</summary>
public sealed class VoluntaryAmount
{
    public long Id { get; set; }
    public long MemberId { get; set; }
    public long Amount { get; set; }
    public required string ApprovedBy { get; set; }
    public required string DocumentRef { get; set; }
    public DateOnly ValidFrom { get; set; }
    public DateOnly? ValidTo { get; set; }
    public required string RecordedBy { get; set; }
    public DateTimeOffset RecordedAt { get; set; }
}
