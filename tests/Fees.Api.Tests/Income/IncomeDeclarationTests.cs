using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Members;
using Fees.Persistence;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Income;

/// <summary>
/// Issue 10 item 7: a member declares a changed income from a month on, with a note; the treasurer of the member's cell
/// (or office staff in scope) confirms or rejects it; the member may withdraw it. One open declaration per member, every
/// step audited, every input bounded, every refusal a problem naming why.
/// </summary>
public sealed class IncomeDeclarationTests(FeesApp app) : IClassFixture<FeesApp>
{
    private static int _users;

    /// <summary>A member of the demo cell (by index, from the end, so tests do not share one) and a client signed in as them.</summary>
    private async Task<(string MemberNo, HttpClient Client)> Member(int index)
    {
        string memberNo = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            long cell = await db.Orgs.Where(o => o.Code == app.Demo.CellCode).Select(o => o.Id).SingleAsync();
            return await (from p in db.Placements
                          join m in db.Members on p.MemberId equals m.Id
                          where p.OrgId == cell && p.ValidTo == null && m.MemberNo != app.Demo.CellMemberNo
                          orderby m.MemberNo descending
                          select m.MemberNo).Skip(index).FirstAsync();
        });
        string username = "dv" + Interlocked.Increment(ref _users).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var admin = await app.Admin();
        (await admin.PostAsJsonAsync("/api/users", new { username, password = username + "-password", role = "member", memberNo })).EnsureSuccessStatusCode();
        return (memberNo, await app.ClientFor(username, username + "-password"));
    }

    private static object Declaration(string from = "2026-12", long? siSalary = 7_200_000, string? note = "Nâng bậc lương theo quyết định số 12/QĐ") =>
        new { from, siSalary, siBenefit = (long?)null, pension = (long?)null, note };

    private static async Task<long> Propose(HttpClient member, string memberNo, object? body = null)
    {
        var response = await member.PostAsJsonAsync($"/api/members/{memberNo}/income-declarations", body ?? Declaration());
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var view = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("proposed", view.GetProperty("status").GetString());
        return view.GetProperty("id").GetInt64();
    }

    private async Task<(long? Salary, string Source)?> IncomeOn(string memberNo, string period) => await app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<FeesDbContext>();
        var day = DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var row = await (from i in db.Income
                         join m in db.Members on i.MemberId equals m.Id
                         where m.MemberNo == memberNo && i.Period == day
                         select new { i.SiSalary, i.Source }).SingleOrDefaultAsync();
        return row is null ? ((long?, string)?)null : (row.SiSalary, row.Source);
    });

    [Fact]
    public async Task Member_Declares_TreasurerConfirms_AndTheFiguresBecomeIncomeDataNamingTheDeclaration()
    {
        var (no, member) = await Member(0);
        long id = await Propose(member, no);
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");

        var pending = await treasurer.GetFromJsonAsync<JsonElement>($"/api/orgs/{app.Demo.CellCode}/income-declarations");
        var item = pending.EnumerateArray().Single(p => p.GetProperty("declaration").GetProperty("id").GetInt64() == id);
        Assert.Equal(no, item.GetProperty("declaration").GetProperty("memberNo").GetString());
        Assert.Equal(app.Demo.CellCode, item.GetProperty("orgCode").GetString());

        var confirmed = await treasurer.PostAsync($"/api/income-declarations/{id}/confirm", null);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var view = await confirmed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("confirmed", view.GetProperty("status").GetString());
        Assert.Equal("thuquy", view.GetProperty("decidedBy").GetString());
        Assert.Equal((7_200_000L, IncomeDeclaration.SourceOf(id)), await IncomeOn(no, "2026-12"));

        // The member reads it back; the queue no longer holds it.
        var mine = await member.GetFromJsonAsync<JsonElement>($"/api/members/{no}/income-declarations");
        Assert.Equal("confirmed", mine.EnumerateArray().Single(d => d.GetProperty("id").GetInt64() == id).GetProperty("status").GetString());
        pending = await treasurer.GetFromJsonAsync<JsonElement>($"/api/orgs/{app.Demo.CellCode}/income-declarations");
        Assert.DoesNotContain(pending.EnumerateArray(), p => p.GetProperty("declaration").GetProperty("id").GetInt64() == id);

        // Every step in the audit log: the proposal, the confirmation, the month of income it wrote (with the imported figure before).
        var admin = await app.Admin();
        var audit = await admin.GetFromJsonAsync<JsonElement>($"/api/audit?targetType=income_declaration&targetId={id}");
        Assert.Equal(["income_declaration.confirm", "income_declaration.propose"], audit.EnumerateArray().Select(a => a.GetProperty("action").GetString()!).ToArray());
        var income = (await admin.GetFromJsonAsync<JsonElement>($"/api/audit?action=income.declared&targetId={no}/2026-12")).EnumerateArray().Single();
        Assert.Equal(IncomeDeclaration.SourceOf(id), income.GetProperty("after").GetProperty("source").GetString());
        Assert.Equal("thuquy", income.GetProperty("actor").GetString());
    }

    [Fact]
    public async Task TwentyConcurrentProposals_MakeOneDeclaration_AndTheOthersAre409()
    {
        var (no, member) = await Member(1);

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            member.PostAsJsonAsync($"/api/members/{no}/income-declarations", Declaration(siSalary: 7_000_000 + i))));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var conflict = await answers.First(a => a.StatusCode == HttpStatusCode.Conflict).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("declaration_open", conflict.GetProperty("code").GetString());
        var mine = await member.GetFromJsonAsync<JsonElement>($"/api/members/{no}/income-declarations");
        Assert.Single(mine.EnumerateArray());
        Assert.Equal(1, await app.Scalar($"select count(*) from income_declarations d join members m on m.id = d.member_id where m.member_no = '{no}'"));
    }

    [Fact]
    public async Task TwentyConcurrentConfirmations_ConfirmOnce_AndTheOthersAre409()
    {
        var (no, member) = await Member(2);
        long id = await Propose(member, no);
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => treasurer.PostAsync($"/api/income-declarations/{id}/confirm", null)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(1, await app.Scalar($"select count(*) from audit_log where action = 'income_declaration.confirm' and target_id = '{id}'"));
        Assert.Equal(1, await app.Scalar($"select count(*) from audit_log where action = 'income.declared' and target_id = '{no}/2026-12'"));
    }

    [Fact]
    public async Task Reject_NeedsAReason_ThenKeepsIt_AndLeavesTheIncomeAsItWas()
    {
        var (no, member) = await Member(3);
        var before = await IncomeOn(no, "2026-12");
        long id = await Propose(member, no);
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");

        var noReason = await treasurer.PostAsJsonAsync($"/api/income-declarations/{id}/reject", new { reason = "  " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        Assert.True((await noReason.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("reason", out _));
        var rejected = await treasurer.PostAsJsonAsync($"/api/income-declarations/{id}/reject", new { reason = "Chưa có quyết định nâng lương" });
        Assert.Equal(HttpStatusCode.OK, rejected.StatusCode);
        var view = await rejected.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("rejected", view.GetProperty("status").GetString());
        Assert.Equal("Chưa có quyết định nâng lương", view.GetProperty("rejectionReason").GetString());
        Assert.Equal(before, await IncomeOn(no, "2026-12"));

        // Decided: neither a confirmation nor a withdrawal moves it any more; a new declaration may be made.
        Assert.Equal(HttpStatusCode.Conflict, (await treasurer.PostAsync($"/api/income-declarations/{id}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await member.PostAsync($"/api/income-declarations/{id}/withdraw", null)).StatusCode);
        await Propose(member, no, Declaration(siSalary: 6_900_000));
    }

    [Fact]
    public async Task TheMember_Withdraws_OnlyTheirOwn_AndOnlyTheCellDecides()
    {
        var (no, member) = await Member(4);
        var (otherNo, other) = await Member(5);
        long id = await Propose(member, no);
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");

        Assert.Equal(HttpStatusCode.Forbidden, (await member.PostAsync($"/api/income-declarations/{id}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsync($"/api/income-declarations/{id}/withdraw", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.PostAsync($"/api/income-declarations/{id}/withdraw", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.PostAsJsonAsync($"/api/members/{no}/income-declarations", Declaration())).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await other.GetAsync($"/api/members/{no}/income-declarations")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.PostAsJsonAsync($"/api/members/{no}/income-declarations", Declaration())).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.PostAsync("/api/income-declarations/987654321/withdraw", null)).StatusCode);

        var withdrawn = await member.PostAsync($"/api/income-declarations/{id}/withdraw", null);
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        Assert.Equal("withdrawn", (await withdrawn.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await treasurer.PostAsync($"/api/income-declarations/{id}/confirm", null)).StatusCode);
        Assert.NotEqual(otherNo, no);
    }

    [Fact]
    public async Task OnlyStaffOfTheMembersOrganization_Decide_AndAuditorsOnlyRead()
    {
        var (no, member) = await Member(6);
        long first = await Propose(member, no);
        var admin = await app.Admin();
        (await admin.PostAsJsonAsync("/api/users", new { username = "thuquy-ben", password = "thuquy-ben-password", role = "treasurer", orgCode = app.Demo.SiblingCellCode }))
            .EnsureSuccessStatusCode();
        var sibling = await app.ClientFor("thuquy-ben", "thuquy-ben-password");
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");

        Assert.Equal(HttpStatusCode.Forbidden, (await sibling.PostAsync($"/api/income-declarations/{first}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await sibling.GetAsync($"/api/orgs/{app.Demo.CellCode}/income-declarations")).StatusCode);
        Assert.DoesNotContain((await sibling.GetFromJsonAsync<JsonElement>($"/api/orgs/{app.Demo.SiblingCellCode}/income-declarations")).EnumerateArray(),
            p => p.GetProperty("declaration").GetProperty("id").GetInt64() == first);
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsync($"/api/income-declarations/{first}/confirm", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await auditor.GetAsync($"/api/orgs/{app.Demo.CellCode}/income-declarations")).StatusCode);

        // Office staff of the commune, whose subtree holds the cell, decide too.
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/income-declarations/{first}/reject", new { reason = "Đề nghị nộp bản sao quyết định" })).StatusCode);
    }

    [Fact]
    public async Task ALaterImport_ReplacesADeclaredFigure_AsTheLatestWord_AndTheAuditKeepsWhatItReplaced()
    {
        var (no, member) = await Member(7);
        long id = await Propose(member, no, Declaration(from: "2026-11", siSalary: 7_100_000));
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        Assert.Equal(HttpStatusCode.OK, (await treasurer.PostAsync($"/api/income-declarations/{id}/confirm", null)).StatusCode);
        // From November on: November and the December already on file.
        Assert.Equal((7_100_000L, IncomeDeclaration.SourceOf(id)), await IncomeOn(no, "2026-11"));
        Assert.Equal((7_100_000L, IncomeDeclaration.SourceOf(id)), await IncomeOn(no, "2026-12"));

        var admin = await app.Admin();
        var imported = await admin.PostAsync("/api/import/income", Csv.Body($"member_no,period,si_salary,si_benefit,pension\n{no},2026-12,7300000,,\n"));
        Assert.Equal(HttpStatusCode.OK, imported.StatusCode);

        Assert.Equal((7_300_000L, "import"), await IncomeOn(no, "2026-12"));
        Assert.Equal((7_100_000L, IncomeDeclaration.SourceOf(id)), await IncomeOn(no, "2026-11"));
        var update = (await admin.GetFromJsonAsync<JsonElement>($"/api/audit?action=income.update&targetId={no}/2026-12")).EnumerateArray().Single();
        Assert.Equal(IncomeDeclaration.SourceOf(id), update.GetProperty("before").GetProperty("source").GetString());
    }

    [Theory]
    [InlineData("{\"from\":\"2026-07\",\"siSalary\":7000000}", "from")]
    [InlineData("{\"from\":\"2027-02\",\"siSalary\":7000000}", "from")]
    [InlineData("{\"from\":\"thang-12\",\"siSalary\":7000000}", "from")]
    [InlineData("{\"from\":\"2026-12\",\"siSalary\":1000000001}", "siSalary")]
    [InlineData("{\"from\":\"2026-12\",\"pension\":-1}", "pension")]
    [InlineData("{\"from\":\"2026-12\"}", "siSalary")]
    [InlineData("{\"from\":\"2026-12\",\"siSalary\":7000000,\"note\":\"dòng 1\\ndòng 2\"}", "note")]
    public async Task ABadDeclaration_Is400_NamingTheField_AndStoresNothing(string body, string field)
    {
        using var member = await app.ClientFor("dangvien", "dangvien-demo");
        var response = await member.PostAsync($"/api/members/{app.Demo.CellMemberNo}/income-declarations",
            new StringContent(body, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, await app.Scalar($"select count(*) from income_declarations d join members m on m.id = d.member_id where m.member_no = '{app.Demo.CellMemberNo}'"));
    }

    [Fact]
    public async Task ANoteLongerThanTheLimit_AndMalformedJson_Are400_NeverA500()
    {
        using var member = await app.ClientFor("dangvien", "dangvien-demo");
        var tooLong = await member.PostAsJsonAsync($"/api/members/{app.Demo.CellMemberNo}/income-declarations",
            Declaration(note: new string('x', IncomeDeclaration.MaxTextLength + 1)));
        Assert.Equal(HttpStatusCode.BadRequest, tooLong.StatusCode);
        var notJson = await member.PostAsync($"/api/members/{app.Demo.CellMemberNo}/income-declarations",
            new StringContent("{\"from\":\"2026-12\",\"siSalary\":\"bảy triệu\"}", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.PostAsJsonAsync("/api/members/0000000000/income-declarations", Declaration())).StatusCode);
    }
}
