using Fees.Domain.Dues;

namespace Fees.Domain.Tests.Dues;

/// <summary>The committed diagram in docs/dues-statement-states.md is the machine's own export, so it cannot drift.</summary>
public class DuesStatementDiagramTests
{
    private const string Fence = "```mermaid\n";

    internal static string DocPath() => Fees.Testing.RepositoryFiles.PathOf("docs", "dues-statement-states.md");

    [Fact]
    public void CommittedDiagram_EqualsTheCurrentExport()
    {
        string path = DocPath();
        string expected = DuesStatementLifecycle.ToMermaid().ReplaceLineEndings("\n").Trim();
        if (Environment.GetEnvironmentVariable("FEES_UPDATE_DOCS") == "1")
        {
            WriteDoc(path, expected);
        }

        string doc = File.ReadAllText(path).ReplaceLineEndings("\n");
        int start = doc.IndexOf(Fence, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No mermaid block in {path}.");
        start += Fence.Length;
        int end = doc.IndexOf("\n```", start, StringComparison.Ordinal);
        string committed = doc[start..end].Trim();

        Assert.True(
            committed == expected,
            $"docs/dues-statement-states.md is stale; run the tests once with FEES_UPDATE_DOCS=1 and commit it.\nExpected:\n{expected}");
    }

    private static void WriteDoc(string path, string mermaid)
    {
        string text =
            "# Dues statement states\n\n" +
            "Generated from `DuesStatementLifecycle` (`src/Fees.Domain/Dues/DuesStatementLifecycle.cs`) by\n" +
            "`FEES_UPDATE_DOCS=1 dotnet test tests/Fees.Domain.Tests`; the test `CommittedDiagram_EqualsTheCurrentExport`\n" +
            "fails when this file and the code disagree.\n\n" +
            "Status codes in the contract: `awaiting_data`, `issued`, `partially_paid`, `paid`, `exempt`, `transferred`.\n\n" +
            Fence + mermaid + "\n```\n\n" +
            "The `[*]` arrow only shows where the export started. A new statement starts in the status its quote gives\n" +
            "(`DuesStatementLifecycle.InitialStatus(quote)`): `issued` (charged), `exempt` or `awaiting_data`.\n\n" +
            "| from | intent method | to |\n" +
            "|---|---|---|\n" +
            "| `awaiting_data` | `DataArrived(quote)` with a charged quote | `issued` |\n" +
            "| `awaiting_data` | `DataArrived(quote)` with an exempt quote | `exempt` |\n" +
            "| `issued` | `RecordPayment(paidSoFar, amount)`, paidSoFar < amount | `partially_paid` |\n" +
            "| `issued`, `partially_paid` | `RecordPayment(paidSoFar, amount)`, paidSoFar = amount | `paid` |\n" +
            "| `partially_paid` | `RecordPayment(paidSoFar, amount)`, paidSoFar < amount | `partially_paid` |\n" +
            "| `issued`, `partially_paid` | `Transfer()` (the member moved; the unpaid rest follows them) | `transferred` |\n\n" +
            "`paid`, `exempt` and `transferred` are final. Every other move throws `InvalidOperationException`\n" +
            "naming the status and the move; paying more than the amount, or nothing, throws `ArgumentOutOfRangeException`\n" +
            "(the excess of a payment is member credit, never part of a statement).\n";
        File.WriteAllText(path, text);
    }
}
