using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Outcomes;
using Fees.Domain.Rules;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Fees.Persistence.Queries;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fees.Persistence.Dues;

/// <summary>
/// Committee decisions (miễn, giảm: FR-09, FR-10) and approved voluntary amounts (FR-11) for a member, each audited.
/// Periods before the system's first are refused like generation is; overlapping ones are refused by the database
/// (exclusion constraints), so concurrent identical calls record one.
/// </summary>
public sealed class DuesDecisions(FeesDbContext db, AuditWriter audit, TimeProvider clock)
{
    public Task<List<FeeDecisionRecord>> DecisionsOf(long memberId, CancellationToken ct) =>
        db.FeeDecisions.AsNoTracking().Where(d => d.MemberId == memberId).OrderByDescending(d => d.ValidFrom).ToListAsync(ct);

    public async Task<Outcome<long>> RecordDecision(MemberInScope member, string? reasonText, int? reductionPercent, string? decidedBy, string? documentRef,
        string? validFrom, string? validTo, string? note, Actor actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (reasonText is null || !Enum.GetNames<ReliefReason>().Contains(reasonText, StringComparer.Ordinal))
        {
            errors["reason"] = ["Lý do phải là PoorHousehold (hộ nghèo), NearPoorHousehold (hộ cận nghèo), GraveIllness (bệnh hiểm nghèo) hoặc OtherHardship (khó khăn khác)."];
        }
        if (!Period.TryParse(validFrom, out var from))
        {
            errors["validFrom"] = ["Kỳ bắt đầu phải có dạng yyyy-MM."];
        }
        if (!Period.TryParse(validTo, out var to))
        {
            errors["validTo"] = ["Kỳ kết thúc phải có dạng yyyy-MM."];
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        if (BeforeSystem(from) is { } early)
        {
            return early;
        }
        var decided = FeeDecision.Decide(Enum.Parse<ReliefReason>(reasonText!), reductionPercent ?? 100, decidedBy, documentRef, from, to, note);
        if (!decided.TryGet(out var decision, out var refusal))
        {
            return refusal;
        }
        var record = FeeDecisionRecord.Record(member.Id, decision, actor.Username, clock.GetUtcNow());
        db.FeeDecisions.Add(record);
        audit.Add(db, actor, AuditEntry.Of("fee_decision.create", "member", member.MemberNo, null,
            new { reason = decision.Reason.ToString(), decision.ReductionPercent, decision.DecidedBy, decision.DocumentRef,
                validFrom = from.ToString(), validTo = to.ToString(), decision.Note },
            await MemberOrgPath(member.Id, ct)));
        if (!await Save(ct))
        {
            return Refusal.Conflict("decision_overlaps", "Đã có quyết định miễn, giảm đảng phí cho một phần các kỳ này.");
        }
        return record.Id;
    }

    public async Task<Outcome<long>> RecordVoluntary(MemberInScope member, long? amountDong, string? approvedBy, string? documentRef, string? validFrom,
        string? validTo, Actor actor, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (amountDong is not > 0 || amountDong > FeeLimits.MaxVoluntaryAmount.Dong)
        {
            errors["amount"] = [$"Số tiền tự nguyện phải là số nguyên đồng lớn hơn 0 và không quá {FeeLimits.MaxVoluntaryAmount.ToDisplayString()}."];
        }
        if (string.IsNullOrWhiteSpace(approvedBy) || approvedBy.Length > FeeDecision.MaxTextLength)
        {
            errors["approvedBy"] = [$"Cần ghi tổ chức đảng xem xét, quyết định (tối đa {FeeDecision.MaxTextLength} ký tự)."];
        }
        if (string.IsNullOrWhiteSpace(documentRef) || documentRef.Length > FeeDecision.MaxTextLength)
        {
            errors["documentRef"] = [$"Cần số, ký hiệu văn bản (tối đa {FeeDecision.MaxTextLength} ký tự)."];
        }
        if (!Period.TryParse(validFrom, out var from))
        {
            errors["validFrom"] = ["Kỳ bắt đầu phải có dạng yyyy-MM."];
        }
        Period? to = null;
        if (validTo is not null)
        {
            if (Period.TryParse(validTo, out var t) && t >= from)
            {
                to = t;
            }
            else
            {
                errors["validTo"] = ["Kỳ kết thúc phải có dạng yyyy-MM và không trước kỳ bắt đầu."];
            }
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        if (BeforeSystem(from) is { } early)
        {
            return early;
        }
        var record = VoluntaryAmount.Record(member.Id, Money.Vnd(amountDong!.Value), approvedBy!.Trim(), documentRef!.Trim(), from, to, actor.Username, clock.GetUtcNow());
        db.VoluntaryAmounts.Add(record);
        audit.Add(db, actor, AuditEntry.Of("voluntary_amount.create", "member", member.MemberNo, null,
            new { amount = amountDong, approvedBy, documentRef, validFrom = from.ToString(), validTo = to?.ToString() },
            await MemberOrgPath(member.Id, ct)));
        if (!await Save(ct))
        {
            return Refusal.Conflict("voluntary_amount_overlaps", "Đã có mức đóng tự nguyện cho một phần các kỳ này.");
        }
        return record.Id;
    }

    private static Refusal? BeforeSystem(Period from) => from < Period.FirstOnSystem
        ? Refusal.Rule("before_system_start",
            $"Kỳ {from} trước kỳ tháng 8/2026: các kỳ trước tháng 8/2026 tiếp tục thu theo phương thức hiện hành, không đóng bù, truy thu trên hệ thống.")
        : null;

    /// <summary>Saves; false when an exclusion constraint refused an overlapping interval (nothing was written).</summary>
    private async Task<bool> Save(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation })
        {
            db.ChangeTracker.Clear();
            return false;
        }
    }

    private Task<string?> MemberOrgPath(long memberId, CancellationToken ct)
    {
        var today = VietnamTime.Today(clock);
        return (from p in db.Placements.InForce(today)
                join o in db.Orgs on p.OrgId equals o.Id
                where p.MemberId == memberId
                orderby p.Kind
                select o.Path).FirstOrDefaultAsync(ct);
    }
}
