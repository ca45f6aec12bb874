namespace Fees.BankGateway.Providers;

/// <summary>Which way money moved on the collecting organization's account.</summary>
public enum TransferDirection
{
    /// <summary>Money received (a member's payment, a child organization's remittance).</summary>
    In = 1,

    /// <summary>Money sent out of the account (a remittance upward, a refund, a bank fee).</summary>
    Out = 2,
}
