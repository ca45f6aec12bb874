using System.Text.Json;
using Fees.Domain.Amounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Rules;
using Fees.Domain.Time;

namespace Fees.Domain.Dues;

/// <summary>
/// The inputs of a quote, stored with the statement (JSON, camelCase) so that anyone can recompute its amount:
/// <c>FeeCalculator.Quote(StatementInputs.FromJson(statement.Inputs))</c> gives the statement's amount again.
/// </summary>
public static class StatementInputs
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record Stored(string Period, string Category, string Status, long? SiSalary, long? SiBenefit, long? Pension, int? WageRegion,
        DateOnly? BirthDate, string? Sex, DateOnly? PartyJoinedOn, StoredDecision? Decision, long? VoluntaryAmount);

    public sealed record StoredDecision(string Reason, int ReductionPercent, string DecidedBy, string DocumentRef, string ValidFrom, string ValidTo, string? Note);

    public static string ToJson(FeeInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var i = input;
        return JsonSerializer.Serialize(new Stored(
            i.Period.ToString(), i.Category.ToCode(), i.Status.ToCode(), i.SiSalary?.Dong, i.SiBenefit?.Dong, i.Pension?.Dong, (int?)i.WageRegion,
            i.BirthDate, i.Sex?.ToCode(), i.PartyJoinedOn,
            i.Decision is { } d ? new StoredDecision(d.Reason.ToString(), d.ReductionPercent, d.DecidedBy, d.DocumentRef, d.ValidFrom.ToString(), d.ValidTo.ToString(), d.Note) : null,
            i.VoluntaryAmount?.Dong), Json);
    }

    /// <summary>Rebuilds the quote input from what a statement stored.</summary>
    public static FeeInput FromJson(string json)
    {
        var s = JsonSerializer.Deserialize<Stored>(json, Json) ?? throw new ArgumentException("Not a stored statement input.", nameof(json));
        MemberCodes.TryParseCategory(s.Category, out var category);
        MemberCodes.TryParseStatus(s.Status, out var status);
        Sex? sex = s.Sex is null ? null : MemberCodes.TryParseSex(s.Sex, out var x) ? x : null;
        return new FeeInput
        {
            Period = Period.Parse(s.Period),
            Category = category,
            Status = status,
            SiSalary = s.SiSalary is { } a ? Money.Vnd(a) : null,
            SiBenefit = s.SiBenefit is { } b ? Money.Vnd(b) : null,
            Pension = s.Pension is { } c ? Money.Vnd(c) : null,
            WageRegion = (WageRegion?)s.WageRegion,
            BirthDate = s.BirthDate,
            Sex = sex,
            PartyJoinedOn = s.PartyJoinedOn,
            Decision = s.Decision is { } d
                ? FeeDecision.Create(Enum.Parse<ReliefReason>(d.Reason), d.ReductionPercent, d.DecidedBy, d.DocumentRef, Period.Parse(d.ValidFrom), Period.Parse(d.ValidTo), d.Note)
                : null,
            VoluntaryAmount = s.VoluntaryAmount is { } v ? Money.Vnd(v) : null,
        };
    }
}
