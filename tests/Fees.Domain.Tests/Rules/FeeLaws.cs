using System.Globalization;
using Fees.Domain.Rules;
using Fees.RuleChecks;
using Laws = Fees.RuleChecks.FeeLaws;

namespace Fees.Domain.Tests.Rules;

/// <summary>
/// The fee laws, as CI runs them: the very objects auditors run on the page <c>/kiem-tra</c> and at
/// <c>POST /api/audit/rule-checks</c> (<see cref="Laws"/>, in <c>src/Fees.RuleChecks</c>, where each states its law in
/// Vietnamese and English). Each law is tried on <see cref="CasesPerLaw"/> generated members from a fresh random seed
/// (or <c>FEES_LAW_SEED</c>, to replay one); a failure names the seed and the smallest counterexample, in Vietnamese.
/// </summary>
public class FeeLaws
{
    private const int CasesPerLaw = 500;

    public static TheoryData<string> LawIds => [.. Laws.All.Select(l => l.Id)];

    [Theory]
    [MemberData(nameof(LawIds))]
    public void FeeLaw_Holds_OnGeneratedMembers(string law)
    {
        var runner = new RuleCheckRunner(FeeRuleBook.Default, TimeProvider.System);
        var plan = runner.Plan(law, SeedFromEnvironment(), CasesPerLaw).Value;

        var result = Assert.Single(runner.RunNow(plan, TimeSpan.FromMinutes(5), CancellationToken.None).Results);

        Assert.True(result.Passed,
            $"{result.Law.Title} ({result.Law.Id}) {result.OutcomeCode} after {result.Cases} cases, seed {result.Seed}: " +
            result.Counterexample?.ToText());
        Assert.Equal(CasesPerLaw, result.Cases);
    }

    [Fact]
    public void EveryLaw_StatesItselfInVietnameseAndEnglish_UnderAStableId()
    {
        Assert.Equal(Laws.All.Count, Laws.All.Select(l => l.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(Laws.All, law =>
        {
            Assert.Matches("^[a-z]+(-[a-z]+)*$", law.Id);
            Assert.False(string.IsNullOrWhiteSpace(law.Title));
            Assert.Matches("[ăâđêôơưáàảãạéèẻẽẹíìỉĩịóòỏõọúùủũụýỳỷỹỵ]", law.Statement);
            Assert.False(string.IsNullOrWhiteSpace(law.StatementEn));
        });
    }

    private static ulong? SeedFromEnvironment() =>
        Environment.GetEnvironmentVariable("FEES_LAW_SEED") is { Length: > 0 } text
            ? ulong.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)
            : null;
}
