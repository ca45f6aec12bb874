using Fees.Domain.Accounts;

namespace Fees.Persistence.Auditing;

/// <summary>
/// Records an action that changes nothing but the audit log, such as an auditor's run of the fee laws
/// (<c>rule_checks.run</c>): its record alone, written and committed at once through <see cref="AuditWriter"/>.
/// Insert-only, so any number of identical concurrent calls each leave their own record.
/// </summary>
public sealed class AuditedActions(FeesDbContext db, AuditWriter audit)
{
    public async Task Record(Actor actor, AuditEntry entry, CancellationToken ct)
    {
        audit.Add(db, actor, entry);
        await db.SaveChangesAsync(ct);
    }
}
