using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Rules;
using Fees.Persistence;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests;

/// <summary>
/// Issue 9, "bad input gets a clear 4xx and changes nothing" and "a read changes nothing": each probe the hostile
/// tester reproduced, as a test named for it (the sign-in, CSV, transfer and static-sheet probes live beside their
/// features: ParallelSignInTests, ImportTests, MemberTransferRequestTests, StaticQrSheetTests).
/// </summary>
public sealed class HostileInputTests(FeesApp app) : IClassFixture<FeesApp>
{
    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body[..Math.Min(body.Length, 2_000)]}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    private static void AssertNames(JsonElement problem, params string[] fields)
    {
        var errors = problem.GetProperty("errors");
        Assert.All(fields, f => Assert.True(errors.TryGetProperty(f, out _), $"{f} not named in {errors}"));
    }

    /// <summary>A new student member of the demo cell (imported by the admin), for a test that changes them.</summary>
    private async Task<string> NewMember(string memberNo)
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/import/members", Csv.Body(
            "member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on\n" +
            $"{memberNo},Trần Thị Thử,{app.Demo.CellCode},official,student,2002-02-02,F,2023-02-03\n"))).EnsureSuccessStatusCode();
        return memberNo;
    }

    [Theory]
    [InlineData("/api/members?page={0}", "admin")]
    [InlineData("/api/orgs?page={0}", "admin")]
    [InlineData("/api/orgs/{1}/members?page={0}", "admin")]
    [InlineData("/api/users?page={0}", "admin")]
    [InlineData("/api/transfer-requests?page={0}", "vanphong")]
    public async Task Paging_Page2147483647_Is400NamingPage_NeverA500(string template, string user)
    {
        var client = user == "admin" ? await app.Admin() : await app.ClientFor("vanphong", "vanphong-demo");
        foreach (string page in new[] { "2147483647", "0", "-1" })
        {
            var problem = await Json(await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, page, app.Demo.CellCode)),
                HttpStatusCode.BadRequest);
            AssertNames(problem, "page");
        }
        // Not a number, or beyond int: still a 400, never a 500.
        foreach (string page in new[] { "99999999999", "mot" })
        {
            var response = await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, page, app.Demo.CellCode));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK,
            (await client.GetAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, "1", app.Demo.CellCode))).StatusCode);
    }

    [Fact]
    public async Task ProblemDetails_NeverEchoMegabytesOfTheInput()
    {
        string megabytes = new('Đ', 2_000_000);
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        var quote = await member.PostAsJsonAsync("/api/fees/quote", new { period = megabytes, category = megabytes, sex = megabytes });
        string quoteBody = await quote.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, quote.StatusCode);
        Assert.True(quoteBody.Length < 5_000, $"{quoteBody.Length} characters answered");
        AssertNames(JsonSerializer.Deserialize<JsonElement>(quoteBody), "period", "category", "sex");

        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        var decision = await treasurer.PostAsJsonAsync($"/api/members/{app.Demo.CellMemberNo}/fee-decisions",
            new { reason = megabytes, reductionPercent = 50, decidedBy = megabytes, documentRef = megabytes, validFrom = megabytes, validTo = megabytes });
        string decisionBody = await decision.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, decision.StatusCode);
        Assert.True(decisionBody.Length < 5_000, $"{decisionBody.Length} characters answered");

        var qr = await treasurer.GetAsync($"/api/members/{app.Demo.CellMemberNo}/payment-qr?periods={new string('9', 60_000)}");
        string qrBody = await qr.Content.ReadAsStringAsync();
        Assert.True(qr.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestUriTooLong, qr.StatusCode.ToString());
        Assert.True(qrBody.Length < 5_000, $"{qrBody.Length} characters answered");
    }

    [Fact]
    public async Task EnumFields_AcceptOnlyTheirNames()
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        foreach (string reason in new[] { "0", "1", "3", "poorhousehold", " PoorHousehold", "PoorHousehold,GraveIllness" })
        {
            var problem = await Json(await treasurer.PostAsJsonAsync($"/api/members/{app.Demo.CellMemberNo}/fee-decisions",
                new { reason, reductionPercent = 50, decidedBy = "Chi bộ", documentRef = "09-QĐ/CB", validFrom = "2026-08", validTo = "2026-09" }),
                HttpStatusCode.BadRequest);
            AssertNames(problem, "reason");
        }
        Assert.Equal(0, await app.WithScopeAsync(s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            return db.FeeDecisions.CountAsync(d => db.Members.Any(m => m.Id == d.MemberId && m.MemberNo == app.Demo.CellMemberNo));
        }));

        var member = await app.ClientFor("dangvien", "dangvien-demo");
        AssertNames(await Json(await member.PostAsJsonAsync("/api/fees/quote", new { period = "2026-08", category = "0" }), HttpStatusCode.BadRequest),
            "category");
        AssertNames(await Json(await member.PostAsJsonAsync("/api/fees/quote",
            new { period = "2026-08", category = "other", wageRegion = 1, birthDate = "1980-05-05", sex = "0" }), HttpStatusCode.BadRequest), "sex");

        var office = await app.ClientFor("vanphong", "vanphong-demo");
        AssertNames(await Json(await office.PostAsJsonAsync($"/api/members/{app.Demo.CellMemberNo}/moves",
            new { toOrgCode = app.Demo.SiblingCellCode, kind = "0" }), HttpStatusCode.BadRequest), "kind");
        AssertNames(await Json(await office.GetAsync("/api/transfer-requests?direction=1&status=0"), HttpStatusCode.BadRequest), "direction", "status");
    }

    [Fact]
    public async Task DecisionsAndVoluntaryAmounts_Before2026_08_Are422_LikeGeneration()
    {
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        var decision = await Json(await treasurer.PostAsJsonAsync($"/api/members/{app.Demo.CellMemberNo}/fee-decisions",
            new { reason = "PoorHousehold", reductionPercent = 100, decidedBy = "Chi bộ", documentRef = "07-QĐ/CB", validFrom = "2026-07", validTo = "2026-08" }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("before_system_start", decision.GetProperty("code").GetString());
        Assert.Contains("không đóng bù", decision.GetProperty("title").GetString(), StringComparison.Ordinal);

        var voluntary = await Json(await treasurer.PostAsJsonAsync($"/api/members/{app.Demo.CellMemberNo}/voluntary-amounts",
            new { amount = 200_000, approvedBy = "Chi bộ", documentRef = "07-QĐ/CB", validFrom = "2025-01" }), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("before_system_start", voluntary.GetProperty("code").GetString());

        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            long id = await db.Members.Where(m => m.MemberNo == app.Demo.CellMemberNo).Select(m => m.Id).SingleAsync();
            Assert.Equal(0, await db.FeeDecisions.CountAsync(d => d.MemberId == id));
            Assert.Equal(0, await db.VoluntaryAmounts.CountAsync(v => v.MemberId == id));
            return 0;
        });
    }

    [Fact]
    public async Task OverlappingVoluntaryAmounts_AreRefused_Under20ConcurrentCalls()
    {
        string memberNo = await NewMember("88900101");
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        var calls = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => treasurer.PostAsJsonAsync($"/api/members/{memberNo}/voluntary-amounts",
            new { amount = 100_000, approvedBy = "Chi bộ", documentRef = "11-QĐ/CB", validFrom = "2026-09", validTo = "2027-08" })));
        Assert.All(calls, c => Assert.True(c.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, c.StatusCode.ToString()));
        Assert.Single(calls, c => c.StatusCode == HttpStatusCode.Created);
        foreach (var refused in calls.Where(c => c.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("voluntary_amount_overlaps", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }

        // Another amount overlapping the first by one month, or open-ended from inside it, is refused too.
        Assert.Equal(HttpStatusCode.Conflict, (await treasurer.PostAsJsonAsync($"/api/members/{memberNo}/voluntary-amounts",
            new { amount = 150_000, approvedBy = "Chi bộ", documentRef = "12-QĐ/CB", validFrom = "2027-08", validTo = "2027-12" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await treasurer.PostAsJsonAsync($"/api/members/{memberNo}/voluntary-amounts",
            new { amount = 150_000, approvedBy = "Chi bộ", documentRef = "12-QĐ/CB", validFrom = "2026-08" })).StatusCode);
        // One that starts after it ends is recorded.
        Assert.Equal(HttpStatusCode.Created, (await treasurer.PostAsJsonAsync($"/api/members/{memberNo}/voluntary-amounts",
            new { amount = 150_000, approvedBy = "Chi bộ", documentRef = "13-QĐ/CB", validFrom = "2027-09" })).StatusCode);

        int rows = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            long id = await db.Members.Where(m => m.MemberNo == memberNo).Select(m => m.Id).SingleAsync();
            return await db.VoluntaryAmounts.CountAsync(v => v.MemberId == id);
        });
        Assert.Equal(2, rows);
    }

    [Fact]
    public async Task Money_BeyondTheDocumentedCeiling_Is400NamingTheField_AndChangesNothing()
    {
        string memberNo = await NewMember("88900201");
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        foreach (long amount in new[] { long.MaxValue, FeeLimits.MaxVoluntaryAmount.Dong + 1, 0, -5_000 })
        {
            AssertNames(await Json(await treasurer.PostAsJsonAsync($"/api/members/{memberNo}/voluntary-amounts",
                new { amount, approvedBy = "Chi bộ", documentRef = "21-QĐ/CB", validFrom = "2026-09" }), HttpStatusCode.BadRequest), "amount");
        }
        // Beyond what a long holds: a 400, not a 500.
        var huge = await treasurer.PostAsync($"/api/members/{memberNo}/voluntary-amounts", new StringContent(
            """{"amount":9223372036854775808,"approvedBy":"Chi bộ","documentRef":"21-QĐ/CB","validFrom":"2026-09"}""",
            System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, huge.StatusCode);

        var member = await app.ClientFor("dangvien", "dangvien-demo");
        AssertNames(await Json(await member.PostAsJsonAsync("/api/fees/quote",
            new { period = "2026-08", category = "si", siSalary = FeeLimits.MaxMonthlyIncome.Dong + 1 }), HttpStatusCode.BadRequest), "siSalary");
        AssertNames(await Json(await member.PostAsJsonAsync("/api/fees/quote",
            new { period = "2026-08", category = "pensioner", pension = long.MaxValue }), HttpStatusCode.BadRequest), "pension");
        AssertNames(await Json(await member.PostAsJsonAsync("/api/fees/quote",
            new { period = "2026-08", category = "other", voluntaryAmount = FeeLimits.MaxVoluntaryAmount.Dong + 1 }), HttpStatusCode.BadRequest), "voluntaryAmount");
        // At the ceiling itself: accepted.
        Assert.Equal(HttpStatusCode.OK, (await member.PostAsJsonAsync("/api/fees/quote",
            new { period = "2026-08", category = "si", siSalary = FeeLimits.MaxMonthlyIncome.Dong })).StatusCode);

        var admin = await app.Admin();
        var income = await admin.PostAsync("/api/import/income",
            Csv.Body($"member_no,period,si_salary,si_benefit,pension\n{memberNo},2026-08,{FeeLimits.MaxMonthlyIncome.Dong + 1},,\n"));
        string incomeBody = await income.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, income.StatusCode);
        Assert.Contains("si_salary", incomeBody, StringComparison.Ordinal);

        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            long id = await db.Members.Where(m => m.MemberNo == memberNo).Select(m => m.Id).SingleAsync();
            Assert.Equal(0, await db.VoluntaryAmounts.CountAsync(v => v.MemberId == id));
            Assert.Equal(0, await db.Income.CountAsync(i => i.MemberId == id));
            return 0;
        });
    }

    [Fact]
    public async Task ReadsOfAMembersPaymentQr_ByStaffAndAuditors_ChangeNothing_TheMembersSavedCodeStaysPayable()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/cycles/2026-09/generate", null)).EnsureSuccessStatusCode();
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        string path = $"/api/members/{app.Demo.CellMemberNo}/payment-qr";
        var saved = await Json(await member.GetAsync(path), HttpStatusCode.OK);

        async Task<List<(string Reference, string Status)>> Requests() => await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            long id = await db.Members.Where(m => m.MemberNo == app.Demo.CellMemberNo).Select(m => m.Id).SingleAsync();
            return (await db.PaymentRequests.AsNoTracking().Where(r => r.MemberId == id).OrderBy(r => r.Id).ToListAsync())
                .Select(r => (r.Reference, r.Status.ToString())).ToList();
        });
        var before = await Requests();

        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(path)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync(path + "?periods=2026-08")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await treasurer.GetAsync(path + "?periods=2026-09")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync(path + ".png?periods=2026-08")).StatusCode);

        Assert.Equal(before, await Requests());
        var again = await Json(await member.GetAsync(path), HttpStatusCode.OK);
        Assert.Equal(saved.GetProperty("reference").GetString(), again.GetProperty("reference").GetString());
        Assert.Equal(saved.GetProperty("payload").GetString(), again.GetProperty("payload").GetString());
    }

    [Fact]
    public async Task TwentyParallelMoves_LeaveOneOpenOfficialPlacement_AndNo500()
    {
        string memberNo = await NewMember("88900301");
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        var moves = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => office.PostAsJsonAsync($"/api/members/{memberNo}/moves",
            new { toOrgCode = app.Demo.SiblingCellCode, kind = "official" })));
        Assert.All(moves, m => Assert.True((int)m.StatusCode < 500, m.StatusCode.ToString()));
        Assert.Contains(moves, m => m.StatusCode == HttpStatusCode.NoContent);

        var open = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            long id = await db.Members.Where(m => m.MemberNo == memberNo).Select(m => m.Id).SingleAsync();
            return await (from p in db.Placements.AsNoTracking()
                          join o in db.Orgs on p.OrgId equals o.Id
                          where p.MemberId == id && p.Kind == Fees.Domain.Members.PlacementKind.Official && p.ValidTo == null
                          select o.Code).ToListAsync();
        });
        Assert.Equal([app.Demo.SiblingCellCode], open);
    }

    [Fact]
    public async Task AfterAMove_EachOrganizationsStaffSeeTheirPartOfTheHistory_AndTheFormerTreasurerMakesNoCodeIntoTheNewAccount()
    {
        string memberNo = await NewMember("88900401");
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        Assert.Equal(HttpStatusCode.NoContent, (await office.PostAsJsonAsync($"/api/members/{memberNo}/moves",
            new { toOrgCode = app.Demo.SiblingCellCode, kind = "official" })).StatusCode);
        var created = await admin.PostAsJsonAsync("/api/users",
            new { username = "thuquy.chiboben", password = "thu-quy-chi-bo-ben-2026", role = "treasurer", orgCode = app.Demo.SiblingCellCode });
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
        var newTreasurer = await app.ClientFor("thuquy.chiboben", "thu-quy-chi-bo-ben-2026");
        var formerTreasurer = await app.ClientFor("thuquy", "thuquy-demo");

        var everything = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/members/{memberNo}/statements"))!;
        Assert.Contains(everything, s => s.GetProperty("orgCode").GetString() == app.Demo.CellCode);
        Assert.Contains(everything, s => s.GetProperty("orgCode").GetString() == app.Demo.SiblingCellCode);

        // The former cell's treasurer reads what was owed there (now transferred), and nothing the new cell is owed.
        var formerPart = await Json(await formerTreasurer.GetAsync($"/api/members/{memberNo}/statements"), HttpStatusCode.OK);
        Assert.NotEmpty(formerPart.EnumerateArray());
        Assert.All(formerPart.EnumerateArray(), s => Assert.Equal(app.Demo.CellCode, s.GetProperty("orgCode").GetString()));
        // ... and makes no payment code for the member: it would pay into the new cell's account.
        Assert.Equal(HttpStatusCode.Forbidden, (await formerTreasurer.GetAsync($"/api/members/{memberNo}/payment-qr")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await formerTreasurer.GetAsync($"/api/members/{memberNo}/payment-qr.png")).StatusCode);

        // The new cell's treasurer reads its own part only, and makes the code into its own account.
        var newPart = await Json(await newTreasurer.GetAsync($"/api/members/{memberNo}/statements"), HttpStatusCode.OK);
        Assert.NotEmpty(newPart.EnumerateArray());
        Assert.All(newPart.EnumerateArray(), s => Assert.Equal(app.Demo.SiblingCellCode, s.GetProperty("orgCode").GetString()));
        var code = await Json(await newTreasurer.GetAsync($"/api/members/{memberNo}/payment-qr"), HttpStatusCode.OK);
        Assert.Equal(app.Demo.SiblingCellCode, code.GetProperty("orgCode").GetString());
    }
}
