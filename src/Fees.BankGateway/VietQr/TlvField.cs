namespace Fees.BankGateway.VietQr;

/// <summary>One EMVCo data object: a 2-digit ID and its value (the length is implied by the value).</summary>
public sealed record TlvField(string Id, string Value);
