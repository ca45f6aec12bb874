using System.Text;

namespace Fees.DemoData;

/// <summary>Minimal CSV field writing as the contract (§3) wants it: quote only when a field needs it.</summary>
internal static class Csv
{
    public static void Field(TextWriter writer, string value)
    {
        if (value.AsSpan().IndexOfAny(",\"\r\n") < 0)
        {
            writer.Write(value);
            return;
        }
        writer.Write('"');
        writer.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        writer.Write('"');
    }

    /// <summary>Rows end with a bare LF whatever the platform, so output is byte-identical everywhere.</summary>
    public static void EndRow(TextWriter writer) => writer.Write('\n');

    /// <summary>
    /// Writes <c>orgs.csv</c>, <c>members.csv</c> and <c>income.csv</c> into a directory (UTF-8 without BOM), streaming
    /// each through its writer in turn; the one writer of the three files for the province and the nation.
    /// </summary>
    public static DemoRowCounts WriteFiles(string directory, Func<TextWriter, int> orgs, Func<TextWriter, long> members, Func<TextWriter, long> income)
    {
        Directory.CreateDirectory(directory);
        int orgRows = Write(directory, "orgs.csv", orgs);
        long memberRows = Write(directory, "members.csv", members);
        long incomeRows = Write(directory, "income.csv", income);
        return new DemoRowCounts(orgRows, memberRows, incomeRows);
    }

    private static T Write<T>(string directory, string file, Func<TextWriter, T> rows)
    {
        using var writer = new StreamWriter(Path.Combine(directory, file), append: false, Utf8NoBom, bufferSize: 1 << 16);
        return rows(writer);
    }

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);
}
