using Fees.Domain.Accounts;
using Fees.Domain.Members;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Fees.Persistence.Dues;
using Fees.Persistence.Queries;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fees.Persistence.Members;

/// <summary>
/// Records a move (chuyển sinh hoạt đảng) effective from a date: an official move closes the current official
/// placement and opens a new one; temporary activity elsewhere opens a bounded placement beside it. The dues of a
/// period belong to where the member is on its first day; a move in force today takes the unpaid dues along.
/// The database refuses two overlapping official placements, so concurrent moves record one.
/// </summary>
public sealed class MemberMoves(FeesDbContext db, AuditWriter audit, StatementTransfers transfers, TimeProvider clock)
{
    /// <summary>The longest decision reference kept (characters).</summary>
    public const int MaxReferenceLength = 200;

    public async Task<Outcome<Done>> Move(MemberInScope member, string? toOrgCode, string? kindCode, DateOnly? effectiveFrom, DateOnly? until, string? reference,
        Actor actor, CancellationToken ct)
    {
        var today = VietnamTime.Today(clock);
        var errors = new Dictionary<string, string[]>();
        PlacementKind kind = PlacementKind.Official;
        if (kindCode is not null && !PlacementKindCodes.TryParse(kindCode, out kind))
        {
            errors["kind"] = ["Hình thức chuyển phải là official (chính thức) hoặc temporary (tạm thời)."];
        }
        var from = effectiveFrom ?? today;
        if (from < Period.Containing(today).FirstDay)
        {
            errors["effectiveFrom"] = ["Ngày chuyển không được trước ngày đầu của tháng hiện tại: các kỳ đã qua giữ nguyên tổ chức thu đảng phí."];
        }
        if (kind == PlacementKind.Temporary && (until is null || until <= from))
        {
            errors["until"] = ["Sinh hoạt tạm thời cần ngày kết thúc sau ngày bắt đầu."];
        }
        if (kind == PlacementKind.Official && until is not null)
        {
            errors["until"] = ["Chuyển sinh hoạt chính thức không có ngày kết thúc."];
        }
        if (reference is { Length: > MaxReferenceLength })
        {
            errors["reference"] = [$"Số, ký hiệu quyết định tối đa {MaxReferenceLength} ký tự."];
        }
        var target = string.IsNullOrWhiteSpace(toOrgCode) ? null : await db.Orgs.AsNoTracking().FirstOrDefaultAsync(o => o.Code == toOrgCode, ct);
        if (target is null)
        {
            errors["toOrgCode"] = ["Cần mã tổ chức đảng nơi chuyển đến đã có trong hệ thống."];
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        if (!member.Whole)
        {
            return Refusal.Forbidden;
        }
        if (!actor.CanSeeOrgPath(target!.Path))
        {
            return new Refusal(RefusalKind.Forbidden, "target_outside_scope",
                "Tổ chức nơi chuyển đến nằm ngoài phạm vi quản lý của bạn: việc chuyển sinh hoạt ra ngoài cần tổ chức nơi đến tiếp nhận.");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var open = await db.Placements.FirstOrDefaultAsync(p => p.MemberId == member.Id && p.Kind == PlacementKind.Official && p.ValidTo == null, ct);
        string? openCode = open is null ? null : await db.Orgs.Where(o => o.Id == open.OrgId).Select(o => o.Code).FirstAsync(ct);
        if (kind == PlacementKind.Official && open is not null)
        {
            if (open.OrgId == target.Id)
            {
                return Refusal.Conflict("already_there", "Đảng viên đang sinh hoạt chính thức tại tổ chức này.");
            }
            if (open.ValidFrom >= from)
            {
                return MoveOverlaps;
            }
            open.CloseOn(from);
        }
        db.Placements.Add(MemberPlacement.Open(member.Id, target.Id, kind, from, kind == PlacementKind.Temporary ? until : null, actor.Username, reference, now));
        audit.Add(db, actor, AuditEntry.Of(kind == PlacementKind.Official ? "member.move" : "member.move_temporary", "member", member.MemberNo,
            new { orgCode = openCode }, new { orgCode = target.Code, effectiveFrom = from, until, reference }, target.Path));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation or PostgresErrorCodes.SerializationFailure })
        {
            db.ChangeTracker.Clear();
            return MoveOverlaps;
        }
        catch (DbUpdateConcurrencyException)
        {
            db.ChangeTracker.Clear();
            return MoveOverlaps;
        }
        if (kind == PlacementKind.Official && from <= today)
        {
            await transfers.Apply([new MovedMember(member.Id, target.Id)], actor, ct);
        }
        await tx.CommitAsync(ct);
        return Done.Value;
    }

    private static Refusal MoveOverlaps =>
        Refusal.Conflict("move_overlaps", "Đã có lần chuyển sinh hoạt bắt đầu từ ngày này hoặc muộn hơn.");
}
