using Fees.Domain.Accounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
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
        if (reference is { Length: > MaxReferenceLength } || (reference is not null && reference.Any(char.IsControl)))
        {
            errors["reference"] = [$"Số, ký hiệu quyết định tối đa {MaxReferenceLength} ký tự, không có ký tự điều khiển."];
        }
        var target = await FindOrg(toOrgCode, ct);
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
                "Tổ chức nơi chuyển đến nằm ngoài phạm vi quản lý của bạn: việc chuyển sinh hoạt ra ngoài cần tổ chức nơi đến tiếp nhận "
                + "(gửi đề nghị chuyển sinh hoạt đảng: POST /api/members/{memberNo}/transfer-requests).");
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var placed = await Place(member.Id, member.MemberNo, target, kind, from, until, reference, actor, ct);
        if (!placed.Succeeded)
        {
            return placed; // the transaction rolls back as it is disposed
        }
        await tx.CommitAsync(ct);
        return Done.Value;
    }

    /// <summary>
    /// Places the member in <paramref name="target"/> from <paramref name="from"/>, inside the caller's transaction: an
    /// official move closes the open official placement; the move and its audit record are saved; a move in force today
    /// takes the unpaid dues along (<see cref="StatementTransfers"/>). Used by a move inside one subtree and by an accepted
    /// transfer request alike, so both have the same consequences. On a refusal the caller rolls back.
    /// </summary>
    internal async Task<Outcome<Done>> Place(long memberId, string memberNo, OrgUnit target, PlacementKind kind, DateOnly from, DateOnly? until,
        string? reference, Actor actor, CancellationToken ct)
    {
        var today = VietnamTime.Today(clock);
        var now = clock.GetUtcNow();
        var open = await db.Placements.FirstOrDefaultAsync(p => p.MemberId == memberId && p.Kind == PlacementKind.Official && p.ValidTo == null, ct);
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
        db.Placements.Add(MemberPlacement.Open(memberId, target.Id, kind, from, kind == PlacementKind.Temporary ? until : null, actor.Username, reference, now));
        audit.Add(db, actor, AuditEntry.Of(kind == PlacementKind.Official ? "member.move" : "member.move_temporary", "member", memberNo,
            new { orgCode = openCode }, new { orgCode = target.Code, effectiveFrom = from, until, reference }, target.Path));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.ExclusionViolation or PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.SerializationFailure })
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
            await transfers.Apply([new MovedMember(memberId, target.Id)], actor, ct);
        }
        return Done.Value;
    }

    /// <summary>The organization a request names by code, or null when the code is absent, malformed or unknown.</summary>
    internal Task<OrgUnit?> FindOrg(string? code, CancellationToken ct) =>
        code is null || !OrgCodes.IsWellFormed(code)
            ? Task.FromResult<OrgUnit?>(null)
            : db.Orgs.AsNoTracking().FirstOrDefaultAsync(o => o.Code == code, ct);

    private static Refusal MoveOverlaps =>
        Refusal.Conflict("move_overlaps", "Đã có lần chuyển sinh hoạt bắt đầu từ ngày này hoặc muộn hơn.");
}
