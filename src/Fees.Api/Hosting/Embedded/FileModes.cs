namespace Fees.Api.Hosting.Embedded;

/// <summary>Unix permissions for the files that hold database passwords and the cluster (no-op on Windows).</summary>
internal static class FileModes
{
    public static void Set(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
