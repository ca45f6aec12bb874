namespace FakeBank.Delivery;

/// <summary>The state of one provider's delivery (one copy) of one transaction.</summary>
internal sealed class DeliveryChain
{
    public const string Scheduled = "scheduled";
    public const string Delivered = "delivered";
    public const string GaveUp = "gaveUp";
    public const string Cancelled = "cancelled";
    public const string NoTarget = "noTarget";

    public DeliveryChain(string provider, int copy, string state)
    {
        Provider = provider;
        Copy = copy;
        State = state;
    }

    public string Provider { get; }

    public int Copy { get; }

    public string State { get; set; }

    public int Attempts { get; set; }
}
