using System.Globalization;
using System.Text;
using Fees.Persistence.Ledger;

namespace Fees.Persistence.Database;

/// <summary>
/// Every row of a table kept by its organization sits in that organization's province: its <c>province_id</c> (the
/// distribution column on Citus) is the organization's. Reports of a subtree read only their province's rows
/// (<c>ReportQueries</c>), and on Citus a row in the wrong province is on the wrong worker, so a mismatch would silently
/// drop money from a province's books; the auditors see it here instead.
/// </summary>
public sealed class ProvinceKeysCheck : IAuditCheck
{
    public const string Name = "province-keys-follow-organizations";

    /// <summary>The distributed tables whose province is their <c>org_id</c>'s (the rest follow a member or a parent row).</summary>
    public static readonly IReadOnlyList<string> OrgKeyedTables =
    [
        "member_placements", "dues_statements", "dues_paid_by_org_month", "payment_requests", "receipts", "receipt_allocations", "payment_receipts",
        "payment_receipt_counters", "treasurer_actions", "ledger_entries", "ledger_postings", "ledger_balances",
        "period_closes", "period_close_waivers", "remittance_orders",
    ];

    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(run);
        return AuditCheckResult.Of(Name,
            "Every row kept by an organization carries that organization's province key (province_id).",
            await run.Violations(Sql(), ct));
    }

    /// <summary>One union: per table, the organizations (by code) that have rows under another province's key.</summary>
    public static string Sql()
    {
        var sb = new StringBuilder();
        foreach (string table in OrgKeyedTables)
        {
            if (sb.Length > 0)
            {
                sb.Append("\nunion all\n");
            }
            sb.Append(CultureInfo.InvariantCulture, $"""
                select '{table} rows under another province than their organization''s' as detail,
                       array_agg(distinct '{table}:' || o.code) as rows
                from {table} x join orgs o on o.id = x.org_id
                where x.province_id <> o.province_id and (@prefix = '' or starts_with(o.path, @prefix))
                having count(*) > 0
                """);
        }
        return sb.ToString();
    }
}
