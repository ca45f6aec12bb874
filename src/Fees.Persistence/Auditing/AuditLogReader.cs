using Fees.Domain.Accounts;
using Microsoft.EntityFrameworkCore;

namespace Fees.Persistence.Auditing;

/// <summary>What to read from the audit log; every part is optional. <see cref="To"/> is exclusive.</summary>
public sealed record AuditLogFilter(string? TargetType = null, string? TargetId = null, string? Action = null,
    DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>One page of the audit log, newest first; <see cref="HasMore"/> when an older page follows.</summary>
public sealed record AuditLogPage(IReadOnlyList<AuditRecord> Records, int Page, int PageSize, bool HasMore);

/// <summary>
/// Reads the audit log within the reader's scope: an auditor reads the records about their subtree (by the record's
/// organization path), an admin reads all. A read changes nothing.
/// </summary>
public sealed class AuditLogReader(FeesDbContext db)
{
    /// <summary>The records <paramref name="actor"/> may read that match <paramref name="filter"/>, untracked and unordered.</summary>
    public IQueryable<AuditRecord> Visible(Actor actor, AuditLogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(filter);
        var records = db.AuditLog.AsNoTracking();
        if (!actor.IsAdmin)
        {
            string prefix = actor.ScopePrefix;
            records = records.Where(a => a.OrgPath != null && a.OrgPath.StartsWith(prefix));
        }
        if (filter.TargetType is { } targetType)
        {
            records = records.Where(a => a.TargetType == targetType);
        }
        if (filter.TargetId is { } targetId)
        {
            records = records.Where(a => a.TargetId == targetId);
        }
        if (filter.Action is { } action)
        {
            records = records.Where(a => a.Action == action);
        }
        // PostgreSQL takes timestamptz parameters in UTC only; an instant given in Vietnam time (+07:00) is the same instant.
        if (filter.From?.ToUniversalTime() is { } from)
        {
            records = records.Where(a => a.At >= from);
        }
        if (filter.To?.ToUniversalTime() is { } to)
        {
            records = records.Where(a => a.At < to);
        }
        return records;
    }

    /// <summary>Page <paramref name="page"/> (from 1) of <paramref name="pageSize"/> records, newest first.</summary>
    public async Task<AuditLogPage> Page(Actor actor, AuditLogFilter filter, int page, int pageSize, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(page, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var rows = await Visible(actor, filter)
            .OrderByDescending(a => a.Id)
            .Skip(checked((page - 1) * pageSize))
            .Take(pageSize + 1)
            .ToListAsync(ct);
        bool hasMore = rows.Count > pageSize;
        return new AuditLogPage(hasMore ? rows.GetRange(0, pageSize) : rows, page, pageSize, hasMore);
    }
}
