using System.Globalization;

namespace Fees.Domain.Tests.Matching;

/// <summary>One row of <c>TransferContentCorpus.tsv</c>.</summary>
/// <param name="Id">Row id: r… rewrite, l… lost, a… ambiguous, f… flag, d… decoy.</param>
/// <param name="AccountOrgId">The organization whose bank account received the transfer.</param>
/// <param name="Content">The transfer content as the bank delivered it.</param>
/// <param name="Counterparty">The payer's account name as the bank delivered it (never searched for references).</param>
/// <param name="Category">rewrite, lost, ambiguous, flag or decoy.</param>
/// <param name="IntendedMemberId">Whom the payer meant to pay for, when one member was meant.</param>
/// <param name="Outcome">The resolution the matcher must give: <c>member:ID</c>, <c>suspense:none|unknown|ambiguous</c>, <c>flag:ID</c>.</param>
/// <param name="Note">What the bank or payer did.</param>
public sealed record CorpusRow(string Id, long AccountOrgId, string Content, string Counterparty, string Category,
    long? IntendedMemberId, string Outcome, string Note)
{
    public override string ToString() => Id + " " + Note;
}

/// <summary>Reads the corpus file, which sits next to this source file and is found from the test binaries upwards.</summary>
public static class TransferContentCorpus
{
    private const string RelativePath = "tests/Fees.Domain.Tests/Matching/TransferContentCorpus.tsv";

    private static readonly Lazy<IReadOnlyList<CorpusRow>> Loaded = new(Load);

    public static IReadOnlyList<CorpusRow> Rows => Loaded.Value;

    public static CorpusRow Row(string id) => Rows.Single(r => r.Id == id);

    public static TheoryData<string> Ids()
    {
        var data = new TheoryData<string>();
        foreach (var row in Rows)
        {
            data.Add(row.Id);
        }
        return data;
    }

    private static IReadOnlyList<CorpusRow> Load()
    {
        var rows = new List<CorpusRow>();
        bool header = true;
        foreach (string line in File.ReadAllLines(Locate()))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            if (header)
            {
                header = false;
                continue;
            }
            string[] cells = line.Split('\t');
            if (cells.Length != 8)
            {
                throw new InvalidDataException($"Corpus line has {cells.Length} cells, not 8: {line}");
            }
            rows.Add(new CorpusRow(cells[0], long.Parse(cells[1], CultureInfo.InvariantCulture), cells[2], cells[3], cells[4],
                cells[5] == "-" ? null : long.Parse(cells[5], CultureInfo.InvariantCulture), cells[6], cells[7]));
        }
        return rows;
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, RelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        throw new FileNotFoundException($"{RelativePath} not found above {AppContext.BaseDirectory}.");
    }
}
