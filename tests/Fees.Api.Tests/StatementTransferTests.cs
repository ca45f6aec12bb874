using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests;

/// <summary>A member who moves before paying takes the unpaid dues along; the former organization keeps the history.</summary>
public sealed class StatementTransferTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task MovingBeforePaying_TransfersUnpaidStatements_ToTheNewOrganization()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/cycles/2026-09/generate", null)).EnsureSuccessStatusCode();
        string memberNo = app.Demo.CellMemberNo;
        var before = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/members/{memberNo}/statements"))!;
        long augustAmount = before.Single(s => s.GetProperty("period").GetString() == "2026-08").GetProperty("amount").GetInt64();

        var office = await app.ClientFor("vanphong", "vanphong-demo");
        var move = await office.PostAsJsonAsync($"/api/members/{memberNo}/moves",
            new { toOrgCode = app.Demo.SiblingCellCode, kind = "official", reference = "15-QĐ/ĐU" });
        Assert.Equal(HttpStatusCode.NoContent, move.StatusCode);

        var after = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/members/{memberNo}/statements"))!;
        foreach (string period in new[] { "2026-08", "2026-09" })
        {
            var old = after.Single(s => s.GetProperty("period").GetString() == period && s.GetProperty("status").GetString() == "transferred");
            Assert.Equal(app.Demo.CellCode, old.GetProperty("orgCode").GetString());
            var continued = after.Single(s => s.GetProperty("period").GetString() == period && s.GetProperty("status").GetString() == "issued");
            Assert.Equal(app.Demo.SiblingCellCode, continued.GetProperty("orgCode").GetString());
        }
        Assert.Equal(augustAmount, after.Single(s => s.GetProperty("period").GetString() == "2026-08" && s.GetProperty("status").GetString() == "issued")
            .GetProperty("amount").GetInt64());

        // Generating again creates nothing new for the moved member: the continued statements count.
        var rerun = await (await admin.PostAsync("/api/cycles/2026-09/generate", null)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, rerun.GetProperty("created").GetInt32());

        // The former cell's treasurer still sees the history of what was owed there.
        var formerTreasurer = await app.ClientFor("thuquy", "thuquy-demo");
        Assert.Equal(HttpStatusCode.OK, (await formerTreasurer.GetAsync($"/api/members/{memberNo}/statements")).StatusCode);

        var audit = await admin.GetFromJsonAsync<JsonElement[]>("/api/audit?action=statement.transfer");
        Assert.Equal(2, audit!.Length);

        var checks = await admin.GetFromJsonAsync<JsonElement>("/api/audit/checks");
        var statementCheck = checks.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "statements-paid-within-amount");
        Assert.True(statementCheck.GetProperty("passed").GetBoolean(), statementCheck.ToString());

        // Tampering with a continuation (as the owner, outside the service) is caught and the statement named.
        await using (var conn = new Npgsql.NpgsqlConnection(app.Database.Owner))
        {
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand(
                "update dues_statements set amount = amount + 1 where transferred_from_id is not null and id = (select min(id) from dues_statements where transferred_from_id is not null)", conn);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }
        var tampered = (await admin.GetFromJsonAsync<JsonElement>("/api/audit/checks")).GetProperty("checks").EnumerateArray()
            .Single(c => c.GetProperty("name").GetString() == "statements-paid-within-amount");
        Assert.False(tampered.GetProperty("passed").GetBoolean());
        Assert.StartsWith("statement:", tampered.GetProperty("violations")[0].GetProperty("rows")[0].GetString(), StringComparison.Ordinal);
    }
}

/// <summary>The daily job applies moves recorded ahead of their date, on a database of its own.</summary>
public sealed class DailyTransferJobTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task AMoveRecordedAhead_TakesEffectWithTheDailyJob()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        string memberNo = app.Demo.CellMemberNo; // si with income every month: issued, never exempt
        // A move whose day has come: the placement exists, but nothing has moved the dues yet.
        await using (var conn = new Npgsql.NpgsqlConnection(app.Database.Owner))
        {
            await conn.OpenAsync();
            await using var cmd = new Npgsql.NpgsqlCommand("""
                update member_placements set valid_to = @today where member_id = (select id from members where member_no = @m) and valid_to is null;
                insert into member_placements (member_id, org_id, kind, valid_from, recorded_at, recorded_by)
                select m.id, o.id, 'official', @today, now(), 'test' from members m, orgs o where m.member_no = @m and o.code = @o;
                """, conn);
            cmd.Parameters.AddWithValue("m", memberNo);
            cmd.Parameters.AddWithValue("o", app.Demo.SiblingCellCode);
            // The service's today (its clock), not the database's current_date: the tests' clock is fixed, the real date moves.
            cmd.Parameters.AddWithValue("today", Fees.Domain.Time.VietnamTime.Today(app.Clock));
            await cmd.ExecuteNonQueryAsync();
        }

        int moved = await app.WithScopeAsync(s => s.GetRequiredService<Fees.Api.Jobs.DuesJobs>().ApplyTransfers(CancellationToken.None));

        var august = (await admin.GetFromJsonAsync<JsonElement[]>($"/api/members/{memberNo}/statements"))!
            .Where(s => s.GetProperty("period").GetString() == "2026-08").ToList();
        Assert.Equal(1, moved);
        Assert.Contains(august, s => s.GetProperty("status").GetString() == "transferred" && s.GetProperty("orgCode").GetString() == app.Demo.CellCode);
        Assert.Contains(august, s => s.GetProperty("status").GetString() == "issued" && s.GetProperty("orgCode").GetString() == app.Demo.SiblingCellCode);
        Assert.Equal(0, await app.WithScopeAsync(s => s.GetRequiredService<Fees.Api.Jobs.DuesJobs>().ApplyTransfers(CancellationToken.None)));
    }
}
