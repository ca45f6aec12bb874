namespace FakeBank.Banking;

/// <summary>An account the bank keeps, and which providers watch it. Its balance changes only inside <see cref="Ledger"/>.</summary>
internal sealed class Account
{
    public Account(int id, string bin, string number, string name, IReadOnlyList<Provider> watchedBy, long openingBalance)
    {
        Id = id;
        Bin = bin;
        Number = number;
        Name = name;
        WatchedBy = watchedBy;
        OpeningBalance = openingBalance;
        Balance = openingBalance;
    }

    /// <summary>Small number standing for the account in the aggregators' APIs (SePay <c>bank_account_id</c>, Casso <c>accountId</c>).</summary>
    public int Id { get; }

    public string Bin { get; }

    public string Number { get; }

    public string Name { get; set; }

    public IReadOnlyList<Provider> WatchedBy { get; set; }

    public long OpeningBalance { get; }

    /// <summary>Đồng; may go negative (the fake allows overdrafts so outgoing transfers need no set-up).</summary>
    public long Balance { get; set; }
}
