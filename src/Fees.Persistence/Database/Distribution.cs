using System.Globalization;
using System.Text;

namespace Fees.Persistence.Database;

/// <summary>How a table is placed when the database is spread over Citus workers (issue 12 §4–5).</summary>
public enum Placement
{
    /// <summary>Sharded by <c>province_id</c>; all such tables are co-located (one colocation group).</summary>
    Distributed,
    /// <summary>Small or rarely written: a full copy on every worker, so any shard can join it locally.</summary>
    Reference,
    /// <summary>Stays on the coordinator only (bookkeeping of the service itself, not of the party's money).</summary>
    Local,
}

/// <summary>
/// A column that names a row of a distributed table in possibly another province, so it cannot be a foreign key on
/// Citus. The audit check <c>distributed-references-resolve</c> proves every such value still names a row.
/// </summary>
/// <remarks>
/// <see cref="SamePeriod"/>: the row and the row it names carry the same <c>period</c>. Both tables are partitioned by
/// period and the keys that say "once" include it (an allocation is for its statement's period; a continuation keeps the
/// period of the statement it continues), so the audit proves the periods match, not only that the row exists.
/// </remarks>
public sealed record SoftReference(string Table, string Column, string Target, string Why, bool SamePeriod = false);

/// <summary>
/// The one place that says where every table of the schema lives on Citus. <c>CitusRulesTests</c> reads
/// PostgreSQL's catalog and fails when a table is missing here, named here but gone, or breaks the rules of its
/// placement: a distributed table has a NOT NULL <c>province_id</c>, every primary key and unique key includes it, and a
/// foreign key between distributed tables names <c>province_id</c> on both sides; a reference table never points at a
/// distributed one. <see cref="CitusScript"/> prints the calls that move the database onto Citus.
/// </summary>
/// <remarks>
/// <para>Tables partitioned by period (<see cref="PeriodPartitions.Tables"/>) are placed as their parent: a partition
/// (<c>pg_class.relispartition</c>) belongs to its parent's placement, the rules hold on the parent (whose keys carry
/// both <c>province_id</c> and <c>period</c>), and Citus distributes a partitioned parent, partitions included, with the
/// same <c>create_distributed_table</c> call.</para>
/// <para>The province key is the id of the organization's province-level ancestor (<c>orgs.province_id</c>, derived from
/// <c>orgs.province_code</c>); the Central Committee and the bodies directly under it are in their own key, the central
/// organization's id. <see cref="NoProvince"/> (0) holds rows that have no organization yet: a member imported before any
/// placement, an audit record or access trace of a national action, a bank line into an account no organization owns.</para>
/// <para>Organizations are a reference table: 300k rows of a few hundred bytes (≈ 100 MB per worker) written only by
/// imports, while every distributed table joins them for scope (<c>path</c>) and for the rules. Keeping them replicated
/// makes those joins local on every worker and lets <c>parent_org_id</c> (a province remitting to the centre) stay a
/// foreign key.</para>
/// </remarks>
public static class Distribution
{
    /// <summary>The distribution column of every distributed table.</summary>
    public const string Column = "province_id";

    /// <summary>The key of rows without an organization.</summary>
    public const long NoProvince = 0;

    /// <summary>The table every distributed table is co-located with on Citus.</summary>
    public const string ColocationAnchor = "members";

    /// <summary>Every table of the <c>public</c> schema and where it lives. Hangfire's own schema is <see cref="Placement.Local"/> as a whole.</summary>
    public static readonly IReadOnlyDictionary<string, Placement> Tables = new Dictionary<string, Placement>(StringComparer.Ordinal)
    {
        // Members and what hangs off them: sharded by the member's current province.
        ["members"] = Placement.Distributed,
        ["member_placements"] = Placement.Distributed,
        ["member_transfer_requests"] = Placement.Distributed,
        ["income_records"] = Placement.Distributed,
        ["income_declarations"] = Placement.Distributed,
        ["fee_decisions"] = Placement.Distributed,
        ["voluntary_amounts"] = Placement.Distributed,
        // Dues, collection and the bank: sharded by the organization's province.
        ["dues_statements"] = Placement.Distributed,
        ["statement_cancellations"] = Placement.Distributed,
        ["dues_paid_by_org_month"] = Placement.Distributed,
        ["payment_requests"] = Placement.Distributed,
        ["bank_transactions"] = Placement.Distributed,
        ["receipts"] = Placement.Distributed,
        ["receipt_allocations"] = Placement.Distributed,
        ["treasurer_actions"] = Placement.Distributed,
        ["payment_receipts"] = Placement.Distributed,
        ["payment_receipt_counters"] = Placement.Distributed,
        // The books.
        ["ledger_entries"] = Placement.Distributed,
        ["ledger_postings"] = Placement.Distributed,
        ["ledger_balances"] = Placement.Distributed,
        ["ledger_sources"] = Placement.Distributed,
        // Closing and remittance.
        ["period_closes"] = Placement.Distributed,
        ["period_close_children"] = Placement.Distributed,
        ["period_close_waivers"] = Placement.Distributed,
        ["remittance_orders"] = Placement.Distributed,
        // Who did what.
        ["audit_log"] = Placement.Distributed,
        ["access_trace"] = Placement.Distributed,

        // Replicated: the tree, accounts, the rules and the status tables the triggers read.
        ["orgs"] = Placement.Reference,
        ["member_numbers"] = Placement.Reference,
        ["receipt_signing_keys"] = Placement.Reference,
        ["users"] = Placement.Reference,
        ["auth_sessions"] = Placement.Reference,
        ["retention_rules"] = Placement.Reference,
        ["close_cadences"] = Placement.Reference,
        ["dues_statement_transitions"] = Placement.Reference,
        ["remittance_order_transitions"] = Placement.Reference,

        // The service's own bookkeeping.
        ["__EFMigrationsHistory"] = Placement.Local,
        ["bank_poll_cursors"] = Placement.Local,
        // Import progress (issue 12 §1): read and written by the service only, never joined to the party's data.
        ["import_runs"] = Placement.Local,
    };

    /// <summary>
    /// References that may cross provinces and therefore are not foreign keys (checked by the audit instead).
    /// </summary>
    public static readonly IReadOnlyList<SoftReference> SoftReferences =
    [
        new("member_placements", "member_id", "members", "a member's earlier placements stay in the province they were made in"),
        new("member_transfer_requests", "member_id", "members", "a transfer to another province moves the member's row"),
        new("income_records", "member_id", "members", "income recorded before a move stays where it was recorded"),
        new("income_declarations", "member_id", "members", "declarations recorded before a move stay where they were recorded"),
        new("fee_decisions", "member_id", "members", "decisions recorded before a move stay where they were recorded"),
        new("voluntary_amounts", "member_id", "members", "amounts recorded before a move stay where they were recorded"),
        new("dues_statements", "member_id", "members", "a statement belongs to the organization of its period, not to the member's current province"),
        new("dues_statements", "transferred_from_id", "dues_statements", "a statement transferred with a member to another province", SamePeriod: true),
        new("payment_requests", "member_id", "members", "a request belongs to the organization that issued it"),
        new("receipts", "member_id", "members", "money collected before a move"),
        new("receipts", "bank_transaction_id", "bank_transactions", "a bank line is in the province of the account it arrived on"),
        new("receipt_allocations", "member_id", "members", "money allocated before a move"),
        new("receipt_allocations", "statement_id", "dues_statements", "money paid in one province for a statement moved from another", SamePeriod: true),
        new("payment_receipts", "member_id", "members", "receipts issued before a move"),
        new("users", "member_id", "members", "accounts are replicated, members are sharded"),
        new("period_close_children", "child_close_id", "period_closes", "the centre's close takes in the provinces' closes"),
        new("remittance_orders", "paid_transaction_id", "bank_transactions", "a bank line is in the province of the account it left"),
        new("remittance_orders", "confirmed_transaction_id", "bank_transactions", "the parent's bank line, in the parent's province (a province remitting to the centre)"),
    ];

    /// <summary>
    /// The co-located foreign keys between distributed tables (child → parent, other than a table to itself): Citus
    /// distributes a parent before a child that points at it.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> ColocatedParents = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["statement_cancellations"] = "dues_statements",
        ["receipt_allocations"] = "receipts",
        ["payment_receipts"] = "receipts",
        ["treasurer_actions"] = "receipts",
        ["ledger_postings"] = "ledger_entries",
        ["ledger_entries"] = "ledger_sources",
        ["period_close_children"] = "period_closes",
        ["remittance_orders"] = "period_closes",
    };

    public static IEnumerable<string> Of(Placement placement) =>
        Tables.Where(t => t.Value == placement).Select(t => t.Key).Order(StringComparer.Ordinal);

    /// <summary>
    /// The SQL that moves a migrated database onto Citus, run once on the coordinator after
    /// <c>CREATE EXTENSION citus</c> and adding the workers: reference tables first (distributed tables point at them),
    /// then the colocation anchor, then every other distributed table co-located with it, parents before the
    /// children whose foreign keys point at them.
    /// </summary>
    public static string CitusScript()
    {
        var sb = new StringBuilder();
        sb.AppendLine("-- Generated by Fees.Persistence.Database.Distribution.CitusScript(); run on the coordinator.");
        sb.AppendLine("-- Triggers that fill province_id are plain-PostgreSQL conveniences: on Citus every insert names province_id.");
        sb.AppendLine("set citus.enable_unsafe_triggers = on; -- the append-only and status triggers stay shard-local");
        foreach (string table in Of(Placement.Reference))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"select create_reference_table('public.{Quote(table)}');");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"select create_distributed_table('public.{ColocationAnchor}', '{Column}', colocate_with => 'none', shard_count => 64);");
        foreach (string table in Of(Placement.Distributed).Where(t => t != ColocationAnchor).OrderBy(Depth))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"select create_distributed_table('public.{Quote(table)}', '{Column}', colocate_with => '{ColocationAnchor}');");
        }
        foreach (string table in Of(Placement.Local))
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"-- {table}: stays on the coordinator");
        }
        sb.AppendLine("-- schema hangfire: stays on the coordinator");
        return sb.ToString();
    }

    // How many co-located parents are above a table (ledger_postings → ledger_entries → ledger_sources: 2).
    private static int Depth(string table) => ColocatedParents.TryGetValue(table, out string? parent) ? 1 + Depth(parent) : 0;

    private static string Quote(string table) =>
        table.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_') ? table : "\"" + table + "\"";
}
