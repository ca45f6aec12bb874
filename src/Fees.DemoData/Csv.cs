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
}
