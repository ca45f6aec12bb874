using System.Net;

namespace FakeBank.Hosting;

/// <summary>The flags the configuration system cannot read (a bare switch has no value) and the loopback rule.</summary>
internal static class LaunchArguments
{
    public const string ExitWithParent = "--exit-with-parent";

    /// <summary>The schedule runs on a <see cref="Time.ManualClock"/> (also <c>FakeBank__ManualClock=true</c>).</summary>
    public const string ManualClock = "--manual-clock";

    /// <summary>Used when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> says where to listen.</summary>
    public const string DefaultUrl = "http://127.0.0.1:5090";

    public static (string[] Others, bool ExitWithParent, bool ManualClock) Split(string[] args) =>
        ([.. args.Where(a => a is not (ExitWithParent or ManualClock))], args.Contains(ExitWithParent), args.Contains(ManualClock));

    /// <summary>
    /// True when every URL binds a loopback address. The fake serves unauthenticated control calls and signs with
    /// known demo secrets, so it must never be reachable from another machine.
    /// </summary>
    public static bool AllLoopback(string urls, out string offending)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel's wildcards (*, +) do not parse as URIs: swap them for a name that is certainly not loopback.
            string normalized = url.Replace("://*", "://wildcard.invalid", StringComparison.Ordinal)
                .Replace("://+", "://wildcard.invalid", StringComparison.Ordinal);
            if (!Uri.TryCreate(normalized, UriKind.Absolute, out var uri) || !IsLoopback(uri.Host))
            {
                offending = url;
                return false;
            }
        }
        offending = "";
        return true;
    }

    private static bool IsLoopback(string host) =>
        string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && IPAddress.IsLoopback(address));
}
