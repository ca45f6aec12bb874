namespace FakeBank.Rewriting;

/// <summary>Realistic combinations of knobs, each modelled on a real sample (research/vietqr-bank.md §5).</summary>
internal static class RewritePresets
{
    public static readonly IReadOnlyDictionary<string, RewriteKnobs> All = new Dictionary<string, RewriteKnobs>(StringComparer.Ordinal)
    {
        // Sent from a Vietcombank account: "MBVCB.12625223638.943148.<note>.CT tu <from> <NAME> toi <to> <NAME>".
        ["vcb-outgoing"] = new()
        {
            BankPrefix = true,
            BankPrefixTrace = true,
            TransferInfo = TransferInfoStyles.Vcb,
            StripDiacritics = true,
        },
        // Sent from Vietcombank and received at MB: the VCB text, " tai MB", and MB's "- Ma GD ACSP/ ih943148".
        ["vcb-to-mb"] = new()
        {
            BankPrefix = true,
            BankPrefixTrace = true,
            TransferInfo = TransferInfoStyles.VcbToMb,
            StripDiacritics = true,
        },
        // Received at Vietcombank from another bank: "884114.100924.223854.<note>" (trace.ddMMyy.HHmmss).
        ["interbank-to-vcb"] = new()
        {
            InterbankPrefix = true,
            StripDiacritics = true,
        },
        // Received at MB from Vietcombank, dots turned into spaces: "CUSTOMER MBVCB 2420648919 339176 <note> CT tu ...".
        ["mb-received"] = new()
        {
            CustomerPrefix = true,
            BankPrefix = true,
            BankPrefixTrace = true,
            TransferInfo = TransferInfoStyles.Vcb,
            DotsToSpaces = true,
            StripDiacritics = true,
        },
        // From a MoMo wallet: "311447.110821.213735.15330734312-0353460723-<note>".
        ["momo"] = new()
        {
            InterbankPrefix = true,
            WalletPrefix = true,
            StripDiacritics = true,
        },
    };
}

internal static class TransferInfoStyles
{
    public const string Vcb = "vcb";
    public const string Mb = "mb";
    public const string VcbToMb = "vcb-to-mb";

    public static readonly string[] All = [Vcb, Mb, VcbToMb];
}
