using System.Data.Common;
using Fees.Domain.Accounts;
using Fees.Domain.Members;
using Fees.Domain.Outcomes;
using Fees.Domain.Text;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Fees.Persistence.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Fees.Persistence.Members;

/// <summary>A transfer request as the API and the pages show it.</summary>
public sealed record MemberTransferView(long Id, string MemberNo, string FullName, string FromOrgCode, string FromOrgName, string ToOrgCode, string ToOrgName,
    DateOnly EffectiveFrom, string? Reference, string Status, string StatusName, string RequestedBy, DateTimeOffset RequestedAt, string? DecidedBy,
    DateTimeOffset? DecidedAt, string? Reason, DateOnly? PlacedFrom);

/// <summary>One page of transfer requests, newest first, and how many there are in all.</summary>
public sealed record MemberTransferPage(int Total, int Page, IReadOnlyList<MemberTransferView> Items);

/// <summary>Which side of a transfer the caller reads: requests into their subtree, out of it, or both.</summary>
public enum TransferDirection
{
    Both,
    Incoming,
    Outgoing,
}

/// <summary>
/// Transfer requests (chuyển sinh hoạt đảng to an organization outside the sending office's subtree), in
/// <c>member_transfer_requests</c>: the sending side's office requests, the receiving side's office (whose scope covers
/// the target) accepts or rejects with a reason, the sender may withdraw it. Every status change is a compare-and-set on
/// the stored status, decided by <see cref="MemberTransferRequest"/>'s lifecycle, and audited in the same transaction;
/// acceptance places the member exactly as a move inside one subtree does (<see cref="MemberMoves.Place"/>, with the
/// same statement transfers). Until then nothing about the member changes.
/// </summary>
public sealed class MemberTransfers(FeesDbContext db, MemberMoves moves, AuditWriter audit, TimeProvider clock)
{
    public const int PageSize = 50;

    private const string Select = """
        select r.id, r.member_id, r.from_org_id, r.to_org_id, r.effective_from, r.reference, r.status, r.requested_by, r.requested_at,
               r.decided_by, r.decided_at, r.reason, r.placed_from,
               m.member_no, m.full_name, f.code, f.name, f.path, t.code, t.name, t.path
        from member_transfer_requests r
        join members m on m.id = r.member_id
        join orgs f on f.id = r.from_org_id
        join orgs t on t.id = r.to_org_id
        """;

    private sealed record Row(MemberTransferRequest Request, string MemberNo, string FullName, string FromCode, string FromName, string FromPath,
        string ToCode, string ToName, string ToPath)
    {
        public MemberTransferView View() => new(Request.Id, MemberNo, FullName, FromCode, FromName, ToCode, ToName, Request.EffectiveFrom, Request.Reference,
            Request.Status.ToCode(), Request.Status.ToVietnamese(), Request.RequestedBy, Request.RequestedAt, Request.DecidedBy, Request.DecidedAt,
            Request.Reason, Request.PlacedFrom);
    }

    /// <summary>
    /// The sending side asks the organization <paramref name="toOrgCode"/> (outside the caller's subtree) to take the
    /// member from <paramref name="effectiveFrom"/> (default today). One open request per member (the database's unique
    /// index: twenty identical calls make one).
    /// </summary>
    public async Task<Outcome<MemberTransferView>> Request(MemberInScope member, string? toOrgCode, DateOnly? effectiveFrom, string? reference, Actor actor,
        CancellationToken ct)
    {
        var today = VietnamTime.Today(clock);
        var errors = new Dictionary<string, string[]>();
        var from = effectiveFrom ?? today;
        if (from < Period.Containing(today).FirstDay)
        {
            errors["effectiveFrom"] = ["Ngày chuyển không được trước ngày đầu của tháng hiện tại: các kỳ đã qua giữ nguyên tổ chức thu đảng phí."];
        }
        string? decision = null;
        if (reference is not null && (decision = FreeText.Accept(reference, MemberMoves.MaxReferenceLength)) is null)
        {
            errors["reference"] = [$"Số, ký hiệu quyết định tối đa {MemberMoves.MaxReferenceLength} ký tự, không có ký tự điều khiển."];
        }
        var target = await moves.FindOrg(toOrgCode, ct);
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
        var open = await (from p in db.Placements.AsNoTracking()
                          join o in db.Orgs on p.OrgId equals o.Id
                          where p.MemberId == member.Id && p.Kind == PlacementKind.Official && p.ValidTo == null
                          select new { o.Id, o.Code, o.Path }).FirstOrDefaultAsync(ct);
        if (open is null)
        {
            return Refusal.Conflict("not_placed", "Đảng viên hiện không sinh hoạt chính thức tại tổ chức đảng nào.");
        }
        if (!actor.CanSeeOrgPath(open.Path))
        {
            return Refusal.Forbidden;
        }
        if (open.Id == target!.Id)
        {
            return Refusal.Conflict("already_there", "Đảng viên đang sinh hoạt chính thức tại tổ chức này.");
        }
        if (actor.CanSeeOrgPath(target.Path))
        {
            return Refusal.Rule("target_in_scope",
                "Tổ chức nơi chuyển đến thuộc phạm vi quản lý của bạn: ghi chuyển sinh hoạt trực tiếp (POST /api/members/{memberNo}/moves), không cần đề nghị tiếp nhận.");
        }

        var now = clock.GetUtcNow();
        var request = MemberTransferRequest.Request(member.Id, open.Id, target.Id, from, decision, actor.Username, now);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        long id;
        try
        {
            await using var insert = await Command("""
                insert into member_transfer_requests (province_id, member_id, from_org_id, to_org_id, effective_from, reference, status, requested_by, requested_at)
                values ((select province_id from orgs where id = @from_org), @member, @from_org, @to_org, @effective_from, @reference, @status, @by, @at)
                returning id
                """, ct);
            insert.Parameters.AddWithValue("member", request.MemberId);
            insert.Parameters.AddWithValue("from_org", request.FromOrgId);
            insert.Parameters.AddWithValue("to_org", request.ToOrgId);
            insert.Parameters.AddWithValue("effective_from", request.EffectiveFrom);
            insert.Parameters.AddWithValue("reference", (object?)request.Reference ?? DBNull.Value);
            insert.Parameters.AddWithValue("status", request.Status.ToCode());
            insert.Parameters.AddWithValue("by", request.RequestedBy);
            insert.Parameters.AddWithValue("at", request.RequestedAt);
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return Refusal.Conflict("transfer_already_requested",
                "Đảng viên đã có một đề nghị chuyển sinh hoạt đảng đang chờ tiếp nhận: chờ tổ chức nơi đến trả lời, hoặc rút đề nghị đó trước.");
        }
        audit.Add(db, actor, AuditEntry.Of("member_transfer.request", "member", member.MemberNo, null,
            new { requestId = id, fromOrgCode = open.Code, toOrgCode = target.Code, effectiveFrom = from, reference = decision }, open.Path));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await Find(id, ct))!.View();
    }

    /// <summary>Requests into (<see cref="TransferDirection.Incoming"/>) or out of the caller's subtree, newest first, 50 a page.</summary>
    public async Task<MemberTransferPage> List(Actor actor, TransferDirection direction, MemberTransferStatus? status, int page, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        string side = direction switch
        {
            TransferDirection.Incoming => "starts_with(t.path, @scope)",
            TransferDirection.Outgoing => "starts_with(f.path, @scope)",
            _ => "(starts_with(t.path, @scope) or starts_with(f.path, @scope))",
        };
        await using var cmd = await Command($"""
            with found as ({Select} where {side} and (@status::text is null or r.status = @status))
            select *, count(*) over () from found order by requested_at desc, id desc offset @offset limit @limit
            """, ct);
        cmd.Parameters.AddWithValue("scope", actor.ScopePrefix);
        cmd.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = (object?)status?.ToCode() ?? DBNull.Value });
        cmd.Parameters.AddWithValue("offset", (long)(page - 1) * PageSize);
        cmd.Parameters.AddWithValue("limit", PageSize);
        var items = new List<MemberTransferView>();
        int total = 0;
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                items.Add(Read(r).View());
                total = (int)r.GetInt64(21);
            }
        }
        if (items.Count == 0 && page > 1)
        {
            // Past the last page: still say how many there are.
            await using var count = await Command($"select count(*) from ({Select} where {side} and (@status::text is null or r.status = @status)) c", ct);
            count.Parameters.AddWithValue("scope", actor.ScopePrefix);
            count.Parameters.Add(new NpgsqlParameter("status", NpgsqlDbType.Text) { Value = (object?)status?.ToCode() ?? DBNull.Value });
            total = (int)(long)(await count.ExecuteScalarAsync(ct))!;
        }
        return new MemberTransferPage(total, page, items);
    }

    /// <summary>One request, to either side (sending or receiving subtree), else 404/403.</summary>
    public async Task<Outcome<MemberTransferView>> Get(long id, Actor actor, CancellationToken ct)
    {
        var row = await Find(id, ct);
        if (row is null)
        {
            return NotFound;
        }
        return actor.CanSeeOrgPath(row.FromPath) || actor.CanSeeOrgPath(row.ToPath) ? row.View() : Refusal.Forbidden;
    }

    /// <summary>
    /// The receiving side accepts: in one transaction the request becomes accepted (compare-and-set: of twenty concurrent
    /// acceptances one wins, the others get 409) and the member is placed at the receiving organization from the day
    /// asked (or today, when accepted later), with the same consequences as a move inside one subtree.
    /// </summary>
    public async Task<Outcome<MemberTransferView>> Accept(long id, Actor actor, CancellationToken ct)
    {
        var row = await Find(id, ct);
        if (row is null)
        {
            return NotFound;
        }
        if (!actor.CanSeeOrgPath(row.ToPath))
        {
            return ReceivingSideOnly;
        }
        var request = row.Request;
        if (!request.CanAccept)
        {
            return NotOpen(request);
        }
        var target = await db.Orgs.AsNoTracking().FirstAsync(o => o.Id == request.ToOrgId, ct);
        var today = VietnamTime.Today(clock);
        var now = clock.GetUtcNow();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        request.Accept(actor.Username, today, now);
        if (!await CompareAndSet(request, ct))
        {
            return NotOpen(request);
        }
        // The member must still be where the request found them (a move inside the sending subtree since then voids it).
        long? openOrg = await db.Placements.Where(p => p.MemberId == request.MemberId && p.Kind == PlacementKind.Official && p.ValidTo == null)
            .Select(p => (long?)p.OrgId).FirstOrDefaultAsync(ct);
        if (openOrg != request.FromOrgId)
        {
            return Refusal.Conflict("member_moved_since",
                $"Đảng viên không còn sinh hoạt tại {row.FromName} như khi đề nghị: tổ chức nơi đi cần rút đề nghị này và gửi đề nghị mới.");
        }
        var placed = await moves.Place(request.MemberId, row.MemberNo, target, PlacementKind.Official, request.PlacedFrom!.Value, null, request.Reference, actor, ct);
        if (!placed.Succeeded)
        {
            return placed.Refusal;
        }
        audit.Add(db, actor, AuditEntry.Of("member_transfer.accept", "member", row.MemberNo,
            new { requestId = request.Id, status = MemberTransferStatus.Requested.ToCode() },
            new { requestId = request.Id, status = request.Status.ToCode(), fromOrgCode = row.FromCode, toOrgCode = row.ToCode, placedFrom = request.PlacedFrom },
            row.ToPath));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await Find(id, ct))!.View();
    }

    /// <summary>The receiving side refuses, saying why (required); nothing about the member changes.</summary>
    public async Task<Outcome<MemberTransferView>> Reject(long id, string? reason, Actor actor, CancellationToken ct)
    {
        string? why = FreeText.Accept(reason, MemberTransferRequest.MaxReasonLength);
        if (why is null)
        {
            return Refusal.Field("reason", $"Cần ghi lý do không tiếp nhận, tối đa {MemberTransferRequest.MaxReasonLength} ký tự, không có ký tự điều khiển.");
        }
        return await Decide(id, actor, row => row.ToPath, ReceivingSideOnly, r => r.CanReject, (r, now) => r.Reject(actor.Username, why, now),
            "member_transfer.reject", ct);
    }

    /// <summary>The sending side withdraws its request before an answer (a reason is optional); nothing about the member changes.</summary>
    public async Task<Outcome<MemberTransferView>> Cancel(long id, string? reason, Actor actor, CancellationToken ct)
    {
        string? why = null;
        if (reason is not null && (why = FreeText.Accept(reason, MemberTransferRequest.MaxReasonLength)) is null)
        {
            return Refusal.Field("reason", $"Lý do rút đề nghị tối đa {MemberTransferRequest.MaxReasonLength} ký tự, không có ký tự điều khiển.");
        }
        var sendingSideOnly = new Refusal(RefusalKind.Forbidden, "sending_side_only", "Chỉ tổ chức nơi đi (đã gửi đề nghị) mới rút được đề nghị chuyển sinh hoạt đảng.");
        return await Decide(id, actor, row => row.FromPath, sendingSideOnly, r => r.CanCancel, (r, now) => r.Cancel(actor.Username, why, now),
            "member_transfer.cancel", ct);
    }

    private async Task<Outcome<MemberTransferView>> Decide(long id, Actor actor, Func<Row, string> sidePath, Refusal wrongSide,
        Func<MemberTransferRequest, bool> can, Action<MemberTransferRequest, DateTimeOffset> decide, string auditAction, CancellationToken ct)
    {
        var row = await Find(id, ct);
        if (row is null)
        {
            return NotFound;
        }
        if (!actor.CanSeeOrgPath(sidePath(row)))
        {
            return wrongSide;
        }
        var request = row.Request;
        if (!can(request))
        {
            return NotOpen(request);
        }
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        decide(request, clock.GetUtcNow());
        if (!await CompareAndSet(request, ct))
        {
            return NotOpen(request);
        }
        audit.Add(db, actor, AuditEntry.Of(auditAction, "member", row.MemberNo,
            new { requestId = request.Id, status = MemberTransferStatus.Requested.ToCode() },
            new { requestId = request.Id, status = request.Status.ToCode(), fromOrgCode = row.FromCode, toOrgCode = row.ToCode, reason = request.Reason },
            sidePath(row)));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return (await Find(id, ct))!.View();
    }

    /// <summary>Stores the request's new status and decision, only if it is still requested (the row is locked by the update).</summary>
    private async Task<bool> CompareAndSet(MemberTransferRequest request, CancellationToken ct)
    {
        await using var update = await Command("""
            update member_transfer_requests
            set status = @status, decided_by = @by, decided_at = @at, reason = @reason, placed_from = @placed
            where id = @id and status = @requested
            """, ct);
        update.Parameters.AddWithValue("id", request.Id);
        update.Parameters.AddWithValue("status", request.Status.ToCode());
        update.Parameters.AddWithValue("by", (object?)request.DecidedBy ?? DBNull.Value);
        update.Parameters.AddWithValue("at", (object?)request.DecidedAt ?? DBNull.Value);
        update.Parameters.AddWithValue("reason", (object?)request.Reason ?? DBNull.Value);
        update.Parameters.Add(new NpgsqlParameter("placed", NpgsqlDbType.Date) { Value = (object?)request.PlacedFrom ?? DBNull.Value });
        update.Parameters.AddWithValue("requested", MemberTransferStatus.Requested.ToCode());
        return await update.ExecuteNonQueryAsync(ct) == 1;
    }

    private async Task<Row?> Find(long id, CancellationToken ct)
    {
        await using var cmd = await Command(Select + " where r.id = @id", ct);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? Read(r) : null;
    }

    private static Row Read(DbDataReader r)
    {
        if (!MemberTransferStatusCodes.TryParse(r.GetString(6), out var status))
        {
            throw new InvalidOperationException($"Transfer request {r.GetInt64(0)} has the unknown status '{r.GetString(6)}'.");
        }
        var request = MemberTransferRequest.Restore(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetFieldValue<DateOnly>(4),
            r.IsDBNull(5) ? null : r.GetString(5), status, r.GetString(7), r.GetFieldValue<DateTimeOffset>(8), r.IsDBNull(9) ? null : r.GetString(9),
            r.IsDBNull(10) ? null : r.GetFieldValue<DateTimeOffset>(10), r.IsDBNull(11) ? null : r.GetString(11),
            r.IsDBNull(12) ? null : r.GetFieldValue<DateOnly>(12));
        return new Row(request, r.GetString(13), r.GetString(14), r.GetString(15), r.GetString(16), r.GetString(17), r.GetString(18), r.GetString(19),
            r.GetString(20));
    }

    /// <summary>A command on the DbContext's connection, inside its current transaction when there is one.</summary>
    private async Task<NpgsqlCommand> Command(string sql, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        return new NpgsqlCommand(sql, (NpgsqlConnection)db.Database.GetDbConnection())
        {
            Transaction = (NpgsqlTransaction?)db.Database.CurrentTransaction?.GetDbTransaction(),
        };
    }

    private static Refusal NotFound => Refusal.NotFound("đề nghị chuyển sinh hoạt đảng");

    private static Refusal ReceivingSideOnly =>
        new(RefusalKind.Forbidden, "receiving_side_only", "Chỉ tổ chức nơi đến (phạm vi quản lý bao gồm tổ chức đó) mới tiếp nhận hoặc từ chối được đề nghị này.");

    private static Refusal NotOpen(MemberTransferRequest request) =>
        Refusal.Conflict("transfer_not_open",
            "Đề nghị chuyển sinh hoạt đảng này không còn chờ tiếp nhận (đã được tiếp nhận, từ chối hoặc rút).",
            new Dictionary<string, object?> { ["requestId"] = request.Id });
}
