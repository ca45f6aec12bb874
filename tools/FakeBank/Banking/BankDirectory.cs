namespace FakeBank.Banking;

/// <summary>How the aggregators name a bank: SePay's <c>gateway</c>, Casso's <c>bankName</c> and <c>bankAbbreviation</c>.</summary>
internal sealed record BankNames(string Bin, string ShortName, string SePayGateway, string CassoAbbreviation);

/// <summary>
/// The few banks the fake knows by name, keyed on the NAPAS BIN. The text codes are illustrative only: the
/// providers disagree on them (research/vietqr-bank.md §2), which is why receivers must key on the BIN.
/// An unknown BIN is named by the BIN itself.
/// </summary>
internal static class BankDirectory
{
    public const string VietcombankBin = "970436";
    public const string MbBin = "970422";

    private static readonly Dictionary<string, BankNames> ByBin = new BankNames[]
    {
        new("970436", "Vietcombank", "Vietcombank", "VCB"),
        new("970415", "VietinBank", "VietinBank", "VTB"),
        new("970418", "BIDV", "BIDV", "BIDV"),
        new("970405", "Agribank", "Agribank", "VBA"),
        new("970422", "MB", "MBBank", "MB"),
        new("970407", "Techcombank", "Techcombank", "TCB"),
        new("970416", "ACB", "ACB", "ACB"),
        new("970432", "VPBank", "VPBank", "VPB"),
        new("970423", "TPBank", "TPBank", "TPB"),
        new("970403", "Sacombank", "Sacombank", "STB"),
        new("970437", "HDBank", "HDBank", "HDB"),
        new("970441", "VIB", "VIB", "VIB"),
        new("970443", "SHB", "SHB", "SHB"),
        new("970440", "SeABank", "SeABank", "SEAB"),
        new("970448", "OCB", "OCB", "OCB"),
        new("970426", "MSB", "MSB", "MSB"),
        new("970431", "Eximbank", "Eximbank", "EIB"),
        new("970449", "LPBank", "LPBank", "LPB"),
        new("971025", "MoMo", "MoMo", "MOMO"),
    }.ToDictionary(b => b.Bin, StringComparer.Ordinal);

    public static BankNames Find(string bin) =>
        ByBin.TryGetValue(bin, out var names) ? names : new BankNames(bin, bin, bin, bin);

    public static bool IsBin(string? value) =>
        value is { Length: 6 } && value.All(char.IsAsciiDigit);
}
