using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Matching;
using Fees.Domain.Time;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;

namespace Fees.Domain.Tests.Matching;

public class SuspenseSuggestionsTests
{
    private const long Here = MatchingWorld.OrgA;
    private static long nextStatementId = 100;

    private static OutstandingStatement Owed(long member, string period, long amount, long org = Here,
        DuesStatementStatus status = DuesStatementStatus.Issued, long paid = 0) =>
        new(Interlocked.Increment(ref nextStatementId), member, Period.Parse(period), org, Money.Vnd(amount), Money.Vnd(paid), status);

    /// <summary>Organization 10's members, each owing August and September 2026.</summary>
    private static IReadOnlyList<SuspenseCandidate> Cell() =>
    [
        new(1042, "Nguyễn Văn Đức", [Owed(1042, "2026-08", 54_756), Owed(1042, "2026-09", 54_756)]),
        new(1043, "Trần Thị Mai", [Owed(1043, "2026-08", 20_000), Owed(1043, "2026-09", 20_000)]),
        new(3001, "Võ Thị Hồng Nhung", [Owed(3001, "2026-08", 20_000), Owed(3001, "2026-09", 20_000)]),
        new(3002, "Nguyễn Văn Dũng", [Owed(3002, "2026-08", 35_000)]),
        new(3003, "Trần Văn Đức", [Owed(3003, "2026-08", 40_000), Owed(3003, "2026-09", 40_000)]),
    ];

    [Fact]
    public void For_RanksAmountAndNameFirst_ThenName_ThenAmountAlone()
    {
        var suggestions = SuspenseSuggestions.For(Money.Vnd(20_000), "TRAN THI MAI", "chuyen tien", Here, Cell());

        Assert.Equal([1043L, 3001L], suggestions.Select(s => s.MemberId));
        Assert.Equal([SuggestionKind.AmountAndName, SuggestionKind.Amount], suggestions.Select(s => s.Kind));
        Assert.Equal(100, suggestions[0].NameScore);
        Assert.Equal(
            "Trần Thị Mai: số tiền 20.000 đ bằng đúng số còn phải nộp kỳ tháng 8/2026; tên người chuyển «TRAN THI MAI» giống tên đảng viên (100%).",
            suggestions[0].Reason);
    }

    [Fact]
    public void For_WeightsTheGivenName_SoAFamilyNameAloneSuggestsNobody()
    {
        var suggestions = SuspenseSuggestions.For(Money.Vnd(1), "NGUYEN VAN HUNG", null, Here, Cell());
        Assert.Empty(suggestions);
    }

    [Fact]
    public void For_RanksTheCloserNameFirst_AmongNameSuggestions()
    {
        var suggestions = SuspenseSuggestions.For(Money.Vnd(1), "NGUYEN VAN DUC", null, Here, Cell());
        Assert.Equal([1042L, 3003L], suggestions.Select(s => s.MemberId));
        Assert.Equal([100, 66], suggestions.Select(s => s.NameScore));
        Assert.All(suggestions, s => Assert.Equal(SuggestionKind.Name, s.Kind));
    }

    [Fact]
    public void For_SuggestsTheOldestStatementsWhoseSumIsTheAmount()
    {
        var cell = Cell();
        var suggestion = Assert.Single(SuspenseSuggestions.For(Money.Vnd(109_512), null, null, Here, cell));
        Assert.Equal(1042, suggestion.MemberId);
        Assert.Equal(cell[0].Statements.Select(s => s.StatementId), suggestion.StatementIds);
        Assert.Contains("tổng số còn phải nộp 2 kỳ từ tháng 8/2026 đến tháng 9/2026", suggestion.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void For_FindsTheMembersFullNameInTheContent()
    {
        var suggestion = SuspenseSuggestions.For(Money.Vnd(1), null, "884114.100924.223854.VO THI HONG NHUNG chuyen", Here, Cell())[0];
        Assert.Equal(3001, suggestion.MemberId);
        Assert.Equal(SuggestionKind.Name, suggestion.Kind);
        Assert.Contains("nội dung chuyển khoản có họ tên đảng viên", suggestion.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void For_IgnoresStatementsTheReceivingOrganizationCannotCollect()
    {
        IReadOnlyList<SuspenseCandidate> candidates =
        [
            new(1, "Lê Hoàng Nam", [Owed(1, "2026-08", 20_000, org: 20)]),
            new(2, "Lê Văn Tám", [Owed(2, "2026-08", 20_000, status: DuesStatementStatus.Paid, paid: 20_000)]),
            new(3, "Lê Thị Ba", [Owed(3, "2026-08", 20_000, status: DuesStatementStatus.Transferred)]),
        ];
        Assert.Empty(SuspenseSuggestions.For(Money.Vnd(20_000), null, null, Here, candidates));
    }

    [Fact]
    public void For_IsBoundedByMax()
    {
        var many = Enumerable.Range(1, 30).Select(i => new SuspenseCandidate(i, "Thành viên " + i, [Owed(i, "2026-08", 20_000)])).ToList();
        Assert.Equal(SuspenseSuggestions.DefaultMax, SuspenseSuggestions.For(Money.Vnd(20_000), null, null, Here, many).Count);
        Assert.Equal([1L, 2L, 3L], SuspenseSuggestions.For(Money.Vnd(20_000), null, null, Here, many, max: 3).Select(s => s.MemberId));
        Assert.Throws<ArgumentOutOfRangeException>(() => SuspenseSuggestions.For(Money.Vnd(20_000), null, null, Here, many, max: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => SuspenseSuggestions.For(Money.Vnd(20_000), null, null, Here, many, max: 51));
        Assert.Throws<ArgumentOutOfRangeException>(() => SuspenseSuggestions.For(Money.Zero, null, null, Here, many));
    }

    [Fact]
    public void For_RefusesACandidateListedTwice_OrHoldingAnotherMembersStatement()
    {
        var cell = Cell();
        Assert.Throws<ArgumentException>(() => SuspenseSuggestions.For(Money.Vnd(1), null, null, Here, [cell[0], cell[0]]));
        Assert.Throws<ArgumentException>(() => SuspenseSuggestions.For(Money.Vnd(1), null, null, Here, [cell[0] with { MemberId = 9 }]));
    }

    /// <summary>
    /// In the corpus, a receipt whose reference was lost (truncated, mistyped, split twice) still reaches the treasurer
    /// with the member the payer meant as the first suggestion, from the payer's name.
    /// </summary>
    [Fact]
    public void For_PutsTheIntendedMemberFirst_ForCorpusReceiptsWhoseReferenceWasLost()
    {
        var rows = TransferContentCorpus.Rows
            .Where(r => !MatchingWorld.Resolve(r.Content, r.AccountOrgId).IsAutoPosted && r.Category is "lost" or "rewrite")
            .ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var first = SuspenseSuggestions.For(Money.Vnd(54_756), row.Counterparty, row.Content, row.AccountOrgId, Cell())[0];
            Assert.Equal(row.IntendedMemberId, first.MemberId);
        }
    }
}

public class PersonNameTests
{
    [Theory]
    [InlineData("NGUYEN VAN DUC", 100)]
    [InlineData("nguyễn văn đức", 100)]
    [InlineData("DUC VAN NGUYEN", 100)]
    [InlineData("NGUYEN DUC", 80)]
    [InlineData("TRAN VAN DUC", 66)]
    [InlineData("DUC", 60)]
    [InlineData("CONG TY DUC THANH", 37)]
    [InlineData("NGUYEN VAN DUNG", 0)]
    [InlineData("", 0)]
    [InlineData(null, 0)]
    public void Similarity_WeightsTheGivenName(string? other, int expected)
    {
        Assert.Equal(expected, PersonName.Similarity("Nguyễn Văn Đức", other));
    }

    [Fact]
    public void AppearsIn_NeedsTheWholeNameInOrder()
    {
        var content = TransferContent.Parse("CT tu 0291000285902 NGUYEN VAN DUC toi0071000962707");
        Assert.True(PersonName.AppearsIn("Nguyễn Văn Đức", content));
        Assert.False(PersonName.AppearsIn("Trần Văn Đức", content));
        Assert.False(PersonName.AppearsIn("Đức", content));
    }
}

/// <summary>A receipt in suspense and an organization's members.</summary>
public sealed record SuggestionCase(Money Amount, string? Counterparty, IReadOnlyList<SuspenseCandidate> Candidates, int Max)
{
    public override string ToString() => $"{Amount} from «{Counterparty}», max {Max}, {Candidates.Count} members";
}

public static class SuggestionArbitraries
{
    private static readonly string[] Family = ["Nguyễn", "Trần", "Lê", "Phạm", "Võ"];
    private static readonly string[] Middle = ["Văn", "Thị", "Minh", "Hồng"];
    private static readonly string[] Given = ["Đức", "Mai", "Nam", "Nhung", "Tuấn", "Dũng"];

    public static Arbitrary<SuggestionCase> Cases() =>
        (from seed in Gen.Choose(0, int.MaxValue)
         select Build(seed)).ToArbitrary();

    private static SuggestionCase Build(int seed)
    {
        var random = new Random(seed);
        long statementId = 1;
        var candidates = new List<SuspenseCandidate>();
        int members = random.Next(0, 25);
        for (long member = 1; member <= members; member++)
        {
            var statements = new List<OutstandingStatement>();
            int months = random.Next(0, 4);
            for (int month = 0; month < months; month++)
            {
                var status = random.Next(5) == 0 ? DuesStatementStatus.Paid : DuesStatementStatus.Issued;
                long amount = 10_000 * random.Next(1, 4);
                statements.Add(new OutstandingStatement(statementId++, member, Period.Of(2026, 8).AddMonths(month), random.Next(4) == 0 ? 20 : 10,
                    Money.Vnd(amount), status == DuesStatementStatus.Paid ? Money.Vnd(amount) : Money.Zero, status));
            }
            string name = $"{Family[random.Next(Family.Length)]} {Middle[random.Next(Middle.Length)]} {Given[random.Next(Given.Length)]}";
            candidates.Add(new SuspenseCandidate(member, name, statements));
        }
        string? counterparty = random.Next(3) == 0 ? null
            : $"{Family[random.Next(Family.Length)]} {Given[random.Next(Given.Length)]}".ToUpperInvariant();
        return new SuggestionCase(Money.Vnd(10_000 * random.Next(1, 7)), counterparty, candidates, random.Next(1, 8));
    }
}

/// <summary>Laws of the treasurer's suggestions.</summary>
public class SuspenseSuggestionLaws
{
    /// <summary>
    /// At most <c>max</c> suggestions, each member at most once, ranked by kind; an amount suggestion names only statements
    /// the receiving organization may collect, oldest first, owing together exactly the amount; a name suggestion has a
    /// name score of at least <see cref="SuspenseSuggestions.MinNameScore"/>.
    /// </summary>
    [Property(Arbitrary = [typeof(SuggestionArbitraries)], MaxTest = 500)]
    public void Suggestions_AreBounded_Ranked_AndTrue(SuggestionCase c)
    {
        var suggestions = SuspenseSuggestions.For(c.Amount, c.Counterparty, null, 10, c.Candidates, c.Max);
        Assert.True(suggestions.Count <= c.Max);
        Assert.Equal(suggestions.Count, suggestions.Select(s => s.MemberId).Distinct().Count());
        Assert.Equal(suggestions.Select(s => s.Kind).Order(), suggestions.Select(s => s.Kind));
        foreach (var suggestion in suggestions)
        {
            var statements = suggestion.StatementIds
                .Select(id => c.Candidates.Single(m => m.MemberId == suggestion.MemberId).Statements.Single(s => s.StatementId == id))
                .ToList();
            Assert.Equal(suggestion.Kind != SuggestionKind.Name, statements.Count > 0);
            if (statements.Count > 0)
            {
                Assert.Equal(c.Amount, Money.Sum(statements.Select(s => s.Outstanding)));
                Assert.All(statements, s => Assert.Null(Allocator.Eligibility(s, 10)));
                Assert.Equal(statements.OrderBy(s => s.Period).Select(s => s.StatementId), suggestion.StatementIds);
            }
            Assert.Equal(suggestion.Kind != SuggestionKind.Amount, suggestion.NameScore >= SuspenseSuggestions.MinNameScore);
        }
    }
}
