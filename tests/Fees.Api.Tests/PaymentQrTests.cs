using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Persistence;
using Fees.Persistence.Database;
using Fees.Api.Payments;
using Fees.Domain.Members;
using Fees.Domain.Payments;
using Fees.Persistence.Payments;
using Fees.Testing;
using Fees.BankGateway.VietQr;
using Fees.Domain.Dues;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests;

/// <summary>
/// Issue 5: a member owing August and September gets one dynamic VietQR code for their sum into the collecting
/// cell's account, with a reference in a purpose of at most 25 ASCII characters; the PNG carries the same payload.
/// </summary>
public sealed class PaymentQrTests(FeesApp app) : IClassFixture<FeesApp>
{
    private async Task GenerateAugustAndSeptember()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/cycles/2026-09/generate", null)).EnsureSuccessStatusCode();
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response, HttpStatusCode expected)
    {
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonSerializer.Deserialize<JsonElement>(body);
    }

    private async Task<JsonElement> Cell()
    {
        var admin = await app.Admin();
        return (await admin.GetFromJsonAsync<JsonElement>("/api/orgs/" + app.Demo.CellCode)).GetProperty("bankAccount");
    }

    [Fact]
    public async Task MemberOwingAugustAndSeptember_GetsADynamicCodeForTheirSum_IntoTheCellsAccount()
    {
        await GenerateAugustAndSeptember();
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        var statements = await member.GetFromJsonAsync<JsonElement[]>($"/api/members/{app.Demo.CellMemberNo}/statements");
        var owed = statements!.Where(s => s.GetProperty("period").GetString() is "2026-08" or "2026-09").ToList();
        Assert.Equal(2, owed.Count);
        Assert.All(owed, s => Assert.Equal("issued", s.GetProperty("status").GetString()));
        long sum = owed.Sum(s => s.GetProperty("amount").GetInt64() - s.GetProperty("paid").GetInt64());
        Assert.True(sum > 0);

        var qr = await Json(await member.GetAsync($"/api/members/{app.Demo.CellMemberNo}/payment-qr"), HttpStatusCode.OK);

        var cell = await Cell();
        string bin = cell.GetProperty("bin").GetString()!;
        string account = cell.GetProperty("accountNumber").GetString()!;
        Assert.Equal(sum, qr.GetProperty("amount").GetInt64());
        Assert.Equal(bin, qr.GetProperty("bankBin").GetString());
        Assert.Equal(account, qr.GetProperty("accountNumber").GetString());
        Assert.Equal(cell.GetProperty("accountName").GetString(), qr.GetProperty("accountName").GetString());
        Assert.Equal(["2026-08", "2026-09"], qr.GetProperty("periods").EnumerateArray().Select(p => p.GetString()!).ToArray());
        string reference = qr.GetProperty("reference").GetString()!;
        Assert.True(PaymentReference.TryParse(reference, out var parsed) && parsed.Kind == PaymentReferenceKind.Request);

        var decoded = VietQrCodec.Decode(qr.GetProperty("payload").GetString()!);
        Assert.True(decoded.IsValid, decoded.ToString());
        Assert.Equal(PointOfInitiation.Dynamic, decoded.Payload.PointOfInitiation);
        Assert.Equal(sum, decoded.Payload.Amount!.Value.Dong);
        Assert.Equal(bin, decoded.Payload.BankBin);
        Assert.Equal(account, decoded.Payload.AccountNumber);
        string purpose = decoded.Payload.Purpose!;
        Assert.True(purpose.Length <= 25, purpose);
        Assert.True(purpose.All(c => c is >= ' ' and <= '~'), purpose);
        Assert.StartsWith(reference, purpose, StringComparison.Ordinal);
        Assert.Equal(reference + " DANG PHI T8-9", purpose);
    }

    [Fact]
    public async Task Png_CarriesExactlyThePayloadOfTheJson_AtLeast300PixelsWide()
    {
        await GenerateAugustAndSeptember();
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        var qr = await Json(await member.GetAsync($"/api/members/{app.Demo.CellMemberNo}/payment-qr"), HttpStatusCode.OK);
        string payload = qr.GetProperty("payload").GetString()!;

        var response = await member.GetAsync($"/api/members/{app.Demo.CellMemberNo}/payment-qr.png");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        byte[] png = await response.Content.ReadAsByteArrayAsync();

        Assert.True(BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16, 4)) >= QrImages.MinimumSizePx);
        Assert.Equal(QrImages.Png(payload), png);
        Assert.Equal(payload, await Scan(png));

        var svg = await member.GetAsync($"/api/members/{app.Demo.CellMemberNo}/payment-qr.svg");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.Equal(QrImages.Svg(payload), await svg.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AskingAgain_ReusesTheOpenRequest_AndAnotherSetOfPeriodsSupersedesIt()
    {
        await GenerateAugustAndSeptember();
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        string url = $"/api/members/{app.Demo.CellMemberNo}/payment-qr";
        var first = await Json(await member.GetAsync(url), HttpStatusCode.OK);
        var again = await Json(await member.GetAsync(url), HttpStatusCode.OK);
        var explicitSame = await Json(await member.GetAsync(url + "?periods=2026-09,2026-08"), HttpStatusCode.OK);
        Assert.Equal(first.GetProperty("reference").GetString(), again.GetProperty("reference").GetString());
        Assert.Equal(first.GetProperty("payload").GetString(), again.GetProperty("payload").GetString());
        Assert.Equal(first.GetProperty("reference").GetString(), explicitSame.GetProperty("reference").GetString());

        var august = await Json(await member.GetAsync(url + "?periods=2026-08"), HttpStatusCode.OK);
        Assert.NotEqual(first.GetProperty("reference").GetString(), august.GetProperty("reference").GetString());
        Assert.Equal(["2026-08"], august.GetProperty("periods").EnumerateArray().Select(p => p.GetString()!).ToArray());
        Assert.EndsWith(" DANG PHI T8", august.GetProperty("payload").GetString() is { } p ? VietQrCodec.Decode(p).Payload!.Purpose! : "", StringComparison.Ordinal);

        var both = await Json(await member.GetAsync(url), HttpStatusCode.OK);
        Assert.NotEqual(first.GetProperty("reference").GetString(), both.GetProperty("reference").GetString());

        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            long memberId = await db.Members.Where(m => m.MemberNo == app.Demo.CellMemberNo).Select(m => m.Id).SingleAsync();
            var requests = await db.PaymentRequests.AsNoTracking().Where(r => r.MemberId == memberId).ToListAsync();
            Assert.Single(requests, r => r.Status == PaymentRequestStatus.Open);
            Assert.Contains(requests, r => r.Reference == first.GetProperty("reference").GetString() && r.Status == PaymentRequestStatus.Superseded);
            Assert.All(requests, r => Assert.Equal(PaymentReference.NewRequest(r.Id).Value, r.Reference));
            // Every request created left its audit record.
            int audited = await db.AuditLog.CountAsync(a => a.Action == "payment_request.create" && a.TargetId == app.Demo.CellMemberNo);
            Assert.Equal(requests.Count, audited);
            return 0;
        });
    }

    [Fact]
    public async Task ConcurrentFirstRequests_AllGetTheSameReference()
    {
        await GenerateAugustAndSeptember();
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        // A set no other test asks for, so the first of these creates a request and the others must reuse it.
        string url = $"/api/members/{app.Demo.CellMemberNo}/payment-qr?periods=2026-09";
        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => treasurer.GetAsync(url)));
        var references = new List<string>();
        foreach (var a in answers)
        {
            references.Add((await Json(a, HttpStatusCode.OK)).GetProperty("reference").GetString()!);
        }
        Assert.Single(references.Distinct());
    }

    [Fact]
    public async Task StaticCode_HasNoAmount_AndTheMembersStandingReference()
    {
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        var qr = await Json(await member.GetAsync($"/api/members/{app.Demo.CellMemberNo}/static-qr"), HttpStatusCode.OK);
        var decoded = VietQrCodec.Decode(qr.GetProperty("payload").GetString()!);
        Assert.True(decoded.IsValid, decoded.ToString());
        Assert.Equal(PointOfInitiation.Static, decoded.Payload.PointOfInitiation);
        Assert.Null(decoded.Payload.Amount);
        string reference = qr.GetProperty("reference").GetString()!;
        Assert.True(PaymentReference.TryParse(reference, out var parsed) && parsed.Kind == PaymentReferenceKind.Member);
        Assert.Equal(reference + " DANG PHI", decoded.Payload.Purpose);
        Assert.Equal((await Cell()).GetProperty("accountNumber").GetString(), decoded.Payload.AccountNumber);

        var png = await member.GetAsync($"/api/members/{app.Demo.CellMemberNo}/static-qr.png");
        Assert.Equal("image/png", png.Content.Headers.ContentType?.MediaType);
        Assert.Equal(qr.GetProperty("payload").GetString(), await Scan(await png.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task MemberOfAnOrgWithoutABankAccount_Gets409SayingSo()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/import/members", Csv.Body(
            "member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on\n" +
            $"88000001,Nguyễn Thị Lan,{app.Demo.OrgWithoutBankAccountCode},official,student,2003-04-05,F,2024-05-19\n"))).EnsureSuccessStatusCode();
        (await admin.PostAsync("/api/cycles/2026-08/generate", null)).EnsureSuccessStatusCode();

        var problem = await Json(await admin.GetAsync("/api/members/88000001/payment-qr"), HttpStatusCode.Conflict);
        Assert.Equal("org_has_no_bank_account", problem.GetProperty("code").GetString());
        Assert.Contains("chưa có tài khoản ngân hàng", problem.GetProperty("title").GetString(), StringComparison.Ordinal);

        var png = await admin.GetAsync("/api/members/88000001/payment-qr.png");
        Assert.Equal(HttpStatusCode.Conflict, png.StatusCode);
        var staticProblem = await Json(await admin.GetAsync("/api/members/88000001/static-qr"), HttpStatusCode.Conflict);
        Assert.Equal("org_has_no_bank_account", staticProblem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task AMemberWhoMoved_PaysEachOrganizationSeparately()
    {
        var admin = await app.Admin();
        (await admin.PostAsync("/api/import/members", Csv.Body(
            "member_no,full_name,org_code,status,category,birth_date,sex,party_joined_on\n" +
            $"88000002,Trần Văn Bình,{app.Demo.CellCode},official,student,2002-02-02,M,2023-09-02\n"))).EnsureSuccessStatusCode();
        // Moved to the sibling cell from 1 September (written directly: the moves endpoint refuses past dates).
        await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            long memberId = await db.Members.Where(m => m.MemberNo == "88000002").Select(m => m.Id).SingleAsync();
            long siblingId = await db.Orgs.Where(o => o.Code == app.Demo.SiblingCellCode).Select(o => o.Id).SingleAsync();
            var placement = await db.Placements.SingleAsync(p => p.MemberId == memberId);
            placement.CloseOn(new DateOnly(2026, 9, 1));
            db.Placements.Add(MemberPlacement.Open(memberId, siblingId, PlacementKind.Official, new DateOnly(2026, 9, 1), null, "test", null,
                app.Clock.GetUtcNow()));
            return await db.SaveChangesAsync();
        });
        await GenerateAugustAndSeptember();

        var problem = await Json(await admin.GetAsync("/api/members/88000002/payment-qr"), HttpStatusCode.Conflict);
        Assert.Equal("several_collecting_orgs", problem.GetProperty("code").GetString());
        Assert.Equal(2, problem.GetProperty("organizations").GetArrayLength());

        var august = await Json(await admin.GetAsync("/api/members/88000002/payment-qr?periods=2026-08"), HttpStatusCode.OK);
        Assert.Equal((await Cell()).GetProperty("accountNumber").GetString(), august.GetProperty("accountNumber").GetString());
        var september = await Json(await admin.GetAsync("/api/members/88000002/payment-qr?periods=2026-09"), HttpStatusCode.OK);
        var sibling = (await admin.GetFromJsonAsync<JsonElement>("/api/orgs/" + app.Demo.SiblingCellCode)).GetProperty("bankAccount");
        Assert.Equal(sibling.GetProperty("accountNumber").GetString(), september.GetProperty("accountNumber").GetString());
        Assert.Equal(5_000, september.GetProperty("amount").GetInt64());
    }

    [Fact]
    public async Task NothingOutstanding_Answers409()
    {
        await GenerateAugustAndSeptember();
        var admin = await app.Admin();
        // No income data: the statements await data and nothing is owed yet.
        var problem = await Json(await admin.GetAsync($"/api/members/{app.Demo.SiMemberWithoutIncomeNo}/payment-qr"), HttpStatusCode.Conflict);
        Assert.Equal("nothing_outstanding", problem.GetProperty("code").GetString());
    }

    [Fact]
    public async Task APeriodNotOwed_Answers409NamingIt_AndAMalformedOne400()
    {
        await GenerateAugustAndSeptember();
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        var notOwed = await Json(await member.GetAsync($"/api/members/{app.Demo.CellMemberNo}/payment-qr?periods=2026-08,2026-07"), HttpStatusCode.Conflict);
        Assert.Equal("period_not_outstanding", notOwed.GetProperty("code").GetString());
        Assert.Contains("tháng 7/2026", notOwed.GetProperty("title").GetString(), StringComparison.Ordinal);

        var malformed = await Json(await member.GetAsync($"/api/members/{app.Demo.CellMemberNo}/payment-qr?periods=2026-8"), HttpStatusCode.BadRequest);
        Assert.True(malformed.GetProperty("errors").TryGetProperty("periods", out _));
    }

    [Fact]
    public async Task OutsideOnesScope_Answers403()
    {
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/api/members/{app.Demo.SiblingCellMemberNo}/payment-qr")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/api/members/{app.Demo.SiblingCellMemberNo}/payment-qr.png")).StatusCode);
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.GetAsync($"/api/members/{app.Demo.SiblingCellMemberNo}/payment-qr")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.GetAsync($"/api/members/{app.Demo.SiblingCellMemberNo}/static-qr")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().GetAsync($"/api/members/{app.Demo.CellMemberNo}/payment-qr")).StatusCode);
    }

    /// <summary>Reads a QR image back with zbar (Debian's zbar-tools; .ci/run installs it).</summary>
    private static async Task<string> Scan(byte[] png)
    {
        string file = Path.Combine(Path.GetTempPath(), $"fees-qr-{Guid.NewGuid():N}.png");
        await File.WriteAllBytesAsync(file, png);
        try
        {
            var start = new ProcessStartInfo("zbarimg") { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (string arg in new[] { "--raw", "-q", "-Sdisable", "-Sqrcode.enable", file })
            {
                start.ArgumentList.Add(arg);
            }
            using var process = Process.Start(start) ?? throw new InvalidOperationException("zbarimg did not start: install zbar-tools (.ci/run does).");
            string output = await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"zbarimg exit {process.ExitCode}: {await process.StandardError.ReadToEndAsync()}");
            return output.TrimEnd('\n', '\r');
        }
        finally
        {
            File.Delete(file);
        }
    }
}
