namespace Fees.BankGateway.Tests.VietQr;

/// <summary>One row of <c>TestData/vietqr-vectors.tsv</c> (copied from research/vietqr-vectors.tsv).</summary>
public sealed record VietQrVector(int Row, bool ExpectedValid, string Payload, string Source)
{
    public override string ToString() => $"row {Row}: {Source}";
}

public static class VietQrVectors
{
    public static IReadOnlyList<VietQrVector> All { get; } = Load();

    public static TheoryData<int> Rows()
    {
        var data = new TheoryData<int>();
        foreach (var vector in All)
        {
            data.Add(vector.Row);
        }
        return data;
    }

    public static VietQrVector Row(int row) => All.Single(v => v.Row == row);

    private static List<VietQrVector> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "TestData", "vietqr-vectors.tsv");
        var vectors = new List<VietQrVector>();
        int row = 0;
        foreach (string line in File.ReadAllLines(path))
        {
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            string[] columns = line.Split('\t');
            row++;
            vectors.Add(new VietQrVector(row, bool.Parse(columns[0]), columns[1], columns[2]));
        }
        return vectors;
    }
}
