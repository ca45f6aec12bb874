using System.Globalization;

namespace FakeBank.Configuration;

/// <summary>Reads the <c>FakeBank</c> section (command line switches, <c>FakeBank__…</c> environment variables) into a patch.</summary>
internal static class StartupConfiguration
{
    public const string Section = "FakeBank";

    /// <summary>Short command-line switches and the configuration keys they set.</summary>
    public static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--retry-scale"] = "FakeBank:RetryScale",
        ["--id-base"] = "FakeBank:IdBase",
        ["--bank-clock"] = "FakeBank:BankClock",
        ["--bank-clock-frozen"] = "FakeBank:BankClockFrozen",
        ["--generic-url"] = "FakeBank:Providers:generic:Url",
        ["--generic-secret"] = "FakeBank:Providers:generic:Secret",
        ["--generic-retry-gaps"] = "FakeBank:Providers:generic:RetryGapsMinutes",
        ["--sepay-url"] = "FakeBank:Providers:sepay:Url",
        ["--sepay-mode"] = "FakeBank:Providers:sepay:AuthMode",
        ["--sepay-api-key"] = "FakeBank:Providers:sepay:ApiKey",
        ["--sepay-hmac-secret"] = "FakeBank:Providers:sepay:HmacSecret",
        ["--sepay-api-token"] = "FakeBank:Providers:sepay:ApiToken",
        ["--sepay-code-prefixes"] = "FakeBank:Providers:sepay:CodePrefixes",
        ["--casso-url"] = "FakeBank:Providers:casso:Url",
        ["--casso-checksum-key"] = "FakeBank:Providers:casso:ChecksumKey",
        ["--casso-api-key"] = "FakeBank:Providers:casso:ApiKey",
    };

    public static ConfigPatch Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var providers = new Dictionary<string, ProviderSettings>(StringComparer.Ordinal);
        foreach (var name in new[] { "generic", "sepay", "casso" })
        {
            var p = section.GetSection("Providers").GetSection(name);
            providers[name] = new ProviderSettings
            {
                Url = p["Url"],
                Secret = p["Secret"],
                AuthMode = p["AuthMode"],
                ApiKey = p["ApiKey"],
                HmacSecret = p["HmacSecret"],
                ApiToken = p["ApiToken"],
                ChecksumKey = p["ChecksumKey"],
                CodePrefixes = List(p["CodePrefixes"])?.ToArray(),
                CodeSuffixLength = p["CodeSuffixLength"] is { } length ? int.Parse(length, CultureInfo.InvariantCulture) : null,
                RetryGapsMinutes = List(p["RetryGapsMinutes"])?.Select(g => double.Parse(g, CultureInfo.InvariantCulture)).ToArray(),
                TimeoutSeconds = Number(p["TimeoutSeconds"]),
            };
        }
        var faults = section.GetSection("Faults");
        return new ConfigPatch
        {
            RetryScale = Number(section["RetryScale"]),
            Providers = providers,
            Faults = new FaultSettings
            {
                WebhookFailFirst = faults["WebhookFailFirst"] is { } n ? int.Parse(n, CultureInfo.InvariantCulture) : null,
                WebhookFailMode = faults["WebhookFailMode"],
            },
            Clock = new ClockPatch
            {
                Now = section["BankClock"] is { } clock ? DateTimeOffset.Parse(clock, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null,
                Frozen = section["BankClockFrozen"] is { } frozen ? bool.Parse(frozen) : null,
            },
        };
    }

    /// <summary><c>FakeBank:ManualClock</c> (<c>FakeBank__ManualClock=true</c>): the same as <c>--manual-clock</c>.</summary>
    public static bool ManualClock(IConfiguration configuration) =>
        configuration.GetSection(Section)["ManualClock"] is { } text && bool.Parse(text);

    /// <summary>
    /// Where a manual clock starts: <c>FakeBank:BankClock</c> (<c>--bank-clock</c>) when given, so the bank clock and the
    /// schedule start together; else <paramref name="now"/>.
    /// </summary>
    public static DateTimeOffset ManualClockStart(IConfiguration configuration, DateTimeOffset now) =>
        configuration.GetSection(Section)["BankClock"] is { } clock
            ? DateTimeOffset.Parse(clock, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal)
            : now;

    /// <summary>First sequence number is this plus one. Default: a hundred per minute since 2026-01-01 UTC, so a restarted fake does not reuse ids.</summary>
    public static long IdBase(IConfiguration configuration, DateTimeOffset now) =>
        configuration.GetSection(Section)["IdBase"] is { } text
            ? long.Parse(text, CultureInfo.InvariantCulture)
            : Math.Max(0, (long)(now - new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalMinutes) * 100;

    private static double? Number(string? text) =>
        text is null ? null : double.Parse(text, CultureInfo.InvariantCulture);

    private static IEnumerable<string>? List(string? text) =>
        text?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
