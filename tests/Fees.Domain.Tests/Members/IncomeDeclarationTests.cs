using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Outcomes;
using Fees.Domain.Rules;
using Fees.Domain.Time;

namespace Fees.Domain.Tests.Members;

/// <summary>
/// A member's income declaration: proposed with bounded figures and note, then confirmed, rejected (with a reason) or
/// withdrawn, once; every allowed and every forbidden move of its lifecycle.
/// </summary>
public class IncomeDeclarationTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 3, 0, 0, TimeSpan.Zero);
    private static readonly Period December = Period.Of(2026, 12);

    private static IncomeDeclaration Proposed() =>
        IncomeDeclaration.Propose(7, "2026-12", 7_200_000, null, null, "  Nâng bậc lương từ tháng 12/2026 ", "dangvien", December, Now).Value;

    private static IncomeDeclaration In(IncomeDeclarationStatus status)
    {
        var d = Proposed();
        _ = status switch
        {
            IncomeDeclarationStatus.Confirmed => d.Confirm("thuquy", Now),
            IncomeDeclarationStatus.Rejected => d.Reject("thuquy", "Chưa có quyết định nâng lương", Now),
            IncomeDeclarationStatus.Withdrawn => d.Withdraw("dangvien", Now),
            _ => Done.Value,
        };
        Assert.Equal(status, d.Status);
        return d;
    }

    [Fact]
    public void Propose_KeepsTheFigures_AndTrimsTheNote()
    {
        var d = Proposed();
        Assert.Equal(IncomeDeclarationStatus.Proposed, d.Status);
        Assert.Equal(December, d.From);
        Assert.Equal(Money.Vnd(7_200_000), d.SiSalary);
        Assert.Null(d.SiBenefit);
        Assert.Null(d.Pension);
        Assert.Equal("Nâng bậc lương từ tháng 12/2026", d.Note);
        Assert.True(d.CanConfirm && d.CanReject && d.CanWithdraw);
    }

    [Theory]
    [InlineData("2026-7", 1L, "from")]
    [InlineData("2026-07", 1L, "from")]
    [InlineData("2027-02", 1L, "from")]
    [InlineData(null, 1L, "from")]
    [InlineData("2026-12", -1L, "siSalary")]
    [InlineData("2026-12", 1_000_000_001L, "siSalary")]
    public void Propose_RefusesABadField_NamingIt(string? from, long salary, string field)
    {
        var outcome = IncomeDeclaration.Propose(7, from, salary, null, null, null, "dangvien", December, Now);
        Assert.False(outcome.Succeeded);
        Assert.Equal(RefusalKind.Invalid, outcome.Refusal.Kind);
        Assert.True(outcome.Refusal.Errors!.ContainsKey(field), string.Join(", ", outcome.Refusal.Errors!.Keys));
    }

    [Fact]
    public void Propose_TakesTheBounds_AndNextMonth()
    {
        Assert.True(IncomeDeclaration.Propose(7, "2026-08", 0, null, null, null, "u", December, Now).Succeeded);
        Assert.True(IncomeDeclaration.Propose(7, "2027-01", null, null, FeeLimits.MaxMonthlyIncome.Dong, null, "u", December, Now).Succeeded);
    }

    [Fact]
    public void Propose_RefusesNoFigureAtAll()
    {
        var outcome = IncomeDeclaration.Propose(7, "2026-12", null, null, null, "lương mới", "dangvien", December, Now);
        Assert.Equal(RefusalKind.Invalid, outcome.Refusal!.Kind);
        Assert.Contains("siSalary", outcome.Refusal.Errors!.Keys);
    }

    [Theory]
    [InlineData("dòng một\ndòng hai")]
    [InlineData("tab\there")]
    [InlineData("\u0000")]
    public void Propose_RefusesControlCharactersInTheNote(string note)
    {
        var outcome = IncomeDeclaration.Propose(7, "2026-12", 1, null, null, note, "dangvien", December, Now);
        Assert.Contains("note", outcome.Refusal!.Errors!.Keys);
    }

    [Fact]
    public void Propose_RefusesANoteLongerThanTheLimit()
    {
        Assert.True(IncomeDeclaration.Propose(7, "2026-12", 1, null, null, new string('a', IncomeDeclaration.MaxTextLength), "u", December, Now).Succeeded);
        var outcome = IncomeDeclaration.Propose(7, "2026-12", 1, null, null, new string('a', IncomeDeclaration.MaxTextLength + 1), "u", December, Now);
        Assert.Contains("note", outcome.Refusal!.Errors!.Keys);
    }

    [Fact]
    public void Confirm_RecordsWhoAndWhen()
    {
        var d = Proposed();
        Assert.True(d.Confirm("thuquy", Now.AddHours(1)).Succeeded);
        Assert.Equal(IncomeDeclarationStatus.Confirmed, d.Status);
        Assert.Equal("thuquy", d.DecidedBy);
        Assert.Equal(Now.AddHours(1), d.DecidedAt);
        Assert.Null(d.RejectionReason);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("   ")]
    [InlineData("lý do\r\n")]
    public void Reject_NeedsAReasonWithoutControlCharacters_AndChangesNothingWithout(string? reason)
    {
        var d = Proposed();
        var outcome = d.Reject("thuquy", reason, Now);
        Assert.Equal(RefusalKind.Invalid, outcome.Refusal!.Kind);
        Assert.Contains("reason", outcome.Refusal.Errors!.Keys);
        Assert.Equal(IncomeDeclarationStatus.Proposed, d.Status);
        Assert.Null(d.DecidedBy);
    }

    [Fact]
    public void Reject_KeepsTheReason()
    {
        var d = Proposed();
        Assert.True(d.Reject("thuquy", " Chưa có quyết định nâng lương ", Now).Succeeded);
        Assert.Equal(IncomeDeclarationStatus.Rejected, d.Status);
        Assert.Equal("Chưa có quyết định nâng lương", d.RejectionReason);
    }

    [Fact]
    public void Transitions_AreExactlyTheThreeDecisionsOfAProposal()
    {
        Assert.Equal(
            [(IncomeDeclarationStatus.Proposed, IncomeDeclarationStatus.Confirmed), (IncomeDeclarationStatus.Proposed, IncomeDeclarationStatus.Rejected),
             (IncomeDeclarationStatus.Proposed, IncomeDeclarationStatus.Withdrawn)],
            IncomeDeclaration.Transitions.OrderBy(t => t.To).ToList());
    }

    [Theory]
    [InlineData(IncomeDeclarationStatus.Confirmed)]
    [InlineData(IncomeDeclarationStatus.Rejected)]
    [InlineData(IncomeDeclarationStatus.Withdrawn)]
    public void ADecidedDeclaration_RefusesEveryFurtherMove_AsAConflict_AndStaysAsItWas(IncomeDeclarationStatus status)
    {
        var d = In(status);
        var (by, at, reason) = (d.DecidedBy, d.DecidedAt, d.RejectionReason);
        Assert.False(d.CanConfirm || d.CanReject || d.CanWithdraw);
        foreach (var outcome in new[] { d.Confirm("vanphong", Now.AddDays(1)), d.Reject("vanphong", "lý do khác", Now.AddDays(1)), d.Withdraw("dangvien", Now.AddDays(1)) })
        {
            Assert.Equal(RefusalKind.Conflict, outcome.Refusal!.Kind);
            Assert.Equal("declaration_closed", outcome.Refusal.Code);
        }
        Assert.Equal(status, d.Status);
        Assert.Equal((by, at, reason), (d.DecidedBy, d.DecidedAt, d.RejectionReason));
    }

    [Fact]
    public void StatusCodes_RoundTrip_AndSpeakVietnamese()
    {
        foreach (var status in Enum.GetValues<IncomeDeclarationStatus>())
        {
            Assert.Equal(status, IncomeDeclarationStatusCodes.Parse(status.ToCode()));
            Assert.False(string.IsNullOrWhiteSpace(status.ToVietnamese()));
        }
        Assert.Equal("declared:17", IncomeDeclaration.SourceOf(17));
    }
}
