using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Testing;

namespace Fees.Api.Tests;

/// <summary>
/// Issue 9: a statement issued by mistake is corrected by an audited decision: office staff (or an admin) cancel an
/// unpaid statement with a reason, who decided and the document; the next generation of the period issues what the
/// corrected data says; a statement with money on it cannot be cancelled (the treasurer refunds first).
/// </summary>
public sealed class StatementCancellationTests(FeesApp app) : IClassFixture<FeesApp>
{
    private static readonly object Decision = new { reason = "Lập nhầm: tiền lương tháng 7 nhập sai (thừa một chữ số 0).", decidedBy = "Chi ủy Chi bộ 1", documentRef = "05-QĐ/CB" };

    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    /// <summary>A new member of the office's cell: <c>si</c> with the given July salary, August generated.</summary>
    private async Task<JsonElement> AugustOf(string memberNo, string category = "si", long? julySalary = null)
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/import/members", Csv.Body(
            "member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on\n" +
            $"{memberNo},Phạm Văn Nhầm,{app.Demo.CellCode},official,{category},1985-05-05,M,2010-05-19\n"))).EnsureSuccessStatusCode();
        if (julySalary is { } salary)
        {
            (await admin.PostAsync("/api/import/income", Csv.Body($"member_no,period,si_salary,si_benefit,pension\n{memberNo},2026-07,{salary},,\n")))
                .EnsureSuccessStatusCode();
        }
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        return (await admin.GetFromJsonAsync<JsonElement[]>($"/api/members/{memberNo}/statements"))!.Single(s => s.GetProperty("period").GetString() == "2026-08");
    }

    [Fact]
    public async Task AStatementIssuedByMistake_IsCancelledByAnAuditedDecision_AndTheNextGenerationIssuesTheCorrectedAmount()
    {
        // July's salary was typed with one zero too many: 30,000,000 instead of 3,000,000.
        var wrong = await AugustOf("88200001", julySalary: 30_000_000);
        Assert.Equal(300_000, wrong.GetProperty("amount").GetInt64());
        long id = wrong.GetProperty("id").GetInt64();
        var admin = await app.Admin();
        (await admin.PostAsync("/api/import/income", Csv.Body("member_no,period,si_salary,si_benefit,pension\n88200001,2026-07,3000000,,\n")))
            .EnsureSuccessStatusCode();
        // Correcting the data alone never rewrites what was issued.
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        Assert.Equal(300_000, (await admin.GetFromJsonAsync<JsonElement[]>("/api/members/88200001/statements"))!.Single().GetProperty("amount").GetInt64());

        var office = await app.ClientFor("vanphong", "vanphong-demo");
        var cancelled = await Json(await office.PostAsJsonAsync($"/api/statements/{id}/cancel", Decision), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal(300_000, cancelled.GetProperty("amount").GetInt64());
        Assert.Equal("05-QĐ/CB", cancelled.GetProperty("documentRef").GetString());

        // Nothing is owed on it: the member's code carries nothing for August until the period is generated again.
        Assert.Equal(HttpStatusCode.Conflict, (await admin.GetAsync("/api/members/88200001/payment-qr")).StatusCode);
        var rerun = await Json(await admin.PostAsync("/api/cycles/2026-08/generate", null), HttpStatusCode.OK);
        Assert.Equal(1, rerun.GetProperty("created").GetInt32());
        var statements = (await admin.GetFromJsonAsync<JsonElement[]>("/api/members/88200001/statements"))!;
        Assert.Equal(2, statements.Length);
        Assert.Single(statements, s => s.GetProperty("status").GetString() == "cancelled" && s.GetProperty("amount").GetInt64() == 300_000);
        var corrected = Assert.Single(statements, s => s.GetProperty("status").GetString() == "issued");
        Assert.Equal(30_000, corrected.GetProperty("amount").GetInt64());
        Assert.Equal(30_000, (await Json(await admin.GetAsync("/api/members/88200001/payment-qr"), HttpStatusCode.OK)).GetProperty("amount").GetInt64());
        // Generating again changes nothing more.
        Assert.Equal(0, (await Json(await admin.PostAsync("/api/cycles/2026-08/generate", null), HttpStatusCode.OK)).GetProperty("created").GetInt32());

        var audit = await admin.GetFromJsonAsync<JsonElement[]>($"/api/audit?action=statement.cancel&targetId={id}");
        var record = Assert.Single(audit!);
        Assert.Equal("vanphong", record.GetProperty("actor").GetString());
        Assert.Equal(300_000, record.GetProperty("before").GetProperty("amount").GetInt64());
        Assert.Equal("issued", record.GetProperty("before").GetProperty("status").GetString());
        Assert.Contains("thừa một chữ số 0", record.GetProperty("after").GetProperty("reason").GetString(), StringComparison.Ordinal);

        var checks = await admin.GetFromJsonAsync<JsonElement>("/api/audit/checks");
        var statementCheck = checks.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "statements-paid-within-amount");
        Assert.True(statementCheck.GetProperty("passed").GetBoolean(), statementCheck.ToString());
    }

    [Fact]
    public async Task AStatementWithPayments_CannotBeCancelled_TheTreasurerRefundsFirst()
    {
        var august = await AugustOf("88200002", category: "student");
        var (response, _) = await app.Pay(await app.Account(app.Demo.CellCode), 1_000, august.GetProperty("reference").GetString() + " dong dang phi");
        response.EnsureSuccessStatusCode();
        var office = await app.ClientFor("vanphong", "vanphong-demo");

        var refused = await Json(await office.PostAsJsonAsync($"/api/statements/{august.GetProperty("id").GetInt64()}/cancel", Decision),
            HttpStatusCode.UnprocessableEntity);

        Assert.Equal("statement_has_payments", refused.GetProperty("code").GetString());
        var after = (await (await app.Admin()).GetFromJsonAsync<JsonElement[]>("/api/members/88200002/statements"))!.Single();
        Assert.Equal("partially_paid", after.GetProperty("status").GetString());
        Assert.Empty((await (await app.Admin()).GetFromJsonAsync<JsonElement[]>("/api/audit?action=statement.cancel&targetId=" + august.GetProperty("id").GetInt64()))!);
    }

    [Fact]
    public async Task Cancellation_NeedsAReasonADeciderAndADocument_AnOfficeOrAdminInScope_AndAnIssuedStatement()
    {
        var august = await AugustOf("88200003", category: "student");
        long id = august.GetProperty("id").GetInt64();
        var office = await app.ClientFor("vanphong", "vanphong-demo");

        var missing = await Json(await office.PostAsJsonAsync($"/api/statements/{id}/cancel", new { reason = " ", documentRef = new string('x', 5_000_000) }),
            HttpStatusCode.BadRequest);
        var errors = missing.GetProperty("errors");
        Assert.True(errors.TryGetProperty("reason", out _) && errors.TryGetProperty("decidedBy", out _) && errors.TryGetProperty("documentRef", out _),
            errors.ToString());
        Assert.True(missing.ToString().Length < 5_000);
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.PostAsJsonAsync($"/api/statements/{id}/cancel", Decision)).StatusCode);
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        Assert.Equal(HttpStatusCode.Forbidden, (await auditor.PostAsJsonAsync($"/api/statements/{id}/cancel", Decision)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await office.PostAsJsonAsync("/api/statements/999999999/cancel", Decision)).StatusCode);

        // An exempt statement was never owed: nothing to cancel.
        var fiftyYears = (await (await app.Admin()).GetFromJsonAsync<JsonElement[]>($"/api/members/{app.Demo.FiftyYearMemberNo}/statements"))!
            .Single(s => s.GetProperty("period").GetString() == "2026-08");
        Assert.Equal("exempt", fiftyYears.GetProperty("status").GetString());
        Assert.Equal("statement_not_cancellable",
            (await Json(await (await app.Admin()).PostAsJsonAsync($"/api/statements/{fiftyYears.GetProperty("id").GetInt64()}/cancel", Decision),
                HttpStatusCode.Conflict)).GetProperty("code").GetString());

        Assert.Equal(HttpStatusCode.OK, (await office.PostAsJsonAsync($"/api/statements/{id}/cancel", Decision)).StatusCode);
        Assert.Equal("statement_already_cancelled",
            (await Json(await office.PostAsJsonAsync($"/api/statements/{id}/cancel", Decision), HttpStatusCode.Conflict)).GetProperty("code").GetString());
    }

    [Fact]
    public async Task AStatementOutsideTheOfficesSubtree_Is403()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        var sibling = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/members/{app.Demo.SiblingCellMemberNo}/statements"))!;
        Assert.NotEmpty(sibling);
        var created = await admin.PostAsJsonAsync("/api/users", new { username = "vanphong.chibo", password = "van-phong-chi-bo-1", role = "office", orgCode = app.Demo.CellCode });
        created.EnsureSuccessStatusCode();
        var cellOffice = await app.ClientFor("vanphong.chibo", "van-phong-chi-bo-1");

        var refused = await cellOffice.PostAsJsonAsync($"/api/statements/{sibling[0].GetProperty("id").GetInt64()}/cancel", Decision);

        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    [Fact]
    public async Task TwentyConcurrentCancellations_RecordOneDecision()
    {
        var august = await AugustOf("88200004", category: "student");
        long id = august.GetProperty("id").GetInt64();
        var office = await app.ClientFor("vanphong", "vanphong-demo");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => office.PostAsJsonAsync($"/api/statements/{id}/cancel", Decision)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        Assert.Single((await (await app.Admin()).GetFromJsonAsync<JsonElement[]>($"/api/audit?action=statement.cancel&targetId={id}"))!);
    }
}
