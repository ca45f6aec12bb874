using System.Diagnostics.CodeAnalysis;
using Fees.BankGateway.Providers;

namespace Fees.BankGateway.History;

/// <summary>
/// What one history call yields: the transactions to store, the cursor to store with them, whether to call again now, and
/// the failure if any.
/// </summary>
/// <remarks>
/// A poller stores <see cref="Transactions"/> (deduplicated on provider and id, like webhooks) and <see cref="Next"/> in one
/// database transaction; then it resumes exactly from <see cref="Next"/> after any crash. A failure still carries the
/// transactions read before it and a cursor advanced only past them.
/// </remarks>
/// <typeparam name="TCursor"><see cref="SePayCursor"/> or <see cref="CassoCursor"/>.</typeparam>
public sealed record HistoryPage<TCursor>(IReadOnlyList<BankTransaction> Transactions, TCursor Next, bool HasMore, HistoryFailure? Failure)
{
    /// <summary>
    /// The provider's JSON record of each of <see cref="Transactions"/>, in the same order, exactly as the response carried
    /// it (what the inbox keeps as the raw body). Empty when there are no transactions.
    /// </summary>
    public IReadOnlyList<string> RawRecords { get; init; } = [];

    [MemberNotNullWhen(true, nameof(Failure))]
    public bool IsFailure => Failure is not null;
}
