using System.Globalization;
using System.Text;
using Fees.Persistence.Ledger;

namespace Fees.Persistence.Database;

/// <summary>
/// The references that are not foreign keys because they may cross provinces (<see cref="Distribution.SoftReferences"/>:
/// a member who moved, the centre's close taking in the provinces', a bank line in another province's account) still
/// name a row: what a foreign key promised before the schema followed Citus's rules, checked by the auditors instead.
/// </summary>
public sealed class DistributedReferencesCheck : IAuditCheck
{
    public const string Name = "distributed-references-resolve";

    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        return AuditCheckResult.Of(Name,
            "Every reference that may cross provinces (and so is not a foreign key on Citus) names a row that exists (a statement, in the same period).",
            await run.Violations(Sql(), ct));
    }

    /// <summary>One union: per soft reference, the rows whose value names nothing (in a subtree's audit, only rows of its organizations).</summary>
    public static string Sql()
    {
        var sb = new StringBuilder();
        foreach (var r in Distribution.SoftReferences)
        {
            if (sb.Length > 0)
            {
                sb.Append("\nunion all\n");
            }
            string scope = ScopeOf(r.Table);
            sb.Append(CultureInfo.InvariantCulture, $"""
                select '{r.Table}.{r.Column} names no {r.Target} row{(r.SamePeriod ? " of its period" : "")}' as detail, array_agg('{r.Table}:' || x.{r.Column} order by x.{r.Column}) as rows
                from {r.Table} x
                where x.{r.Column} is not null{scope}
                  and not exists (select 1 from {r.Target} t where t.id = x.{r.Column}{(r.SamePeriod ? " and t.period = x.period" : "")})
                having count(*) > 0
                """);
        }
        return sb.ToString();
    }

    private static string ScopeOf(string table) => table switch
    {
        "member_transfer_requests" => " and (@prefix = '' or x.from_org_id in (select id from orgs_in_subtree(@prefix)))",
        "users" or "receipts" or "receipt_allocations" or "payment_receipts" or "payment_requests" or "dues_statements" or "member_placements"
            or "remittance_orders" => " and (@prefix = '' or x.org_id in (select id from orgs_in_subtree(@prefix)))",
        "period_close_children" => " and (@prefix = '' or exists (select 1 from period_closes p where p.id = x.parent_close_id and p.org_id in (select id from orgs_in_subtree(@prefix))))",
        _ => " and @prefix = ''", // member-keyed rows have no organization of their own: the national audit checks them
    };
}
