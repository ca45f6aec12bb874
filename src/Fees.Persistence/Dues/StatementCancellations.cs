using System.Globalization;
using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Domain.Outcomes;
using Fees.Domain.Text;
using Fees.Persistence.Auditing;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fees.Persistence.Dues;

/// <summary>A statement cancelled by a recorded decision, as the API answers it.</summary>
public sealed record StatementCancellation(long StatementId, string MemberNo, string Period, string OrgCode, long Amount, string Status, string Reason,
    string DecidedBy, string DocumentRef, string RecordedBy, DateTimeOffset RecordedAt);

/// <summary>
/// Cancels a statement issued by mistake (issued, nothing paid) by a decision recorded with it: why, who decided, the
/// document. In one transaction: the statement's lifecycle move (<c>issued</c> → <c>cancelled</c>, checked again by the
/// database's status trigger), the decision (<c>statement_cancellations</c>, append-only, one per statement) and the
/// audit record. The amount issued is never rewritten; the period's next generation issues what the corrected data
/// (income, decisions, placement) says. A statement with money on it is refused: the treasurer refunds first.
/// </summary>
public sealed class StatementCancellations(FeesDbContext db, AuditWriter audit, TimeProvider clock)
{
    public const int MaxReasonLength = 500;
    public const int MaxTextLength = 200;

    public async Task<Outcome<StatementCancellation>> Cancel(long statementId, string? reason, string? decidedBy, string? documentRef, Actor actor,
        CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        string? why = FreeText.Accept(reason, MaxReasonLength);
        if (why is null)
        {
            errors["reason"] = [$"Cần ghi lý do hủy (lập nhầm vì sao), tối đa {MaxReasonLength} ký tự, không có ký tự điều khiển."];
        }
        string? decider = FreeText.Accept(decidedBy, MaxTextLength);
        if (decider is null)
        {
            errors["decidedBy"] = [$"Cần ghi cấp ủy, tổ chức đảng quyết định hủy (tối đa {MaxTextLength} ký tự)."];
        }
        string? document = FreeText.Accept(documentRef, MaxTextLength);
        if (document is null)
        {
            errors["documentRef"] = [$"Cần số, ký hiệu văn bản quyết định hủy (tối đa {MaxTextLength} ký tự)."];
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }

        var found = await (from s in db.Statements
                           join o in db.Orgs on s.OrgId equals o.Id
                           join m in db.Members on s.MemberId equals m.Id
                           where s.Id == statementId
                           select new { Statement = s, o.Code, o.Path, m.MemberNo }).FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return Refusal.NotFound("khoản đảng phí");
        }
        if (!actor.CanSeeOrgPath(found.Path))
        {
            return Refusal.Forbidden;
        }
        var statement = found.Statement;
        if (statement.Paid.IsPositive)
        {
            return Refusal.Rule("statement_has_payments",
                $"Khoản đảng phí {statement.Period.ToDisplayString()} đã có {statement.Paid.ToDisplayString()} được nộp: không hủy được. "
                + "Chi ủy hoàn trả số tiền đã nộp trước, hoặc giữ khoản này và điều chỉnh ở kỳ sau.");
        }
        if (statement.Status == DuesStatementStatus.Cancelled)
        {
            return AlreadyCancelled(statement);
        }
        if (!new DuesStatementLifecycle(statement.Status).CanCancel)
        {
            return Refusal.Conflict("statement_not_cancellable",
                $"Khoản đảng phí đang ở trạng thái \"{statement.Status.ToVietnamese()}\": chỉ hủy được khoản đã lập và chưa nộp.");
        }

        var now = clock.GetUtcNow();
        var was = statement.Status;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        statement.Cancel(now);
        audit.Add(db, actor, AuditEntry.Of("statement.cancel", "statement", statement.Id.ToString(CultureInfo.InvariantCulture),
            new { memberNo = found.MemberNo, period = statement.Period.ToString(), orgCode = found.Code, amount = statement.Amount.Dong, status = was.ToCode() },
            new { status = statement.Status.ToCode(), reason = why, decidedBy = decider, documentRef = document },
            found.Path));
        try
        {
            // The statement's row version makes concurrent cancellations of one statement record one.
            await db.SaveChangesAsync(ct);
            await db.Database.ExecuteSqlAsync($"""
                insert into statement_cancellations (province_id, period, statement_id, amount, reason, decided_by, document_ref, recorded_by, recorded_at)
                values ((select province_id from dues_statements where id = {statement.Id} and period = {statement.Period.FirstDay}), {statement.Period.FirstDay},
                        {statement.Id}, {statement.Amount.Dong}, {why}, {decider}, {document}, {actor.Username}, {now})
                """, ct);
            await tx.CommitAsync(ct);
        }
        catch (Exception e) when (e is DbUpdateConcurrencyException || e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
                                  || e is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            // Someone else changed the statement first: cancelled it, or booked a payment to it.
            db.ChangeTracker.Clear();
            var current = await db.Statements.AsNoTracking().Where(s => s.Id == statementId).Select(s => s.Status).FirstAsync(ct);
            return current == DuesStatementStatus.Cancelled
                ? AlreadyCancelled(statement)
                : Refusal.Conflict("statement_changed", "Khoản đảng phí vừa thay đổi (có thể vừa được nộp). Vui lòng tải lại và xem lại trước khi hủy.");
        }
        return new StatementCancellation(statement.Id, found.MemberNo, statement.Period.ToString(), found.Code, statement.Amount.Dong,
            statement.Status.ToCode(), why!, decider!, document!, actor.Username, now);
    }

    private static Refusal AlreadyCancelled(DuesStatement statement) =>
        Refusal.Conflict("statement_already_cancelled", $"Khoản đảng phí {statement.Period.ToDisplayString()} đã được hủy.");
}
