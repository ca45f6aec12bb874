namespace FakeBank.Banking;

/// <summary>Who tells the service about a transaction: the bank's own feed (generic) or an aggregator.</summary>
internal enum Provider
{
    Generic,
    SePay,
    Casso,
}

internal static class ProviderNames
{
    public static readonly Provider[] All = [Provider.Generic, Provider.SePay, Provider.Casso];

    /// <summary>The wire name: <c>generic</c>, <c>sepay</c>, <c>casso</c>.</summary>
    public static string Name(this Provider provider) => provider switch
    {
        Provider.Generic => "generic",
        Provider.SePay => "sepay",
        Provider.Casso => "casso",
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    public static bool TryParse(string? name, out Provider provider)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case "generic":
                provider = Provider.Generic;
                return true;
            case "sepay":
                provider = Provider.SePay;
                return true;
            case "casso":
                provider = Provider.Casso;
                return true;
            default:
                provider = default;
                return false;
        }
    }
}
