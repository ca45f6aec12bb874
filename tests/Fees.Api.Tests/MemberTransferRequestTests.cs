using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Organizations;
using Fees.Persistence;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests;

/// <summary>
/// Issue 9: office staff move a member only inside their own subtree; a move to an organization outside it is a
/// transfer request (chuyển sinh hoạt đảng) that the receiving side's office accepts, and until then the dues stay.
/// </summary>
public sealed class MemberTransferRequestTests(FeesApp app) : IClassFixture<FeesApp>
{
    private const string OtherOffice = "vanphong.khac";
    private const string OtherOfficePassword = "van-phong-khac-2026";

    /// <summary>A cell with a bank account in another commune than the office's, and an office user of that commune.</summary>
    private async Task<(string CellCode, HttpClient Office)> OtherCommune()
    {
        var (cell, commune) = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            string ours = await db.Orgs.Where(o => o.Code == app.Demo.CommuneCommitteeCode).Select(o => o.Path).SingleAsync();
            var cells = await db.Orgs.AsNoTracking()
                .Where(o => o.Kind == OrgKind.Cell && o.BankAccount != null && !o.Path.StartsWith(ours))
                .OrderBy(o => o.Code).Select(o => new { o.Code, o.Path }).ToListAsync();
            var first = cells.First();
            // /TW/HN/HN.X002/…: the commune-level committee is the path's third organization.
            return (first.Code, first.Path.Split('/', StringSplitOptions.RemoveEmptyEntries)[2]);
        });
        var admin = await app.Admin();
        var created = await admin.PostAsJsonAsync("/api/users", new { username = OtherOffice, password = OtherOfficePassword, role = "office", orgCode = commune });
        Assert.True(created.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, await created.Content.ReadAsStringAsync());
        return (cell, await app.ClientFor(OtherOffice, OtherOfficePassword));
    }

    /// <summary>A new student member (5,000 đ a month) in the office's cell, with August and September issued.</summary>
    private async Task<string> NewMemberWithDues(string memberNo)
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/import/members", Csv.Body(
            "member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on\n" +
            $"{memberNo},Lê Thị Chuyển,{app.Demo.CellCode},official,student,2003-03-03,F,2024-03-26\n"))).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/cycles/2026-09/generate", null)).EnsureSuccessStatusCode();
        return memberNo;
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    private async Task<JsonElement[]> Statements(string memberNo) =>
        (await (await app.Admin()).GetFromJsonAsync<JsonElement[]>($"/api/members/{memberNo}/statements"))!;

    [Fact]
    public async Task CrossSubtreeMove_IsATransferRequest_TheDuesStayUntilTheReceivingSideAccepts()
    {
        var (target, receiving) = await OtherCommune();
        string memberNo = await NewMemberWithDues("88100001");
        var office = await app.ClientFor("vanphong", "vanphong-demo");

        // A direct move there is still refused: it needs the receiving side.
        var direct = await Json(await office.PostAsJsonAsync($"/api/members/{memberNo}/moves", new { toOrgCode = target, kind = "official" }),
            HttpStatusCode.Forbidden);
        Assert.Equal("target_outside_scope", direct.GetProperty("code").GetString());

        var request = await Json(await office.PostAsJsonAsync($"/api/members/{memberNo}/transfer-requests",
            new { toOrgCode = target, reference = "27-QĐ/ĐU" }), HttpStatusCode.Created);
        long id = request.GetProperty("id").GetInt64();
        Assert.Equal("requested", request.GetProperty("status").GetString());
        Assert.Equal(app.Demo.CellCode, request.GetProperty("fromOrgCode").GetString());
        Assert.Equal(target, request.GetProperty("toOrgCode").GetString());

        // Nothing has moved: the member, the placement and the dues are where they were.
        var member = await (await app.Admin()).GetFromJsonAsync<JsonElement>($"/api/members/{memberNo}");
        Assert.Equal(app.Demo.CellCode, member.GetProperty("orgCode").GetString());
        Assert.All(await Statements(memberNo), s => Assert.Equal(app.Demo.CellCode, s.GetProperty("orgCode").GetString()));
        Assert.All(await Statements(memberNo), s => Assert.Equal("issued", s.GetProperty("status").GetString()));
        // The receiving office cannot read the member's records yet, but sees the request coming in.
        Assert.Equal(HttpStatusCode.Forbidden, (await receiving.GetAsync($"/api/members/{memberNo}/statements")).StatusCode);
        var incoming = await Json(await receiving.GetAsync("/api/transfer-requests?direction=incoming&status=requested"), HttpStatusCode.OK);
        var listed = Assert.Single(incoming.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
        Assert.Equal("Lê Thị Chuyển", listed.GetProperty("fullName").GetString());
        Assert.Equal("Chờ tiếp nhận", listed.GetProperty("statusName").GetString());
        var outgoing = await Json(await office.GetAsync("/api/transfer-requests?direction=outgoing"), HttpStatusCode.OK);
        Assert.Contains(outgoing.GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);
        Assert.DoesNotContain((await Json(await office.GetAsync("/api/transfer-requests?direction=incoming"), HttpStatusCode.OK))
            .GetProperty("items").EnumerateArray(), r => r.GetProperty("id").GetInt64() == id);

        var accepted = await Json(await receiving.PostAsync($"/api/transfer-requests/{id}/accept", null), HttpStatusCode.OK);
        Assert.Equal("accepted", accepted.GetProperty("status").GetString());
        Assert.Equal("2026-12-02", accepted.GetProperty("placedFrom").GetString());

        // Placed there exactly as a move inside one subtree places: the unpaid dues follow the member.
        member = await (await app.Admin()).GetFromJsonAsync<JsonElement>($"/api/members/{memberNo}");
        Assert.Equal(target, member.GetProperty("orgCode").GetString());
        var after = await Statements(memberNo);
        foreach (string period in new[] { "2026-08", "2026-09" })
        {
            Assert.Single(after, s => s.GetProperty("period").GetString() == period && s.GetProperty("status").GetString() == "transferred"
                && s.GetProperty("orgCode").GetString() == app.Demo.CellCode);
            Assert.Single(after, s => s.GetProperty("period").GetString() == period && s.GetProperty("status").GetString() == "issued"
                && s.GetProperty("orgCode").GetString() == target);
        }
        Assert.Equal(HttpStatusCode.OK, (await receiving.GetAsync($"/api/members/{memberNo}/statements")).StatusCode);

        var audit = await (await app.Admin()).GetFromJsonAsync<JsonElement[]>($"/api/audit?targetId={memberNo}&limit=100");
        var actions = audit!.Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("member_transfer.request", actions);
        Assert.Contains("member_transfer.accept", actions);
        Assert.Single(actions, a => a == "member.move");
        Assert.Equal(OtherOffice, audit!.Single(a => a.GetProperty("action").GetString() == "member_transfer.accept").GetProperty("actor").GetString());

        var checks = await (await app.Admin()).GetFromJsonAsync<JsonElement>("/api/audit/checks");
        Assert.All(checks.GetProperty("checks").EnumerateArray(), c => Assert.True(c.GetProperty("passed").GetBoolean(), c.ToString()));
    }

    [Fact]
    public async Task TransferRequest_RejectedWithAReason_ChangesNothing_AndTheReasonIsRequired()
    {
        var (target, receiving) = await OtherCommune();
        string memberNo = await NewMemberWithDues("88100002");
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        long id = (await Json(await office.PostAsJsonAsync($"/api/members/{memberNo}/transfer-requests", new { toOrgCode = target }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();

        var noReason = await Json(await receiving.PostAsJsonAsync($"/api/transfer-requests/{id}/reject", new { reason = "  " }), HttpStatusCode.BadRequest);
        Assert.True(noReason.GetProperty("errors").TryGetProperty("reason", out _));
        var nul = await Json(await receiving.PostAsJsonAsync($"/api/transfer-requests/{id}/reject", new { reason = "sai\0tên" }), HttpStatusCode.BadRequest);
        Assert.True(nul.GetProperty("errors").TryGetProperty("reason", out _));

        var rejected = await Json(await receiving.PostAsJsonAsync($"/api/transfer-requests/{id}/reject",
            new { reason = "Chưa nhận được giấy giới thiệu sinh hoạt đảng." }), HttpStatusCode.OK);
        Assert.Equal("rejected", rejected.GetProperty("status").GetString());
        Assert.Equal("Chưa nhận được giấy giới thiệu sinh hoạt đảng.", rejected.GetProperty("reason").GetString());

        var member = await (await app.Admin()).GetFromJsonAsync<JsonElement>($"/api/members/{memberNo}");
        Assert.Equal(app.Demo.CellCode, member.GetProperty("orgCode").GetString());
        Assert.All(await Statements(memberNo), s => Assert.Equal(app.Demo.CellCode, s.GetProperty("orgCode").GetString()));
        var again = await Json(await receiving.PostAsync($"/api/transfer-requests/{id}/accept", null), HttpStatusCode.Conflict);
        Assert.Equal("transfer_not_open", again.GetProperty("code").GetString());
        // Once answered, the member may be requested again.
        await Json(await office.PostAsJsonAsync($"/api/members/{memberNo}/transfer-requests", new { toOrgCode = target }), HttpStatusCode.Created);
    }

    [Fact]
    public async Task OnlyTheReceivingSideAccepts_AndOnlyTheSenderWithdraws()
    {
        var (target, receiving) = await OtherCommune();
        string memberNo = await NewMemberWithDues("88100003");
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        long id = (await Json(await office.PostAsJsonAsync($"/api/members/{memberNo}/transfer-requests", new { toOrgCode = target }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();

        Assert.Equal("receiving_side_only",
            (await Json(await office.PostAsync($"/api/transfer-requests/{id}/accept", null), HttpStatusCode.Forbidden)).GetProperty("code").GetString());
        Assert.Equal("sending_side_only",
            (await Json(await receiving.PostAsync($"/api/transfer-requests/{id}/cancel", null), HttpStatusCode.Forbidden)).GetProperty("code").GetString());
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.GetAsync("/api/transfer-requests")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await receiving.PostAsync("/api/transfer-requests/999999999/accept", null)).StatusCode);

        var cancelled = await Json(await office.PostAsync($"/api/transfer-requests/{id}/cancel", null), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled.GetProperty("status").GetString());
        Assert.Equal("transfer_not_open",
            (await Json(await receiving.PostAsync($"/api/transfer-requests/{id}/accept", null), HttpStatusCode.Conflict)).GetProperty("code").GetString());
        var member = await (await app.Admin()).GetFromJsonAsync<JsonElement>($"/api/members/{memberNo}");
        Assert.Equal(app.Demo.CellCode, member.GetProperty("orgCode").GetString());
    }

    [Fact]
    public async Task TransferRequest_IntoOnesOwnSubtree_Is422_AndBadFieldsAre400()
    {
        string memberNo = await NewMemberWithDues("88100004");
        var office = await app.ClientFor("vanphong", "vanphong-demo");

        var inScope = await Json(await office.PostAsJsonAsync($"/api/members/{memberNo}/transfer-requests", new { toOrgCode = app.Demo.SiblingCellCode }),
            HttpStatusCode.UnprocessableEntity);
        Assert.Equal("target_in_scope", inScope.GetProperty("code").GetString());
        var unknown = await Json(await office.PostAsJsonAsync($"/api/members/{memberNo}/transfer-requests",
            new { toOrgCode = "KHONG.CO", effectiveFrom = "2026-11-30", reference = new string('x', 5_000_000) }), HttpStatusCode.BadRequest);
        var errors = unknown.GetProperty("errors");
        Assert.True(errors.TryGetProperty("toOrgCode", out _) && errors.TryGetProperty("effectiveFrom", out _) && errors.TryGetProperty("reference", out _),
            errors.ToString());
        Assert.True(unknown.ToString().Length < 5_000);
        var badList = await Json(await office.GetAsync("/api/transfer-requests?direction=sideways&status=0"), HttpStatusCode.BadRequest);
        Assert.True(badList.GetProperty("errors").TryGetProperty("direction", out _) && badList.GetProperty("errors").TryGetProperty("status", out _));
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync("/api/transfer-requests?page=2147483647")).StatusCode);
        // The move inside the subtree works as it always has.
        Assert.Equal(HttpStatusCode.NoContent,
            (await office.PostAsJsonAsync($"/api/members/{memberNo}/moves", new { toOrgCode = app.Demo.SiblingCellCode, kind = "official" })).StatusCode);
    }

    [Fact]
    public async Task TwentyConcurrentAccepts_PlaceTheMemberOnce_TheOthersGet409()
    {
        var (target, receiving) = await OtherCommune();
        string memberNo = await NewMemberWithDues("88100005");
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        long id = (await Json(await office.PostAsJsonAsync($"/api/members/{memberNo}/transfer-requests", new { toOrgCode = target }), HttpStatusCode.Created))
            .GetProperty("id").GetInt64();

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => receiving.PostAsync($"/api/transfer-requests/{id}/accept", null)));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.OK);
        Assert.Equal(19, answers.Count(a => a.StatusCode == HttpStatusCode.Conflict));
        var placements = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            long memberId = await db.Members.Where(m => m.MemberNo == memberNo).Select(m => m.Id).SingleAsync();
            return await db.Placements.Where(p => p.MemberId == memberId).ToListAsync();
        });
        Assert.Equal(2, placements.Count);
        Assert.Single(placements, p => p.IsOpenOfficial);
        var after = await Statements(memberNo);
        Assert.Equal(2, after.Count(s => s.GetProperty("status").GetString() == "transferred"));
        Assert.Equal(2, after.Count(s => s.GetProperty("status").GetString() == "issued" && s.GetProperty("orgCode").GetString() == target));
    }

    [Fact]
    public async Task TwentyConcurrentRequests_ForOneMember_MakeOneOpenRequest()
    {
        var (target, _) = await OtherCommune();
        string memberNo = await NewMemberWithDues("88100006");
        var office = await app.ClientFor("vanphong", "vanphong-demo");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(_ => office.PostAsJsonAsync($"/api/members/{memberNo}/transfer-requests", new { toOrgCode = target })));

        Assert.Single(answers, a => a.StatusCode == HttpStatusCode.Created);
        Assert.All(answers.Where(a => a.StatusCode != HttpStatusCode.Created), a => Assert.Equal(HttpStatusCode.Conflict, a.StatusCode));
        var outgoing = await Json(await office.GetAsync("/api/transfer-requests?direction=outgoing&status=requested"), HttpStatusCode.OK);
        Assert.Single(outgoing.GetProperty("items").EnumerateArray(), r => r.GetProperty("memberNo").GetString() == memberNo);
    }

    [Fact]
    public async Task TransferEndpoints_AreInTheOpenApiDocument_WithTheirStatuses()
    {
        var doc = await app.CreateClient().GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = doc.GetProperty("paths");
        Assert.True(paths.GetProperty("/api/members/{memberNo}/transfer-requests").GetProperty("post").GetProperty("responses").TryGetProperty("422", out _));
        Assert.True(paths.GetProperty("/api/transfer-requests/{requestId}/accept").GetProperty("post").GetProperty("responses").TryGetProperty("409", out _));
        Assert.True(paths.TryGetProperty("/api/transfer-requests/{requestId}/reject", out _));
        Assert.True(paths.TryGetProperty("/api/transfer-requests/{requestId}/cancel", out _));
        Assert.True(paths.TryGetProperty("/api/transfer-requests", out _));
        Assert.True(paths.TryGetProperty("/api/statements/{statementId}/cancel", out _));
    }
}
