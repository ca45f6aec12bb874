using System.Diagnostics.CodeAnalysis;

namespace Fees.BankGateway.Providers;

/// <summary>
/// The outcome of <see cref="IWebhookAdapter.Parse"/>: the normalized transactions, or the field errors that make the
/// body a 400. A refusal is a value: provider bodies are untrusted input.
/// </summary>
public sealed class WebhookParse
{
    private WebhookParse(IReadOnlyList<BankTransaction> transactions, IReadOnlyList<FieldError> errors)
    {
        Transactions = transactions;
        Errors = errors;
    }

    /// <summary>Whether the body was accepted; then <see cref="Errors"/> is empty.</summary>
    [MemberNotNullWhen(true, nameof(Transactions))]
    public bool IsValid => Errors.Count == 0;

    /// <summary>
    /// The transactions in body order: one for SePay, generic and Casso v2; zero or more for a Casso legacy batch.
    /// Empty when refused (a batch is accepted or refused as a whole).
    /// </summary>
    public IReadOnlyList<BankTransaction> Transactions { get; }

    /// <summary>Every refused field, in body order; empty when valid.</summary>
    public IReadOnlyList<FieldError> Errors { get; }

    internal static WebhookParse Valid(IReadOnlyList<BankTransaction> transactions) => new(transactions, []);

    internal static WebhookParse Refused(IReadOnlyList<FieldError> errors) =>
        errors.Count == 0 ? throw new ArgumentException("A refusal names at least one field.", nameof(errors)) : new([], errors);

    public override string ToString() =>
        IsValid ? $"valid: {Transactions.Count} transaction(s)" : $"refused: {string.Join("; ", Errors.Select(e => $"{e.Path} {e.Code}"))}";
}
