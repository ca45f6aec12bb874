namespace Fees.Testing;

/// <summary>
/// Files of the repository the tests hold code to (docs, scripts): found from the test binaries by walking up to the
/// directory that holds <c>PartyTTHC.sln</c>.
/// </summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PartyTTHC.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("PartyTTHC.sln not found above the test binaries.");
    });

    /// <summary>The repository's root directory.</summary>
    public static string Root => RootPath.Value;

    /// <summary>The path of a file under the root, e.g. <c>PathOf("docs", "indexes.md")</c>.</summary>
    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
