using Fees.Api.Accounts;
using Fees.Api.Audit;
using Fees.Api.Database;
using Fees.Api.Hosting;
using Fees.Api.Organizations;
using Fees.Domain.Dues;
using Fees.Domain.Rules;
using Fees.Domain.Time;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Dues;

public sealed record StatementView(long Id, string Period, string OrgCode, long Amount, long Paid, string Status, string Reference, string RuleId, string Explanation);
public sealed record FeeDecisionRequest(string? Reason, int? ReductionPercent, string? DecidedBy, string? DocumentRef, string? ValidFrom, string? ValidTo, string? Note);
public sealed record VoluntaryAmountRequest(long? Amount, string? ApprovedBy, string? DocumentRef, string? ValidFrom, string? ValidTo);

public static class DuesEndpoints
{
    public static void MapDues(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/fees/quote", Quote).RequireAuthorization();
        app.MapPost("/api/cycles/{period}/generate", Generate).RequireAuthorization(Policies.Importers);
        var member = app.MapGroup("/api/members/{memberNo}").RequireAuthorization();
        member.MapGet("/statements", Statements);
        member.MapGet("/fee-decisions", Decisions);
        member.MapPost("/fee-decisions", RecordDecision).RequireAuthorization(Policies.Recorders);
        member.MapPost("/voluntary-amounts", RecordVoluntary).RequireAuthorization(Policies.Recorders);
    }

    /// <summary>What a member in these circumstances owes for a period, with the rule id and the arithmetic in Vietnamese.</summary>
    private static IResult Quote(FeeQuoteRequest request)
    {
        if (!request.TryToInput(FeeRuleBook.Default, out var input, out var errors))
        {
            return Problems.Validation(errors.ToDictionary(e => e.Key, e => new[] { e.Value }));
        }
        var quote = FeeCalculator.Quote(input, FeeRuleBook.Default);
        return Results.Ok(new { amount = quote.Amount.Dong, ruleId = quote.RuleId, explanation = quote.Explanation, outcome = quote.OutcomeCode, appliedRuleIds = quote.AppliedRuleIds });
    }

    private static async Task<IResult> Generate(string period, HttpContext http, DuesGeneration generation, CancellationToken ct)
    {
        if (!Period.TryParse(period, out var p))
        {
            return Problems.Field("period", "Kỳ phải có dạng yyyy-MM (ví dụ 2026-08).");
        }
        var (result, refused) = await generation.Generate(p, CurrentUser.From(http.User)!, ct);
        return refused is not null ? Problems.Of(422, refused.Code, refused.Message) : Results.Ok(result);
    }

    /// <summary>Finds a member the caller may see (their own record, or one placed in their subtree), or the error to answer.</summary>
    internal static async Task<(long MemberId, IResult? Error)> VisibleMember(string memberNo, HttpContext http, FeesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        long? id = await db.Members.Where(m => m.MemberNo == memberNo).Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);
        if (id is null)
        {
            return (0, Problems.NotFound("đảng viên"));
        }
        var today = VietnamTime.Today(clock);
        bool visible = await db.Members.Visible(db, user, today).AnyAsync(m => m.Id == id, ct)
            // Staff of the organization a statement is owed to keep seeing it after the member moved away.
            || (user.Role is not Role.Member and not Role.Admin && await db.Statements.AnyAsync(s => s.MemberId == id
                && db.Orgs.Any(o => o.Id == s.OrgId && o.Path.StartsWith(user.ScopePath!)), ct));
        return visible ? (id.Value, null) : (0, Problems.Forbidden());
    }

    private static async Task<IResult> Statements(string memberNo, HttpContext http, FeesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (memberId, error) = await VisibleMember(memberNo, http, db, clock, ct);
        if (error is not null)
        {
            return error;
        }
        string reference = PaymentReference.ForMember(memberId).Value;
        var rows = await (from s in db.Statements.AsNoTracking()
                          join o in db.Orgs on s.OrgId equals o.Id
                          where s.MemberId == memberId
                          orderby s.Period
                          select new { s.Id, s.Period, o.Code, s.Amount, s.Paid, s.Status, s.RuleId, s.Explanation }).ToListAsync(ct);
        return Results.Ok(rows.Select(s => new StatementView(s.Id, Period.Containing(s.Period).ToString(), s.Code, s.Amount, s.Paid,
            s.Status.ToCode(), reference, s.RuleId, s.Explanation)));
    }

    private static async Task<IResult> Decisions(string memberNo, HttpContext http, FeesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var (memberId, error) = await VisibleMember(memberNo, http, db, clock, ct);
        if (error is not null)
        {
            return error;
        }
        var rows = await db.FeeDecisions.AsNoTracking().Where(d => d.MemberId == memberId).OrderByDescending(d => d.ValidFrom).ToListAsync(ct);
        return Results.Ok(rows.Select(d => new
        {
            d.Reason, d.ReductionPercent, d.DecidedBy, d.DocumentRef,
            validFrom = Period.Containing(d.ValidFrom).ToString(), validTo = Period.Containing(d.ValidTo).ToString(), d.Note, d.RecordedBy, d.RecordedAt,
        }));
    }

    /// <summary>Records a committee decision (FR-09/FR-10): who decided, the document, the periods (at most 12) and why.</summary>
    private static async Task<IResult> RecordDecision(string memberNo, FeeDecisionRequest request, HttpContext http, FeesDbContext db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        var (memberId, error) = await VisibleMember(memberNo, http, db, clock, ct);
        if (error is not null)
        {
            return error;
        }
        var errors = new Dictionary<string, string[]>();
        if (!Enum.TryParse<ReliefReason>(request.Reason, ignoreCase: false, out var reason) || !Enum.IsDefined(reason))
        {
            errors["reason"] = ["Lý do phải là PoorHousehold (hộ nghèo), NearPoorHousehold (hộ cận nghèo), GraveIllness (bệnh hiểm nghèo) hoặc OtherHardship (khó khăn khác)."];
        }
        if (!Period.TryParse(request.ValidFrom, out var from))
        {
            errors["validFrom"] = ["Kỳ bắt đầu phải có dạng yyyy-MM."];
        }
        if (!Period.TryParse(request.ValidTo, out var to))
        {
            errors["validTo"] = ["Kỳ kết thúc phải có dạng yyyy-MM."];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        if (!FeeDecision.TryCreate(reason, request.ReductionPercent ?? 100, request.DecidedBy ?? "", request.DocumentRef ?? "", from, to, request.Note, out var decision, out var refusal))
        {
            (string field, string message) = refusal switch
            {
                FeeDecisionRefusal.LongerThanTwelveMonths => ("validTo", "Mỗi lần xem xét miễn, giảm tối đa 12 tháng."),
                FeeDecisionRefusal.EndsBeforeItStarts => ("validTo", "Kỳ kết thúc trước kỳ bắt đầu."),
                FeeDecisionRefusal.PercentNotAllowed => ("reductionPercent", "Mức giảm là 30, 50 hoặc 70%, hoặc miễn (100%); hộ nghèo, cận nghèo, bệnh hiểm nghèo chỉ được miễn."),
                FeeDecisionRefusal.MissingDecider => ("decidedBy", "Cần ghi cấp ủy, tổ chức đảng quyết định."),
                _ => ("documentRef", "Cần số, ký hiệu văn bản quyết định."),
            };
            return Problems.Field(field, message);
        }
        if (await db.FeeDecisions.AnyAsync(d => d.MemberId == memberId && d.ValidFrom <= to.FirstDay && d.ValidTo >= from.FirstDay, ct))
        {
            return Problems.Conflict("decision_overlaps", "Đã có quyết định miễn, giảm đảng phí cho một phần các kỳ này.");
        }
        var record = new FeeDecisionRecord
        {
            MemberId = memberId, Reason = decision.Reason.ToString(), ReductionPercent = decision.ReductionPercent, DecidedBy = decision.DecidedBy,
            DocumentRef = decision.DocumentRef, ValidFrom = from.FirstDay, ValidTo = to.FirstDay, Note = decision.Note,
            RecordedBy = user.Username, RecordedAt = clock.GetUtcNow(),
        };
        db.FeeDecisions.Add(record);
        audit.Record(user, "fee_decision.create", "member", memberNo, null, request, await MemberOrgPath(db, memberId, clock, ct));
        await db.SaveChangesAsync(ct);
        return Results.Created($"/api/members/{memberNo}/fee-decisions", new { record.Id });
    }

    /// <summary>Records a voluntary higher amount approved for a member from a period on (FR-11).</summary>
    private static async Task<IResult> RecordVoluntary(string memberNo, VoluntaryAmountRequest request, HttpContext http, FeesDbContext db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        var (memberId, error) = await VisibleMember(memberNo, http, db, clock, ct);
        if (error is not null)
        {
            return error;
        }
        var errors = new Dictionary<string, string[]>();
        if (request.Amount is not > 0)
        {
            errors["amount"] = ["Số tiền tự nguyện phải là số nguyên đồng lớn hơn 0."];
        }
        if (string.IsNullOrWhiteSpace(request.ApprovedBy))
        {
            errors["approvedBy"] = ["Cần ghi tổ chức đảng xem xét, quyết định."];
        }
        if (string.IsNullOrWhiteSpace(request.DocumentRef))
        {
            errors["documentRef"] = ["Cần số, ký hiệu văn bản."];
        }
        if (!Period.TryParse(request.ValidFrom, out var from))
        {
            errors["validFrom"] = ["Kỳ bắt đầu phải có dạng yyyy-MM."];
        }
        Period? to = null;
        if (request.ValidTo is not null)
        {
            if (Period.TryParse(request.ValidTo, out var t) && t >= from)
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
            return Problems.Validation(errors);
        }
        db.VoluntaryAmounts.Add(new VoluntaryAmount
        {
            MemberId = memberId, Amount = request.Amount!.Value, ApprovedBy = request.ApprovedBy!.Trim(), DocumentRef = request.DocumentRef!.Trim(),
            ValidFrom = from.FirstDay, ValidTo = to?.FirstDay, RecordedBy = user.Username, RecordedAt = clock.GetUtcNow(),
        });
        audit.Record(user, "voluntary_amount.create", "member", memberNo, null, request, await MemberOrgPath(db, memberId, clock, ct));
        await db.SaveChangesAsync(ct);
        return Results.Created($"/api/members/{memberNo}/voluntary-amounts", null);
    }

    private static Task<string?> MemberOrgPath(FeesDbContext db, long memberId, TimeProvider clock, CancellationToken ct)
    {
        var today = VietnamTime.Today(clock);
        return (from p in db.Placements.InForce(today)
                join o in db.Orgs on p.OrgId equals o.Id
                where p.MemberId == memberId
                orderby p.Kind
                select o.Path).FirstOrDefaultAsync(ct);
    }
}
