using FakeBank.Banking;

namespace FakeBank.Delivery;

/// <summary>One provider's webhook(s) for one transaction, with the knobs resolved.</summary>
internal sealed record DeliveryJob(
    BankTransaction Transaction,
    Provider Provider,
    int FailFirst,
    string FailMode,
    int Copies,
    bool Concurrent,
    int DelayMs,
    IReadOnlyList<DeliveryChain> Chains);
