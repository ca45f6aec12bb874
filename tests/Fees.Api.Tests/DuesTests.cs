using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Persistence;
using Fees.Persistence.Database;
using Fees.Persistence.Dues;
using Fees.Api.Jobs;
using Fees.Testing;
using Fees.Domain.Dues;
using Fees.Domain.Rules;
using Fees.Domain.Time;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests;

/// <summary>Quotes and monthly statements under 01-QĐ/TW, from the August 2026 cycle (docs/fee-rules.md).</summary>
public sealed class DuesTests(FeesApp app) : IClassFixture<FeesApp>
{
    private async Task<JsonElement> Quote(object body)
    {
        var client = await app.ClientFor("dangvien", "dangvien-demo");
        var response = await client.PostAsJsonAsync("/api/fees/quote", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task Quote_FR01_Si_IsOnePercentOfLastMonthsSalary_WithTheArithmeticInVietnamese()
    {
        var q = await Quote(new { period = "2026-08", category = "si", siSalary = 5_475_600 });
        Assert.Equal(54_756, q.GetProperty("amount").GetInt64());
        Assert.Equal("FR-01", q.GetProperty("ruleId").GetString());
        string explanation = q.GetProperty("explanation").GetString()!;
        Assert.Contains("5.475.600", explanation, StringComparison.Ordinal);
        Assert.Contains("54.756", explanation, StringComparison.Ordinal);
        Assert.Contains("FR-01", explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"period":"2026-08","category":"pensioner","pension":6000000}""", 30_000)]
    [InlineData("""{"period":"2026-08","category":"student"}""", 5_000)]
    [InlineData("""{"period":"2026-08","category":"other","wageRegion":1,"birthDate":"1980-05-05","sex":"M"}""", 15_930)]
    public async Task Quote_WorkedExamples_OfTheFeeRules(string body, long expected)
    {
        var q = await Quote(JsonSerializer.Deserialize<JsonElement>(body));
        Assert.Equal(expected, q.GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Quote_WithABadField_Answers400NamingIt()
    {
        var client = await app.ClientFor("dangvien", "dangvien-demo");
        var response = await client.PostAsJsonAsync("/api/fees/quote", new { period = "2026-8", category = "si", siSalary = 1 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("period", out _));
    }

    [Fact]
    public async Task Generating_BeforeAugust2026_Answers422_AndSaysWhy()
    {
        var admin = await app.Admin();
        var response = await admin.PostAsync("/api/cycles/2026-07/generate", null);
        Assert.Equal((HttpStatusCode)422, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("before_system_start", problem.GetProperty("code").GetString());
        Assert.Contains("không đóng bù", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GeneratingAugustTwice_CreatesEachStatementOnce()
    {
        var admin = await app.Admin();
        var first = await (await admin.PostAsync("/api/cycles/2026-08/generate", null)).Content.ReadFromJsonAsync<JsonElement>();
        var second = await (await admin.PostAsync("/api/cycles/2026-08/generate", null)).Content.ReadFromJsonAsync<JsonElement>();
        int total = first.GetProperty("created").GetInt32() + first.GetProperty("existing").GetInt32();
        Assert.Equal(FeesApp.DemoMembers, total);
        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.Equal(FeesApp.DemoMembers, second.GetProperty("existing").GetInt32());
        int rows = await app.WithScopeAsync(s => s.GetRequiredService<FeesDbContext>().Statements.CountAsync(x => x.Period == Period.Of(2026, 8)));
        Assert.Equal(FeesApp.DemoMembers, rows);
    }

    [Fact]
    public async Task TwentyConcurrentRuns_GiveOneResult_TheOthersAreAskedToRetry()
    {
        var admin = await app.Admin();
        var runs = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => admin.PostAsync("/api/cycles/2026-09/generate", null)));
        Assert.All(runs, r => Assert.True(r.StatusCode is HttpStatusCode.OK or HttpStatusCode.Conflict, r.StatusCode.ToString()));
        foreach (var busy in runs.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("generation_in_progress", (await busy.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            Assert.NotNull(busy.Headers.RetryAfter);
        }
        var bodies = await Task.WhenAll(runs.Where(r => r.IsSuccessStatusCode).Select(r => r.Content.ReadFromJsonAsync<JsonElement>()));
        Assert.Equal(FeesApp.DemoMembers, bodies.Sum(b => b.GetProperty("created").GetInt32()));
        int rows = await app.WithScopeAsync(s => s.GetRequiredService<FeesDbContext>().Statements.CountAsync(x => x.Period == Period.Of(2026, 9)));
        Assert.Equal(FeesApp.DemoMembers, rows);
    }

    [Fact]
    public async Task MemberWithFiftyYearsInTheParty_GetsAnExemptStatementNamingTheRule()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        var statements = await admin.GetFromJsonAsync<JsonElement[]>($"/api/members/{app.Demo.FiftyYearMemberNo}/statements");
        var august = Assert.Single(statements!, s => s.GetProperty("period").GetString() == "2026-08");
        Assert.Equal("exempt", august.GetProperty("status").GetString());
        Assert.Equal(0, august.GetProperty("amount").GetInt64());
        Assert.Equal(RuleIds.FiftyYearsExempt, august.GetProperty("ruleId").GetString());
        Assert.Contains(RuleIds.FiftyYearsExempt, august.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SiMemberWithoutIncome_WaitsForData_AndIsCompletedWhenTheDataArrives()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-10/generate", null)).EnsureSuccessStatusCode();
        var waiting = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/members/{app.Demo.SiMemberWithoutIncomeNo}/statements"))!
            .Single(s => s.GetProperty("period").GetString() == "2026-10");
        Assert.Equal("awaiting_data", waiting.GetProperty("status").GetString());
        Assert.Equal(RuleIds.AwaitingData, waiting.GetProperty("ruleId").GetString());

        (await admin.PostAsync("/api/import/income", Csv.Body($"member_no,period,si_salary,si_benefit,pension\n{app.Demo.SiMemberWithoutIncomeNo},2026-09,8000000,,\n")))
            .EnsureSuccessStatusCode();
        var rerun = await (await admin.PostAsync("/api/cycles/2026-10/generate", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(rerun.GetProperty("completed").GetInt32() >= 1);
        var done = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/members/{app.Demo.SiMemberWithoutIncomeNo}/statements"))!
            .Single(s => s.GetProperty("period").GetString() == "2026-10");
        Assert.Equal("issued", done.GetProperty("status").GetString());
        Assert.Equal(80_000, done.GetProperty("amount").GetInt64());
    }

    /// <summary>Law: every stored statement's amount equals the quote recomputed from the inputs it stored.</summary>
    [Fact]
    public async Task EveryStatementAmount_EqualsTheQuoteForItsStoredInputs()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-11/generate", null)).EnsureSuccessStatusCode();
        var stored = await app.WithScopeAsync(s => s.GetRequiredService<FeesDbContext>().Statements.AsNoTracking()
            .Select(x => new { x.Amount, x.RuleId, x.Explanation, x.Inputs }).ToListAsync());
        Assert.NotEmpty(stored);
        foreach (var s in stored)
        {
            var quote = FeeCalculator.Quote(StatementInputs.FromJson(s.Inputs), FeeRuleBook.Default);
            Assert.Equal(s.Amount, quote.Amount);
            Assert.Equal(s.RuleId, quote.RuleId);
            Assert.Equal(s.Explanation, quote.Explanation);
        }
    }

    [Fact]
    public async Task Member_SeesTheirOwnStatements_WithTheirStandingReference()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        var own = await member.GetFromJsonAsync<JsonElement[]>($"/api/members/{app.Demo.CellMemberNo}/statements");
        var august = Assert.Single(own!, s => s.GetProperty("period").GetString() == "2026-08");
        Assert.Equal("issued", august.GetProperty("status").GetString());
        Assert.Equal(app.Demo.CellCode, august.GetProperty("orgCode").GetString());
        Assert.StartsWith("DT", august.GetProperty("reference").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/api/members/{app.Demo.SiblingCellMemberNo}/statements")).StatusCode);
    }
}

/// <summary>Committee decisions (FR-09/FR-10) on a database of their own, so no other test generated the period first.</summary>
public sealed class FeeDecisionTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task CommitteeReduction_IsAppliedByGeneration_AndADecisionLongerThan12MonthsIsRefused()
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        string memberNo = app.Demo.CellMemberNo;
        var tooLong = await treasurer.PostAsJsonAsync($"/api/members/{memberNo}/fee-decisions",
            new { reason = "OtherHardship", reductionPercent = 50, decidedBy = "Chi bộ", documentRef = "01-QĐ/CB", validFrom = "2026-08", validTo = "2027-08" });
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        Assert.True((await tooLong.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("validTo", out _));

        var ok = await treasurer.PostAsJsonAsync($"/api/members/{memberNo}/fee-decisions",
            new { reason = "OtherHardship", reductionPercent = 50, decidedBy = "Chi bộ Văn phòng", documentRef = "02-QĐ/CB", validFrom = "2026-08", validTo = "2026-09" });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);

        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/cycles/2026-10/generate", null)).EnsureSuccessStatusCode();
        var statements = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/members/{memberNo}/statements"))!;
        var august = statements.Single(s => s.GetProperty("period").GetString() == "2026-08");
        var october = statements.Single(s => s.GetProperty("period").GetString() == "2026-10");
        Assert.Contains(RuleIds.DecisionReduction, august.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        // The decision ended with September: October is charged in full, by itself.
        Assert.DoesNotContain(RuleIds.DecisionReduction, october.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.True(august.GetProperty("amount").GetInt64() < october.GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task Auditor_CannotRecordADecision_OnlyReadIt()
    {
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        var response = await auditor.PostAsJsonAsync($"/api/members/{app.Demo.CellMemberNo}/fee-decisions",
            new { reason = "GraveIllness", reductionPercent = 100, decidedBy = "Chi bộ", documentRef = "03-QĐ/CB", validFrom = "2026-08", validTo = "2026-09" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/members/{app.Demo.CellMemberNo}/fee-decisions")).StatusCode);
    }
}
