using System.Net.Http.Headers;
using System.Text;
using Fees.DemoData;

namespace Fees.Testing;

public static class Csv
{
    public static StringContent Body(string text)
    {
        var content = new StringContent(text, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv") { CharSet = "utf-8" };
        return content;
    }

    /// <summary>The demo generator's files, for tests that import realistic data.</summary>
    public static (string Orgs, string Members, string Income) Demo(int members, long seed, string provinceCode, int provinceNumber)
    {
        var generator = new DemoProvinceGenerator(new DemoProvinceOptions { Members = members, Seed = seed, ProvinceCode = provinceCode, ProvinceNumber = provinceNumber });
        return (Write(w => generator.WriteOrgs(w)), Write(w => generator.WriteMembers(w)), Write(w => generator.WriteIncome(w)));
    }

    private static string Write(Action<TextWriter> write)
    {
        using var writer = new StringWriter(System.Globalization.CultureInfo.InvariantCulture);
        write(writer);
        return writer.ToString();
    }
}
