using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;

namespace Fees.Testing;

/// <summary>One node of an executed plan that read a table from end to end.</summary>
/// <param name="Table">The table scanned.</param>
/// <param name="RowsRead">Rows the scan read over all its loops (returned + removed by its filter).</param>
/// <param name="Loops">How many times the scan ran.</param>
/// <param name="UnderNestedLoop">True when the scan is (under) the inner side of a nested loop: it runs once per outer row.</param>
/// <param name="RowsJoined">
/// Rows (over all loops) out of the nearest join above the scan, or out of the scan itself when no join is above it:
/// what the statement kept of what the scan read.
/// </param>
/// <param name="Query">The statement's text, as the server received it (a function's statement when nested).</param>
public sealed record SeqScan(string Table, long RowsRead, long Loops, bool UnderNestedLoop, long RowsJoined, string Query);

/// <summary>
/// Every plan a database executes, as <c>auto_explain</c> wrote it (JSON, with the actual row counts) into the test
/// cluster's server log, read back filtered by the database's name (the cluster's <c>log_line_prefix</c> names it).
/// <see cref="Enable"/> turns it on for one database only, and turns its autovacuum off, so that the database's
/// statistics stay as a fresh load leaves them: none.
/// </summary>
public static partial class PlanLog
{
    /// <summary>
    /// For every new session of the database: <c>auto_explain</c> of every statement, nested ones included (functions,
    /// triggers), with actual row counts (no timing: cheaper, and times are not what is checked); and autovacuum (hence
    /// auto-analyze) off for every table, so no statistics are ever taken. Run before the service opens a connection.
    /// </summary>
    public static async Task Enable(string ownerConnectionString)
    {
        await using var conn = new NpgsqlConnection(ownerConnectionString);
        await conn.OpenAsync();
        foreach (string sql in new[]
        {
            """
            do $$
            declare t record;
            begin
              for t in select n.nspname, c.relname from pg_class c join pg_namespace n on n.oid = c.relnamespace
                       where c.relkind = 'r' and n.nspname in ('public', 'hangfire') -- partitions included; a partitioned parent has no storage of its own
              loop
                execute format('alter table %I.%I set (autovacuum_enabled = off)', t.nspname, t.relname);
              end loop;
            end $$
            """,
            "load 'auto_explain'",
            """
            do $$
            begin
              execute format('alter database %I set session_preload_libraries = ''auto_explain''', current_database());
              execute format('alter database %I set auto_explain.log_min_duration = 0', current_database());
              execute format('alter database %I set auto_explain.log_nested_statements = on', current_database());
              execute format('alter database %I set auto_explain.log_format = json', current_database());
              execute format('alter database %I set auto_explain.log_analyze = on', current_database());
              execute format('alter database %I set auto_explain.log_timing = off', current_database());
            end $$
            """,
        })
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
        }
        NpgsqlConnection.ClearPool(conn); // no session of the database may predate the settings
    }

    /// <summary>
    /// Every plan the database executed so far in sessions of <paramref name="role"/> (the service's, not a test's own
    /// queries): the statement's text and the root plan node.
    /// </summary>
    public static async Task<List<(string Query, JsonElement Plan)>> Plans(string database, string role)
    {
        string log = await TestCluster.ServerLog();
        var plans = new List<(string, JsonElement)>();
        string prefix = " db=" + database + " user=" + role + " LOG:  duration: ";
        await using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        StringBuilder? entry = null;
        void Flush()
        {
            if (entry is null)
            {
                return;
            }
            string text = entry.ToString();
            int json = text.IndexOf('{', StringComparison.Ordinal);
            if (json >= 0)
            {
                using var doc = JsonDocument.Parse(text[json..]);
                var root = doc.RootElement.Clone();
                plans.Add((root.TryGetProperty("Query Text", out var q) ? q.GetString() ?? "" : "", root.GetProperty("Plan")));
            }
            entry = null;
        }
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith('\t'))
            {
                entry?.Append('\n').Append(line, 1, line.Length - 1);
                continue;
            }
            Flush();
            if (LinePrefix().IsMatch(line) && line.Contains(prefix, StringComparison.Ordinal) && line.EndsWith("plan:", StringComparison.Ordinal))
            {
                entry = new StringBuilder();
            }
        }
        Flush();
        return plans;
    }

    /// <summary>Every sequential scan of one of <paramref name="tables"/> in <paramref name="plans"/>.</summary>
    public static List<SeqScan> SeqScans(IEnumerable<(string Query, JsonElement Plan)> plans, IReadOnlySet<string> tables)
    {
        var found = new List<SeqScan>();
        foreach (var (query, plan) in plans)
        {
            Walk(plan, underNestedLoop: false, joined: null, query, tables, found);
        }
        return found;
    }

    private static void Walk(JsonElement node, bool underNestedLoop, long? joined, string query, IReadOnlySet<string> tables, List<SeqScan> found)
    {
        string type = node.GetProperty("Node Type").GetString() ?? "";
        long loops = Number(node, "Actual Loops");
        if (type == "Seq Scan" && node.TryGetProperty("Relation Name", out var rel) && tables.Contains(rel.GetString() ?? ""))
        {
            long perLoop = Number(node, "Actual Rows") + Number(node, "Rows Removed by Filter");
            found.Add(new SeqScan(rel.GetString()!, perLoop * loops, loops, underNestedLoop, joined ?? Number(node, "Actual Rows") * loops, query));
        }
        if (type is "Nested Loop" or "Hash Join" or "Merge Join")
        {
            joined = Number(node, "Actual Rows") * loops;
        }
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                bool inner = type == "Nested Loop" && child.TryGetProperty("Parent Relationship", out var rel2) && rel2.GetString() == "Inner";
                // A subquery's own scans keep what it keeps, not what the statement around it joins.
                bool subquery = child.TryGetProperty("Parent Relationship", out var rel3) && rel3.GetString() is "SubPlan" or "InitPlan";
                Walk(child, underNestedLoop || inner, subquery ? null : joined, query, tables, found);
            }
        }
    }

    /// <summary>
    /// Rows of <paramref name="tables"/> one executed plan read, over every loop of every scan node (sequential, index,
    /// index-only, bitmap heap), what their filters and rechecks removed included; and the rows its joins' filters removed
    /// (a nested loop over a materialized table rereads it per outer row). What a statement costs in rows, whatever its shape.
    /// </summary>
    public static long RowsTouched(JsonElement node, IReadOnlySet<string> tables)
    {
        string type = node.GetProperty("Node Type").GetString() ?? "";
        long loops = Math.Max(1, Number(node, "Actual Loops"));
        long touched = Number(node, "Rows Removed by Join Filter") * loops;
        if (type is "Seq Scan" or "Index Scan" or "Index Only Scan" or "Bitmap Heap Scan"
            && node.TryGetProperty("Relation Name", out var rel) && tables.Contains(rel.GetString() ?? ""))
        {
            touched += (Number(node, "Actual Rows") + Number(node, "Rows Removed by Filter") + Number(node, "Rows Removed by Index Recheck")) * loops;
        }
        if (node.TryGetProperty("Plans", out var children))
        {
            foreach (var child in children.EnumerateArray())
            {
                touched += RowsTouched(child, tables);
            }
        }
        return touched;
    }

    private static long Number(JsonElement node, string name) =>
        node.TryGetProperty(name, out var v) ? (long)Math.Round(v.GetDouble(), MidpointRounding.AwayFromZero) : 0;

    /// <summary>A line that starts a log entry: "2026-12-02 02:40:00.123 UTC [1234] db=… ".</summary>
    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+ \S+ \[\d+\] db=")]
    private static partial Regex LinePrefix();

    /// <summary>A one-line excerpt of a statement, for a failure message.</summary>
    public static string Excerpt(string query)
    {
        string s = string.Join(' ', query.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return s.Length > 300 ? s[..300] + " …" : s;
    }
}
