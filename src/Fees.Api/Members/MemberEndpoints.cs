using Fees.Api.Accounts;
using Fees.Api.Audit;
using Fees.Api.Database;
using Fees.Api.Hosting;
using Fees.Api.Organizations;
using Fees.Domain.Members;
using Fees.Domain.Time;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Members;

public sealed record MemberListItem(string MemberNo, string FullName, string Status, string Category, string? OrgCode, string? OrgName);
public sealed record PlacementView(string OrgCode, string OrgName, string Kind, DateOnly ValidFrom, DateOnly? ValidTo, string RecordedBy, string? Reference);
public sealed record MemberView(string MemberNo, string FullName, string Status, string Category, string CategoryName, DateOnly BirthDate, string Sex,
    DateOnly PartyJoinedOn, string? OrgCode, string? OrgName, IReadOnlyList<PlacementView> History);
public sealed record MoveRequest(string? ToOrgCode, string? Kind, DateOnly? EffectiveFrom, DateOnly? Until, string? Reference);

public static class MemberEndpoints
{
    public static void MapMembers(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/members").RequireAuthorization();
        group.MapGet("", Search).RequireAuthorization(Policies.Staff);
        group.MapGet("/{memberNo}", Get);
        group.MapPost("/{memberNo}/moves", Move).RequireAuthorization(Policies.Importers);
    }

    private static async Task<IResult> Search(string? q, int? page, HttpContext http, FeesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        var today = VietnamTime.Today(clock);
        var members = MemberLists.Search(db.Members.AsNoTracking().Visible(db, user, today), q);
        int total = await members.CountAsync(ct);
        int p = Math.Max(page ?? 1, 1);
        var items = await MemberLists.Page(members, p, db, today).ToListAsync(ct);
        return Results.Ok(new { total, page = p, items });
    }

    private static async Task<IResult> Get(string memberNo, HttpContext http, FeesDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        var today = VietnamTime.Today(clock);
        var member = await db.Members.AsNoTracking().FirstOrDefaultAsync(m => m.MemberNo == memberNo, ct);
        if (member is null)
        {
            return Problems.NotFound("đảng viên");
        }
        if (!await db.Members.Visible(db, user, today).AnyAsync(m => m.Id == member.Id, ct))
        {
            return Problems.Forbidden();
        }
        var history = await (
            from p in db.Placements.AsNoTracking()
            join o in db.Orgs on p.OrgId equals o.Id
            where p.MemberId == member.Id
            orderby p.ValidFrom descending, p.Id descending
            select new { p, o.Code, o.Name }).ToListAsync(ct);
        var current = history.FirstOrDefault(h => h.p.Kind == PlacementKind.Official && h.p.ValidFrom <= today && (h.p.ValidTo == null || h.p.ValidTo > today));
        return Results.Ok(new MemberView(member.MemberNo, member.FullName, member.Status.ToCode(), member.Category.ToCode(), member.Category.ToVietnamese(),
            member.BirthDate, member.Sex.ToCode(), member.PartyJoinedOn, current?.Code, current?.Name,
            history.Select(h => new PlacementView(h.Code, h.Name, h.p.Kind == PlacementKind.Official ? "official" : "temporary",
                h.p.ValidFrom, h.p.ValidTo, h.p.RecordedBy, h.p.Reference)).ToList()));
    }

    /// <summary>
    /// Records a move (chuyển sinh hoạt đảng) effective from a date: official moves close the current official
    /// placement and open a new one; temporary activity elsewhere opens a bounded placement beside it.
    /// The dues of a period belong to where the member is on its first day.
    /// </summary>
    private static async Task<IResult> Move(string memberNo, MoveRequest request, HttpContext http, FeesDbContext db, AuditTrail audit, TimeProvider clock, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        var today = VietnamTime.Today(clock);
        var errors = new Dictionary<string, string[]>();
        var kind = request.Kind switch { "official" or null => PlacementKind.Official, "temporary" => PlacementKind.Temporary, _ => (PlacementKind?)null };
        if (kind is null)
        {
            errors["kind"] = ["Hình thức chuyển phải là official (chính thức) hoặc temporary (tạm thời)."];
        }
        var from = request.EffectiveFrom ?? today;
        if (from < Period.Containing(today).FirstDay)
        {
            errors["effectiveFrom"] = ["Ngày chuyển không được trước ngày đầu của tháng hiện tại: các kỳ đã qua giữ nguyên tổ chức thu đảng phí."];
        }
        if (kind == PlacementKind.Temporary && (request.Until is null || request.Until <= from))
        {
            errors["until"] = ["Sinh hoạt tạm thời cần ngày kết thúc sau ngày bắt đầu."];
        }
        var target = string.IsNullOrWhiteSpace(request.ToOrgCode) ? null : await db.Orgs.FirstOrDefaultAsync(o => o.Code == request.ToOrgCode, ct);
        if (target is null)
        {
            errors["toOrgCode"] = ["Cần mã tổ chức đảng nơi chuyển đến đã có trong hệ thống."];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        var member = await db.Members.FirstOrDefaultAsync(m => m.MemberNo == memberNo, ct);
        if (member is null)
        {
            return Problems.NotFound("đảng viên");
        }
        if (!await db.Members.Visible(db, user, today).AnyAsync(m => m.Id == member.Id, ct))
        {
            return Problems.Forbidden();
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = clock.GetUtcNow();
        var open = await db.Placements.Where(p => p.MemberId == member.Id && p.Kind == PlacementKind.Official && p.ValidTo == null)
            .Join(db.Orgs, p => p.OrgId, o => o.Id, (p, o) => new { p, o.Code }).FirstOrDefaultAsync(ct);
        if (kind == PlacementKind.Official)
        {
            if (open is not null && open.p.OrgId == target!.Id)
            {
                return Problems.Conflict("already_there", "Đảng viên đang sinh hoạt chính thức tại tổ chức này.");
            }
            if (open is not null && open.p.ValidFrom >= from)
            {
                return Problems.Conflict("move_overlaps", "Đã có lần chuyển sinh hoạt bắt đầu từ ngày này hoặc muộn hơn.");
            }
            if (open is not null)
            {
                open.p.ValidTo = from;
            }
        }
        db.Placements.Add(new MemberPlacement
        {
            MemberId = member.Id, OrgId = target!.Id, Kind = kind!.Value, ValidFrom = from,
            ValidTo = kind == PlacementKind.Temporary ? request.Until : null,
            RecordedAt = now, RecordedBy = user.Username, Reference = request.Reference,
        });
        audit.Record(user, kind == PlacementKind.Official ? "member.move" : "member.move_temporary", "member", member.MemberNo,
            new { orgCode = open?.Code }, new { orgCode = target.Code, effectiveFrom = from, until = request.Until, request.Reference }, target.Path);
        await db.SaveChangesAsync(ct);
        if (kind == PlacementKind.Official && from <= today)
        {
            await Dues.StatementTransfers.Apply((Npgsql.NpgsqlConnection)db.Database.GetDbConnection(),
                "select @member::bigint as member_id, @org::bigint as new_org_id", user, http.TraceIdentifier, now, ct,
                ("member", member.Id), ("org", target.Id));
        }
        await tx.CommitAsync(ct);
        return Results.NoContent();
    }
}

internal static class MemberLists
{
    public static IQueryable<Member> Search(IQueryable<Member> members, string? q)
    {
        if (string.IsNullOrWhiteSpace(q))
        {
            return members;
        }
        string pattern = "%" + OrganizationEndpoints.EscapeLike(q.Trim()) + "%";
        return members.Where(m => EF.Functions.ILike(m.MemberNo, pattern) || EF.Functions.ILike(m.FullName, pattern));
    }

    public static IQueryable<MemberListItem> Page(IQueryable<Member> members, int page, FeesDbContext db, DateOnly today) =>
        from m in members.OrderBy(m => m.FullName).ThenBy(m => m.MemberNo).Skip((page - 1) * 50).Take(50)
        let placement = db.Placements.InForce(today).Where(p => p.MemberId == m.Id && p.Kind == PlacementKind.Official).FirstOrDefault()
        let org = db.Orgs.FirstOrDefault(o => placement != null && o.Id == placement.OrgId)
        select new MemberListItem(m.MemberNo, m.FullName, m.Status.ToCode(), m.Category.ToCode(), org == null ? null : org.Code, org == null ? null : org.Name);
}
