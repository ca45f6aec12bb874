using System.Globalization;
using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Persistence.Auditing;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Audit;

public sealed record AuditView(long Id, DateTimeOffset At, string Actor, string ActorRole, string Action, string TargetType, string TargetId,
    System.Text.Json.JsonElement? Before, System.Text.Json.JsonElement? After, string? RequestId);

public static class AuditEndpoints
{
    public static void MapAudit(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/audit", Read).RequireAuthorization(Policies.Auditors);
        app.MapGet("/api/audit/access", ReadAccess).RequireAuthorization(Policies.Auditors).ProducesProblems(400);
    }

    /// <summary>The audit log, newest first. An auditor reads the records about their subtree; an admin reads all.</summary>
    private static async Task<Ok<List<AuditView>>> Read(string? targetType, string? targetId, string? action, DateTimeOffset? from, DateTimeOffset? to, int? limit,
        Actor user, AuditLogReader reader, CancellationToken ct)
    {
        var records = reader.Visible(user, new AuditLogFilter(targetType, targetId, action, from, to));
        int take = Math.Clamp(limit ?? 100, 1, 1000);
        var rows = await records.OrderByDescending(a => a.Id).Take(take).ToListAsync(ct);
        return TypedResults.Ok(rows.Select(a => new AuditView(a.Id, a.At, a.Actor, a.ActorRole, a.Action, a.TargetType, a.TargetId,
            a.Before?.RootElement.Clone(), a.After?.RootElement.Clone(), a.RequestId)).ToList());
    }

    /// <summary>
    /// The access trace, newest first: who read which member's records, exported what, signed in or tried to. An auditor
    /// reads the rows about their subtree; an admin reads all. <c>from</c> and <c>to</c> are instants with an offset
    /// (<c>2026-12-02T10:00:00+07:00</c>); <c>limit</c> 1–1,000, default 100.
    /// </summary>
    private static async Task<Results<Ok<IReadOnlyList<AccessTraceRow>>, ProblemHttpResult>> ReadAccess(string? member, string? user, string? action,
        string? from, string? to, string? limit, Actor actor, AccessTraceQuery trace, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (member is not null && (member.Length is 0 or > 20 || !member.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')))
        {
            errors["member"] = ["Số thẻ đảng viên có tối đa 20 ký tự: chữ số, chữ cái, dấu chấm hoặc gạch ngang."];
        }
        if (user is not null && (user.Length is 0 or > 100 || user.Any(char.IsControl)))
        {
            errors["user"] = ["Tên đăng nhập có từ 1 đến 100 ký tự."];
        }
        if (action is not null && (action.Length is 0 or > 50 || !action.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_')))
        {
            errors["action"] = ["Mã thao tác có tối đa 50 ký tự: chữ thường, chữ số, dấu chấm hoặc gạch dưới (ví dụ statements.read)."];
        }
        var fromInstant = Instant(from, "from", errors);
        var toInstant = Instant(to, "to", errors);
        if (fromInstant is not null && toInstant is not null && toInstant <= fromInstant)
        {
            errors["to"] = ["Thời điểm kết thúc phải sau thời điểm bắt đầu."];
        }
        int take = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out take) || take is < 1 or > AccessTraceQuery.MaxLimit))
        {
            errors["limit"] = [$"Số dòng phải là số nguyên từ 1 đến {AccessTraceQuery.MaxLimit}."];
        }
        if (errors.Count > 0)
        {
            return Problems.Validation(errors);
        }
        var rows = await trace.Read(new AccessTraceFilter(member, user, action, fromInstant, toInstant, take), actor, ct);
        return TypedResults.Ok(rows);
    }

    /// <summary>An instant: ISO 8601 with <c>Z</c> or an offset (a time without one would be ambiguous).</summary>
    private static DateTimeOffset? Instant(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (text is null)
        {
            return null;
        }
        if (text.Length <= 40
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
            && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var local) && local.Kind != DateTimeKind.Unspecified)
        {
            return instant;
        }
        errors[field] = ["Thời điểm phải theo ISO 8601 kèm múi giờ, ví dụ 2026-12-02T10:00:00+07:00 hoặc 2026-12-02T03:00:00Z."];
        return null;
    }
}
