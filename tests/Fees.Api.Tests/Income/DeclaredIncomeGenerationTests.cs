using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Members;
using Fees.Testing;

namespace Fees.Api.Tests.Income;

/// <summary>
/// A confirmed declaration is income data used from the next generation on, never rewriting an issued statement: the
/// demo member's December statement (already generated) stays as it was, January's uses the declared figure and says so,
/// and so does February's, for which no month was imported. Its own service: the test moves the clock into 2027.
/// </summary>
public sealed class DeclaredIncomeGenerationTests(FeesApp app) : IClassFixture<FeesApp>
{
    private const long Declared = 9_876_500;

    [Fact]
    public async Task ConfirmAfterDecembersGeneration_LeavesDecemberAsIssued_AndJanuaryAndFebruaryUseTheDeclaredFigure()
    {
        var admin = await app.Admin();
        string memberNo = app.Demo.CellMemberNo;
        (await admin.PostAsync("/api/cycles/2026-12/generate", null)).EnsureSuccessStatusCode();
        var december = await Statement(admin, memberNo, "2026-12");
        Assert.Equal("FR-01", december.GetProperty("ruleId").GetString());

        using var member = await app.ClientFor("dangvien", "dangvien-demo");
        var proposed = await member.PostAsJsonAsync($"/api/members/{memberNo}/income-declarations",
            new { from = "2026-12", siSalary = Declared, note = "Lương mới theo hợp đồng lao động từ tháng 12/2026" });
        Assert.Equal(HttpStatusCode.Created, proposed.StatusCode);
        long id = (await proposed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        using var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        Assert.Equal(HttpStatusCode.OK, (await treasurer.PostAsync($"/api/income-declarations/{id}/confirm", null)).StatusCode);

        // December, generated before, is issued: generating it again changes nothing.
        (await admin.PostAsync("/api/cycles/2026-12/generate", null)).EnsureSuccessStatusCode();
        Assert.Equal(december.ToString(), (await Statement(admin, memberNo, "2026-12")).ToString());

        // January's dues read December's income: the declared figure, with the rule's arithmetic and where it came from.
        app.Clock.Advance(TimeSpan.FromDays(31)); // 2 January 2027 (sign-ins last hours: sign in again)
        admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2027-01/generate", null)).EnsureSuccessStatusCode();
        var january = await Statement(admin, memberNo, "2027-01");
        Assert.Equal("FR-01", january.GetProperty("ruleId").GetString());
        Assert.Equal(Declared / 100, january.GetProperty("amount").GetInt64());
        string explanation = january.GetProperty("explanation").GetString()!;
        Assert.Contains("9.876.500", explanation, StringComparison.Ordinal);
        Assert.Contains($"theo kê khai của đảng viên (bản kê khai số {id}), đã được chi ủy xác nhận", explanation, StringComparison.Ordinal);
        Assert.Equal(IncomeDeclaration.SourceOf(id), await Inputs(memberNo, "2027-01", "incomeSource"));

        // February: nobody imported January's income; the declaration holds from December on.
        app.Clock.Advance(TimeSpan.FromDays(31)); // 2 February 2027
        admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2027-02/generate", null)).EnsureSuccessStatusCode();
        var february = await Statement(admin, memberNo, "2027-02");
        Assert.Equal(Declared / 100, february.GetProperty("amount").GetInt64());
        Assert.Contains("áp dụng từ tháng 12/2026", february.GetProperty("explanation").GetString()!, StringComparison.Ordinal);
        Assert.Equal("2026-12", await Inputs(memberNo, "2027-02", "incomeMonth"));

        // Another si member with nothing on file for January and no declaration still waits for data (FR-13).
        Assert.Equal("awaiting_data", (await Statement(admin, app.Demo.SiMemberWithoutIncomeNo, "2027-02")).GetProperty("status").GetString());
        var checks = await admin.GetFromJsonAsync<JsonElement>("/api/audit/checks");
        Assert.All(checks.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.ToString()));
    }

    private static async Task<JsonElement> Statement(HttpClient client, string memberNo, string period) =>
        (await client.GetFromJsonAsync<JsonElement>($"/api/members/{memberNo}/statements")).EnumerateArray()
            .Single(s => s.GetProperty("period").GetString() == period);

    private async Task<string> Inputs(string memberNo, string period, string field)
    {
        await using var conn = new Npgsql.NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(
            "select s.inputs ->> @field from dues_statements s join members m on m.id = s.member_id where m.member_no = @no and s.period = @p", conn);
        cmd.Parameters.AddWithValue("field", field);
        cmd.Parameters.AddWithValue("no", memberNo);
        cmd.Parameters.AddWithValue("p", DateOnly.ParseExact(period + "-01", "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        return (string)(await cmd.ExecuteScalarAsync())!;
    }
}
