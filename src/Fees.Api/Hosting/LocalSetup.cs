namespace Fees.Api.Hosting;

/// <summary>Where the service keeps its files when nothing is configured.</summary>
public static class LocalSetup
{
    public const string DefaultUrl = "http://127.0.0.1:5080";
    public const string DemoAdminPassword = "admin-demo";

    /// <summary>The embedded default's bank-feed secrets (demo only; a configured service must set its own).</summary>
    public const string DemoGenericSecret = "demo-generic-secret";
    public const string DemoSePayApiKey = "demo-sepay-api-key";
    public const string DemoCassoChecksumKey = "demo-casso-checksum-key";

    /// <summary><c>FEES_DATA_DIR</c>, else <c>.data/</c> in the repository root (found by walking up to PartyTTHC.sln).</summary>
    public static string DataDirectory(IConfiguration configuration, string contentRoot)
    {
        string? configured = configuration["FEES_DATA_DIR"] ?? configuration[$"{FeesOptions.Section}:DataDirectory"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }
        for (var dir = new DirectoryInfo(contentRoot); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PartyTTHC.sln")))
            {
                return Path.Combine(dir.FullName, ".data");
            }
        }
        return Path.Combine(contentRoot, ".data");
    }
}
