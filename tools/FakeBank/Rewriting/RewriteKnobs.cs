namespace FakeBank.Rewriting;

/// <summary>
/// What the banks on the way do to the transfer content (research/vietqr-bank.md §5). Every knob is off unless set;
/// a <see cref="Preset"/> switches on a realistic combination and any knob given beside it overrides the preset's.
/// The order they apply in is fixed and documented in <see cref="ContentRewriter"/> and the README.
/// </summary>
internal sealed record RewriteKnobs
{
    /// <summary><c>vcb-outgoing</c>, <c>interbank-to-vcb</c>, <c>mb-received</c>, <c>vcb-to-mb</c>, <c>momo</c>.</summary>
    public string? Preset { get; init; }

    /// <summary>The payer's app ignored tag 62.08: the note is replaced by <see cref="ReplacementContent"/> (default empty).</summary>
    public bool? DropContent { get; init; }

    public string? ReplacementContent { get; init; }

    /// <summary>Insert a space after this many characters (1–9) of the first <c>DP…</c>/<c>DT…</c> 10-character token of the note.</summary>
    public int? SplitReferenceAt { get; init; }

    /// <summary>
    /// Text a bank appends after the note: <c>vcb</c> = <c>.CT tu {fromAccount} {FROM NAME} toi {toAccount} {TO NAME}</c>;
    /// <c>mb</c> = <c>- Ma GD ACSP/ {mbCode}</c>; <c>vcb-to-mb</c> = the VCB text, then <c> tai MB</c>, then the MB text.
    /// </summary>
    public string? TransferInfo { get; init; }

    /// <summary>The two letters and six digits after <c>Ma GD ACSP/ </c>; default: two letters derived from <see cref="Trace"/>, then the trace.</summary>
    public string? MbCode { get; init; }

    /// <summary>MoMo: <c>{walletTransactionId}-{fromAccount}-</c> before the note.</summary>
    public bool? WalletPrefix { get; init; }

    /// <summary>Default: 11 digits derived from the transaction's sequence number.</summary>
    public string? WalletTransactionId { get; init; }

    /// <summary>Vietcombank's outgoing prefix <c>{bankPrefixCode}.{bankPrefixNumber}.</c>, e.g. <c>MBVCB.1234567.</c>.</summary>
    public bool? BankPrefix { get; init; }

    /// <summary>Default <c>MBVCB</c>.</summary>
    public string? BankPrefixCode { get; init; }

    /// <summary>Default: 10 digits derived from the transaction's sequence number.</summary>
    public string? BankPrefixNumber { get; init; }

    /// <summary>Adds <c>{trace}.</c> after the bank prefix number (<c>MBVCB.12625223638.943148.</c>, as in real VCB transfers).</summary>
    public bool? BankPrefixTrace { get; init; }

    /// <summary>Interbank (NAPAS) prefix <c>{trace}.{ddMMyy}.{HHmmss}.</c> from the booking time in Vietnam time.</summary>
    public bool? InterbankPrefix { get; init; }

    /// <summary>Six digits; default derived from the transaction's sequence number.</summary>
    public string? Trace { get; init; }

    /// <summary>MB's <c>CUSTOMER </c> before a received transfer's text.</summary>
    public bool? CustomerPrefix { get; init; }

    public bool? StripDiacritics { get; init; }

    public bool? UpperCase { get; init; }

    /// <summary>Every <c>.</c> becomes a space.</summary>
    public bool? DotsToSpaces { get; init; }

    /// <summary>Every space becomes two.</summary>
    public bool? DoubleSpaces { get; init; }

    /// <summary>Keep at most this many characters (UTF-16 code units; a surrogate pair is never cut).</summary>
    public int? TruncateTo { get; init; }

    public bool? LowerCase { get; init; }

    /// <summary>This record's knobs, each falling back to <paramref name="fallback"/>'s where unset.</summary>
    public RewriteKnobs Over(RewriteKnobs fallback) => new()
    {
        Preset = Preset ?? fallback.Preset,
        DropContent = DropContent ?? fallback.DropContent,
        ReplacementContent = ReplacementContent ?? fallback.ReplacementContent,
        SplitReferenceAt = SplitReferenceAt ?? fallback.SplitReferenceAt,
        TransferInfo = TransferInfo ?? fallback.TransferInfo,
        MbCode = MbCode ?? fallback.MbCode,
        WalletPrefix = WalletPrefix ?? fallback.WalletPrefix,
        WalletTransactionId = WalletTransactionId ?? fallback.WalletTransactionId,
        BankPrefix = BankPrefix ?? fallback.BankPrefix,
        BankPrefixCode = BankPrefixCode ?? fallback.BankPrefixCode,
        BankPrefixNumber = BankPrefixNumber ?? fallback.BankPrefixNumber,
        BankPrefixTrace = BankPrefixTrace ?? fallback.BankPrefixTrace,
        InterbankPrefix = InterbankPrefix ?? fallback.InterbankPrefix,
        Trace = Trace ?? fallback.Trace,
        CustomerPrefix = CustomerPrefix ?? fallback.CustomerPrefix,
        StripDiacritics = StripDiacritics ?? fallback.StripDiacritics,
        UpperCase = UpperCase ?? fallback.UpperCase,
        DotsToSpaces = DotsToSpaces ?? fallback.DotsToSpaces,
        DoubleSpaces = DoubleSpaces ?? fallback.DoubleSpaces,
        TruncateTo = TruncateTo ?? fallback.TruncateTo,
        LowerCase = LowerCase ?? fallback.LowerCase,
    };
}
