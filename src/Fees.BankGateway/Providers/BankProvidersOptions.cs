namespace Fees.BankGateway.Providers;

/// <summary>
/// Configuration section <c>Bank:Providers</c> (environment: <c>Bank__Providers__…</c>), one child per provider code.
/// Keys bind case-insensitively, so <c>Bank:Providers:sepay:ApiKey</c> fills <c>SePay.ApiKey</c>.
/// </summary>
/// <remarks>
/// These are classes, not records, on purpose: a record's generated <c>ToString</c> would print the secrets into any log
/// that formats the options.
/// </remarks>
public sealed class BankProvidersOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Bank:Providers";

    /// <summary><c>Bank:Providers:generic</c>.</summary>
    public GenericProviderOptions Generic { get; set; } = new();

    /// <summary><c>Bank:Providers:sepay</c>.</summary>
    public SePayProviderOptions SePay { get; set; } = new();

    /// <summary><c>Bank:Providers:casso</c>.</summary>
    public CassoProviderOptions Casso { get; set; } = new();
}
