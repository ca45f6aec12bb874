using System.Globalization;
using Fees.Domain.Amounts;
using Fees.Domain.Time;

namespace Fees.Domain.Matching;

/// <summary>A member the treasurer may consider for a receipt in suspense, with their statements (any order, any organization).</summary>
/// <param name="MemberId">The member (&gt; 0).</param>
/// <param name="FullName">Their name as registered, with diacritics (<c>Nguyễn Văn Đức</c>).</param>
/// <param name="Statements">Their statements; only those that could take the receiving organization's money are used.</param>
public sealed record SuspenseCandidate(long MemberId, string FullName, IReadOnlyList<OutstandingStatement> Statements);

/// <summary>What made a suggestion, strongest first.</summary>
public enum SuggestionKind
{
    /// <summary>The amount is exactly what the member owes for one or more oldest statements, and the name is alike.</summary>
    AmountAndName,

    /// <summary>The payer's name is like the member's, or the member's full name is in the content.</summary>
    Name,

    /// <summary>The amount is exactly what the member owes for one statement, or for their oldest statements together.</summary>
    Amount,
}

/// <summary>One suggestion for the treasurer's queue. Never posted by itself: a person confirms or ignores it.</summary>
/// <param name="Kind">What made it.</param>
/// <param name="MemberId">The member suggested.</param>
/// <param name="StatementIds">The statements whose outstanding amount equals the receipt, oldest first (empty for a name-only suggestion).</param>
/// <param name="NameScore">How alike the names are, 0–100 (<see cref="PersonName.Similarity"/>; 100 when the full name is in the content).</param>
/// <param name="Reason">Why, in Vietnamese, as the treasurer reads it.</param>
public sealed record Suggestion(SuggestionKind Kind, long MemberId, IReadOnlyList<long> StatementIds, int NameScore, string Reason);

/// <summary>
/// Suggestions for a receipt that was not posted automatically (<see cref="ReceiptResolution"/> other than
/// <see cref="ReceiptResolution.ToMember"/>): members whose dues equal the amount, members whose name is like the payer's.
/// Suggestions only: nothing here posts.
/// </summary>
/// <remarks>
/// Ranking: amount and name, then name, then amount alone (amounts such as 20.000 đ are shared by many members, names
/// much less), each by name score (highest first), then by oldest statement, then member id; deterministic.
/// A name counts when <see cref="PersonName.Similarity"/> reaches <see cref="MinNameScore"/> or the member's full name
/// appears in the content. An amount counts when it equals the outstanding amount of one statement the receiving
/// organization may collect, or of the member's k oldest such statements together (what oldest-first allocation would
/// settle exactly).
/// </remarks>
public static class SuspenseSuggestions
{
    /// <summary>How many suggestions a treasurer is shown by default.</summary>
    public const int DefaultMax = 5;

    /// <summary>Upper bound on <c>max</c>: beyond it a list stops helping.</summary>
    public const int MaxMax = 50;

    /// <summary>Lowest <see cref="PersonName.Similarity"/> that counts as a name match (the given name alone scores 60 on a three-word name).</summary>
    public const int MinNameScore = 50;

    /// <summary>
    /// At most <paramref name="max"/> suggestions for a receipt of <paramref name="amount"/> on the account of
    /// <paramref name="receivingOrgId"/>, from <paramref name="candidates"/> (typically the members the organization
    /// collects from).
    /// </summary>
    /// <param name="amount">The receipt, in đồng (&gt; 0).</param>
    /// <param name="counterpartyName">The payer's account name as the bank gave it, if any.</param>
    /// <param name="content">The transfer content (searched for a member's full name).</param>
    /// <param name="receivingOrgId">The organization whose account received the money.</param>
    /// <param name="candidates">Members to consider; each at most once.</param>
    /// <param name="max">1 to <see cref="MaxMax"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> not positive or <paramref name="max"/> out of range.</exception>
    /// <exception cref="ArgumentException">A candidate is listed twice, or one has another member's statements.</exception>
    public static IReadOnlyList<Suggestion> For(Money amount, string? counterpartyName, string? content, long receivingOrgId,
        IReadOnlyList<SuspenseCandidate> candidates, int max = DefaultMax)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(amount.Dong, nameof(amount));
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(max, MaxMax);
        ArgumentNullException.ThrowIfNull(candidates);
        if (candidates.Select(c => c.MemberId).Distinct().Count() != candidates.Count)
        {
            throw new ArgumentException("A member is listed twice.", nameof(candidates));
        }

        var folded = TransferContent.Parse(content);
        var ranked = new List<(Suggestion Suggestion, Period Oldest)>();
        foreach (var candidate in candidates)
        {
            if (candidate.Statements.Any(s => s.MemberId != candidate.MemberId))
            {
                throw new ArgumentException($"Member {candidate.MemberId} is given another member's statement.", nameof(candidates));
            }
            var open = candidate.Statements
                .Where(s => Allocator.Eligibility(s, receivingOrgId) is null)
                .OrderBy(s => s.Period).ThenBy(s => s.StatementId)
                .ToList();
            var byAmount = SettledExactly(amount, open);
            int score = PersonName.Similarity(candidate.FullName, counterpartyName);
            bool inContent = PersonName.AppearsIn(candidate.FullName, folded);
            bool nameMatches = score >= MinNameScore || inContent;
            if (inContent)
            {
                score = 100;
            }
            if (byAmount.Count == 0 && !nameMatches)
            {
                continue;
            }
            var kind = byAmount.Count > 0 && nameMatches ? SuggestionKind.AmountAndName
                : nameMatches ? SuggestionKind.Name
                : SuggestionKind.Amount;
            var parts = new List<string>();
            if (byAmount.Count > 0)
            {
                parts.Add(DescribeAmount(amount, byAmount));
            }
            if (nameMatches)
            {
                parts.Add(inContent
                    ? "nội dung chuyển khoản có họ tên đảng viên"
                    : string.Create(CultureInfo.InvariantCulture, $"tên người chuyển «{counterpartyName!.Trim()}» giống tên đảng viên ({score}%)"));
            }
            string reason = candidate.FullName + ": " + string.Join("; ", parts) + ".";
            var oldest = byAmount.Count > 0 ? byAmount[0].Period : open.Count > 0 ? open[0].Period : default;
            ranked.Add((new Suggestion(kind, candidate.MemberId, byAmount.ConvertAll(s => s.StatementId), nameMatches ? score : 0, reason), oldest));
        }

        return ranked
            .OrderBy(r => r.Suggestion.Kind)
            .ThenByDescending(r => r.Suggestion.NameScore)
            .ThenBy(r => r.Oldest)
            .ThenBy(r => r.Suggestion.MemberId)
            .Take(max)
            .Select(r => r.Suggestion)
            .ToList();
    }

    /// <summary>
    /// The statements the amount settles exactly: the k oldest together (k ≥ 1, smallest such k), else the oldest single
    /// statement owing exactly the amount; empty if none.
    /// </summary>
    private static List<OutstandingStatement> SettledExactly(Money amount, List<OutstandingStatement> open)
    {
        var sum = Money.Zero;
        for (int k = 0; k < open.Count && sum < amount; k++)
        {
            sum += open[k].Outstanding;
            if (sum == amount)
            {
                return open.GetRange(0, k + 1);
            }
        }
        var single = open.Find(s => s.Outstanding == amount);
        return single is null ? [] : [single];
    }

    private static string DescribeAmount(Money amount, List<OutstandingStatement> statements) =>
        statements.Count == 1
            ? $"số tiền {amount.ToDisplayString()} bằng đúng số còn phải nộp kỳ {statements[0].Period.ToDisplayString()}"
            : string.Create(CultureInfo.InvariantCulture,
                $"số tiền {amount.ToDisplayString()} bằng đúng tổng số còn phải nộp {statements.Count} kỳ từ {statements[0].Period.ToDisplayString()} đến {statements[^1].Period.ToDisplayString()}");
}
