using System.Text.RegularExpressions;
using Fees.Persistence.Database;
using Fees.Testing;
using Npgsql;

namespace Fees.Persistence.Tests.Database;

/// <summary>
/// Every index of the party's tables (distributed and reference tables, <see cref="Distribution.Tables"/>; a partitioned
/// table's index once, on its parent) has its row in docs/indexes.md, which says why it exists: the key it enforces, or
/// the benchmarked query that reads it (NationalBench pages, statements, b01, close, load; BankFeedBench; LedgerBench),
/// and every row there names an index the migrated schema has. A new index without its reason, or a dropped one still
/// documented, fails here.
/// </summary>
public sealed partial class IndexesDocumentedTests(EmptyFeesApp app) : IClassFixture<EmptyFeesApp>
{
    [Fact]
    public async Task EveryIndexOfThePartysTables_HasItsReasonInDocsIndexes_AndEveryDocumentedIndexExists()
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select t.relname || '.' || ic.relname
            from pg_index i join pg_class ic on ic.oid = i.indexrelid join pg_class t on t.oid = i.indrelid
            where t.relnamespace = 'public'::regnamespace and t.relname = any(@tables) and not t.relispartition
            order by 1
            """, conn);
        cmd.Parameters.AddWithValue("tables", Distribution.Tables.Where(t => t.Value != Placement.Local).Select(t => t.Key).ToArray());
        var inCatalog = new List<string>();
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                inCatalog.Add(r.GetString(0));
            }
        }

        // A row: | `table` | `index` | columns | reason | benchmark |
        var documented = File.ReadLines(RepositoryFiles.PathOf("docs", "indexes.md"))
            .Select(l => Row().Match(l))
            .Where(m => m.Success)
            .Select(m => $"{m.Groups[1].Value}.{m.Groups[2].Value}")
            .ToList();
        Assert.Equal(documented.Count, documented.Distinct().Count());
        Assert.Empty(inCatalog.Except(documented).Select(i => "not in docs/indexes.md: " + i));
        Assert.Empty(documented.Except(inCatalog).Select(i => "documented but not in the schema: " + i));
    }

    [GeneratedRegex(@"^\|\s*`([a-z_]+)`\s*\|\s*`([a-z0-9_]+)`\s*\|")]
    private static partial Regex Row();
}
