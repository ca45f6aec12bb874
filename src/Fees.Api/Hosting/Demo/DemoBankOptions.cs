using System.ComponentModel.DataAnnotations;

namespace Fees.Api.Hosting.Demo;

/// <summary>
/// <c>Fees:DemoBank</c>: the demo's fake bank. When enabled, the service runs FakeBank (<c>tools/FakeBank</c>) as a child
/// process on a free loopback port, has it deliver webhooks to the service itself with the service's own secrets, opens
/// the organizations' accounts in it, and offers members a simulated transfer ("Giả lập chuyển khoản") on
/// <c>/dang-phi</c>. The embedded default turns it on; a configured service has it only when set explicitly (tests do).
/// </summary>
public sealed class DemoBankOptions : IValidatableObject
{
    public const string Section = "Fees:DemoBank";

    private static readonly string[] KnownProviders = ["generic", "sepay", "casso"];
    private static readonly string[] KnownPresets = ["vcb-outgoing", "vcb-to-mb", "interbank-to-vcb", "mb-received", "momo"];

    /// <summary><c>Fees:DemoBank:Enabled</c>: default <c>true</c> in the embedded default, else <c>false</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary><c>Fees:DemoBank:FakeBankDll</c>: FakeBank.dll to run; default: the one built beside the service.</summary>
    public string? FakeBankDll { get; set; }

    /// <summary>
    /// <c>Fees:DemoBank:Providers</c>: comma-separated providers that watch the demo accounts and send webhooks
    /// (<c>generic</c>, <c>sepay</c>, <c>casso</c>); default <c>sepay</c>. A provider whose secret the service lacks is left out.
    /// </summary>
    [Required]
    public string Providers { get; set; } = "sepay";

    /// <summary>
    /// <c>Fees:DemoBank:RewritePreset</c>: how the fake bank rewrites the transfer content, as a real one would (FakeBank's
    /// presets); empty for none. Default <c>interbank-to-vcb</c>.
    /// </summary>
    public string? RewritePreset { get; set; } = "interbank-to-vcb";

    /// <summary>
    /// <c>Fees:DemoBank:DeliveryDelayMs</c>: how long the fake bank takes before its webhook leaves, so a member sees the
    /// payment arrive. In [0, 60000]; default 2000.
    /// </summary>
    [Range(0, 60_000)]
    public int DeliveryDelayMs { get; set; } = 2000;

    /// <summary>
    /// <c>Fees:DemoBank:PollHistory</c>: point the SePay history poller at the fake bank (unless its history API is
    /// configured already), so a transfer whose webhook is lost is still booked. Default true.
    /// </summary>
    public bool PollHistory { get; set; } = true;

    public IReadOnlyList<string> ProviderList =>
        Providers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (ProviderList.Count == 0 || ProviderList.Any(p => !KnownProviders.Contains(p, StringComparer.Ordinal)))
        {
            yield return new ValidationResult("Providers is a comma-separated list of generic, sepay, casso.", [nameof(Providers)]);
        }
        if (!string.IsNullOrEmpty(RewritePreset) && !KnownPresets.Contains(RewritePreset, StringComparer.Ordinal))
        {
            yield return new ValidationResult($"RewritePreset is empty or one of {string.Join(", ", KnownPresets)}.", [nameof(RewritePreset)]);
        }
        if (FakeBankDll is { Length: > 0 } dll && !File.Exists(dll))
        {
            yield return new ValidationResult("FakeBankDll names a file that does not exist.", [nameof(FakeBankDll)]);
        }
    }
}
