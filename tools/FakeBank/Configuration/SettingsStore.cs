using FakeBank.Banking;
using FakeBank.Time;

namespace FakeBank.Configuration;

/// <summary>The current <see cref="FakeBankSettings"/>, changed only through validated patches.</summary>
internal sealed class SettingsStore
{
    private static readonly string[] AuthModes = ["apikey", "hmac", "both", "none"];
    private static readonly string[] FailModes = ["drop", "ignoreResponse"];

    private readonly Lock _gate = new();
    private readonly BankClock _clock;
    private FakeBankSettings _current = new();
    private int _historyFailuresLeft;

    public SettingsStore(BankClock clock) => _clock = clock;

    public FakeBankSettings Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Applies the whole patch, or nothing and says why.</summary>
    public string? Apply(ConfigPatch patch)
    {
        string? error = Validate(patch);
        if (error is not null)
        {
            return error;
        }
        lock (_gate)
        {
            var next = _current;
            if (patch.RetryScale is { } scale)
            {
                next = next with { RetryScale = scale };
            }
            foreach (var (name, settings) in patch.Providers ?? [])
            {
                ProviderNames.TryParse(name, out var provider);
                next = provider switch
                {
                    Provider.Generic => next with { Generic = settings.Over(next.Generic) },
                    Provider.SePay => next with { SePay = settings.Over(next.SePay) },
                    _ => next with { Casso = settings.Over(next.Casso) },
                };
            }
            if (patch.Faults is { } faults)
            {
                next = next with
                {
                    Faults = new FaultSettings
                    {
                        WebhookFailFirst = faults.WebhookFailFirst ?? next.Faults.WebhookFailFirst,
                        WebhookFailMode = faults.WebhookFailMode ?? next.Faults.WebhookFailMode,
                        HistoryFailNext = faults.HistoryFailNext ?? next.Faults.HistoryFailNext,
                        HistoryFailStatus = faults.HistoryFailStatus ?? next.Faults.HistoryFailStatus,
                    },
                };
                if (faults.HistoryFailNext is { } failNext)
                {
                    _historyFailuresLeft = failNext;
                }
            }
            _current = next;
        }
        if (patch.Clock is { } clock)
        {
            _clock.Set(clock.Now, clock.Frozen);
        }
        return null;
    }

    /// <summary>Counts one history call against <c>faults.historyFailNext</c>; true (with the status to answer) while any are left.</summary>
    public bool TryTakeHistoryFailure(out int status)
    {
        lock (_gate)
        {
            status = _current.Faults.HistoryFailStatus ?? 503;
            if (_historyFailuresLeft <= 0)
            {
                return false;
            }
            _historyFailuresLeft--;
            _current = _current with { Faults = _current.Faults with { HistoryFailNext = _historyFailuresLeft } };
            return true;
        }
    }

    private static string? Validate(ConfigPatch patch)
    {
        if (patch.RetryScale is { } scale && !(scale > 0 && double.IsFinite(scale)))
        {
            return "retryScale must be a positive number";
        }
        foreach (var (name, settings) in patch.Providers ?? [])
        {
            if (!ProviderNames.TryParse(name, out _))
            {
                return $"providers.{name}: unknown provider (generic, sepay, casso)";
            }
            if (settings.Url is { Length: > 0 } url
                && !(Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)))
            {
                return $"providers.{name}.url must be an absolute http(s) URL, or empty to switch webhooks off";
            }
            if (settings.AuthMode is { } mode && !AuthModes.Contains(mode, StringComparer.Ordinal))
            {
                return $"providers.{name}.authMode must be one of {string.Join(", ", AuthModes)}";
            }
            if (settings.RetryGapsMinutes is { } gaps && gaps.Any(g => !(g >= 0 && double.IsFinite(g))))
            {
                return $"providers.{name}.retryGapsMinutes must be non-negative numbers";
            }
            if (settings.TimeoutSeconds is { } timeout && !(timeout > 0 && double.IsFinite(timeout)))
            {
                return $"providers.{name}.timeoutSeconds must be positive";
            }
            if (settings.CodeSuffixLength is < 1 or > 30)
            {
                return $"providers.{name}.codeSuffixLength must be 1–30";
            }
            if (settings.CodePrefixes is { } prefixes && prefixes.Any(p => p.Length is < 2 or > 5 || !p.All(char.IsAsciiLetter)))
            {
                return $"providers.{name}.codePrefixes must be 2–5 letters each";
            }
        }
        if (patch.Faults is { } faults)
        {
            if (faults.WebhookFailFirst is < 0 || faults.HistoryFailNext is < 0)
            {
                return "faults counts must not be negative";
            }
            if (faults.WebhookFailMode is { } failMode && !FailModes.Contains(failMode, StringComparer.Ordinal))
            {
                return $"faults.webhookFailMode must be one of {string.Join(", ", FailModes)}";
            }
            if (faults.HistoryFailStatus is < 400 or > 599)
            {
                return "faults.historyFailStatus must be 400–599";
            }
        }
        return null;
    }
}
