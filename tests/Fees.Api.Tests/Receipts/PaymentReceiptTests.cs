using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Members;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.Queries;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests.Receipts;

/// <summary>
/// Issue 10 item 5: every payment booked to a member gets an electronic receipt (biên lai), numbered per organization
/// and year without gaps, printable as a Vietnamese PDF by the member and staff in scope, and verifiable by anyone from
/// the address its QR code carries.
/// </summary>
public sealed class PaymentReceiptTests(FeesApp app) : IClassFixture<FeesApp>, IAsyncLifetime
{
    private OrgAccount _cell = null!;
    private OrgAccount _sibling = null!;

    public async Task InitializeAsync()
    {
        var admin = await app.Admin();
        foreach (string period in new[] { "2026-08", "2026-09" })
        {
            var r = await admin.PostAsync($"/api/cycles/{period}/generate", null);
            Assert.True(r.IsSuccessStatusCode || r.StatusCode == HttpStatusCode.Conflict);
        }
        _cell = await app.Account(app.Demo.CellCode);
        _sibling = await app.Account(app.Demo.SiblingCellCode);
    }

    public Task DisposeAsync() => Task.CompletedTask;

    private Task<long> MemberId(string memberNo) =>
        app.WithScopeAsync(s => s.GetRequiredService<FeesDbContext>().Members.Where(m => m.MemberNo == memberNo).Select(m => m.Id).SingleAsync());

    /// <summary>The members placed in an organization today.</summary>
    private Task<List<long>> MembersOf(long orgId) => app.WithScopeAsync(s =>
    {
        var db = s.GetRequiredService<FeesDbContext>();
        return db.Placements.InForce(VietnamTime.Today(app.Clock)).Where(p => p.OrgId == orgId && p.Kind == PlacementKind.Official)
            .Select(p => p.MemberId).Distinct().OrderBy(id => id).ToListAsync();
    });

    /// <summary>A member pays with their standing reference; the receipt id of the money received.</summary>
    private async Task<long> Pays(OrgAccount to, long memberId, long amount)
    {
        var (response, body) = await app.Pay(to, amount, $"{PaymentReference.ForMember(memberId).Value} nop dang phi");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("matched", body.GetProperty("status").GetString());
        return body.GetProperty("receiptId").GetInt64();
    }

    private async Task<List<(long ReceiptId, int Year, int Number, string OrgCode, string Signature)>> Issued(string where)
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand($"select receipt_id, year, number, org_code, signature from payment_receipts where {where} order by number", conn);
        var rows = new List<(long, int, int, string, string)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            rows.Add((r.GetInt64(0), r.GetInt32(1), r.GetInt32(2), r.GetString(3), r.GetString(4)));
        }
        return rows;
    }

    private async Task<(long ReceiptId, int Year, int Number, string OrgCode, string Signature)> IssuedFor(long receiptId) =>
        Assert.Single(await Issued($"receipt_id = {receiptId}"));

    private static string Path(string orgCode, int year, string number, string signature) =>
        $"/bien-lai/xac-minh/{orgCode}/{year}/{number}?s={signature}";

    private static string OneDigitChanged(string number)
    {
        int last = number[^1] - '0';
        return number[..^1] + (char)('0' + ((last + 1) % 10));
    }

    [Fact]
    public async Task TwentyConcurrentPayments_InOneOrganization_GetTwentyConsecutiveNumbers()
    {
        var members = await MembersOf(_cell.OrgId);
        Assert.NotEmpty(members);
        var receiptIds = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Pays(_cell, members[i % members.Count], 10_000 + i)));

        var issued = await Issued($"receipt_id in ({string.Join(',', receiptIds)})");
        Assert.Equal(20, issued.Count);
        Assert.All(issued, r => Assert.Equal(2026, r.Year));
        var numbers = issued.Select(r => r.Number).ToList();
        Assert.Equal(Enumerable.Range(numbers[0], 20), numbers);
        // No gap anywhere in the organization's year: 1…n, and the counter stands at n.
        var all = await Issued($"org_id = {_cell.OrgId} and year = 2026");
        Assert.Equal(Enumerable.Range(1, all.Count), all.Select(r => r.Number));
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var counter = new NpgsqlCommand($"select last_number from payment_receipt_counters where org_id = {_cell.OrgId} and year = 2026", conn);
        Assert.Equal(all.Count, (int)(await counter.ExecuteScalarAsync())!);
    }

    [Fact]
    public async Task Receipt_IsGenuine_AndNoLongerWhenOneDigitOfItsNumberChanges()
    {
        long receiptId = await Pays(_cell, await MemberId(app.Demo.CellMemberNo), 54_756);
        var r = await IssuedFor(receiptId);
        string number = r.Number.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        using var anonymous = app.CreateClient();

        var genuine = await anonymous.GetFromJsonAsync<JsonElement>($"/api/receipts/verify/{r.OrgCode}/{r.Year}/{number}?s={r.Signature}");
        Assert.True(genuine.GetProperty("genuine").GetBoolean());
        var shown = genuine.GetProperty("receipt");
        Assert.Equal($"{number}/2026/{app.Demo.CellCode}", shown.GetProperty("number").GetString());
        Assert.Equal(54_756, shown.GetProperty("amount").GetInt64());
        Assert.Equal("Năm mươi tư nghìn bảy trăm năm mươi sáu đồng", shown.GetProperty("amountInWords").GetString());
        Assert.False(shown.TryGetProperty("memberNo", out _));
        Assert.DoesNotContain(app.Demo.CellMemberNo, genuine.ToString(), StringComparison.Ordinal);

        var page = await anonymous.GetAsync(Path(r.OrgCode, r.Year, number, r.Signature));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        string html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Biên lai hợp lệ", html, StringComparison.Ordinal);
        Assert.DoesNotContain(app.Demo.CellMemberNo, html, StringComparison.Ordinal);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());

        string changed = OneDigitChanged(number);
        var tampered = await anonymous.GetFromJsonAsync<JsonElement>($"/api/receipts/verify/{r.OrgCode}/{r.Year}/{changed}?s={r.Signature}");
        Assert.False(tampered.GetProperty("genuine").GetBoolean());
        Assert.Equal("""{"genuine":false}""", tampered.GetRawText());
        var tamperedPage = await anonymous.GetAsync(Path(r.OrgCode, r.Year, changed, r.Signature));
        Assert.Equal(HttpStatusCode.NotFound, tamperedPage.StatusCode);
        string tamperedHtml = await tamperedPage.Content.ReadAsStringAsync();
        Assert.Contains("Không xác minh được biên lai này", tamperedHtml, StringComparison.Ordinal);
        Assert.DoesNotContain("54.756", tamperedHtml, StringComparison.Ordinal);
        // Another year, another organization, the number written another way: none verifies.
        foreach (string other in new[]
        {
            Path(r.OrgCode, r.Year + 1, number, r.Signature), Path(app.Demo.SiblingCellCode, r.Year, number, r.Signature),
            Path(r.OrgCode, r.Year, r.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), r.Signature),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync(other)).StatusCode);
        }
    }

    [Fact]
    public async Task ForgedOrMissingSignature_IsNotGenuine()
    {
        long receiptId = await Pays(_cell, await MemberId(app.Demo.CellMemberNo), 20_000);
        var r = await IssuedFor(receiptId);
        string number = r.Number.ToString("D7", System.Globalization.CultureInfo.InvariantCulture);
        char[] forged = r.Signature.ToCharArray();
        forged[40] = forged[40] == 'x' ? 'y' : 'x';
        using var anonymous = app.CreateClient();
        foreach (string? s in new[] { new string(forged), null, "", new string('A', 86), r.Signature + "A", "%00", new string('é', 86) })
        {
            string query = s is null ? "" : "?s=" + Uri.EscapeDataString(s);
            var answer = await anonymous.GetAsync($"/api/receipts/verify/{r.OrgCode}/{r.Year}/{number}{query}");
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.False((await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("genuine").GetBoolean(), s);
            var page = await anonymous.GetAsync($"/bien-lai/xac-minh/{r.OrgCode}/{r.Year}/{number}{query}");
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }
        // Hostile path parts are answered, never a 500.
        foreach (string path in new[] { "/bien-lai/xac-minh/x/2026/0000001?s=a", $"/bien-lai/xac-minh/{new string('A', 500)}/2026/0000001?s=a",
                     "/bien-lai/xac-minh/HN/99999/0000001?s=a", "/bien-lai/xac-minh/HN/2026/99999999999999999999?s=a", "/api/receipts/verify/HN/1/-1" })
        {
            var answer = await anonymous.GetAsync(path);
            Assert.True((int)answer.StatusCode < 500, $"{path}: {answer.StatusCode}");
        }
    }

    [Fact]
    public async Task Pdf_ForTheMember_ShowsTheVietnameseHeadings_TheAmountInWords_AndTheVerificationAddress()
    {
        long receiptId = await Pays(_cell, await MemberId(app.Demo.CellMemberNo), 54_756);
        var r = await IssuedFor(receiptId);
        var member = await app.ClientFor("dangvien", "dangvien-demo");

        var response = await member.GetAsync($"/api/receipts/{receiptId}/bien-lai.pdf");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        byte[] pdf = await response.Content.ReadAsByteArrayAsync();
        string text = await PdfText.Of(pdf);
        Assert.Contains("BIÊN LAI THU ĐẢNG PHÍ", text, StringComparison.Ordinal);
        Assert.Contains("ĐẢNG CỘNG SẢN VIỆT NAM", text, StringComparison.Ordinal);
        Assert.Contains($"Số: {r.Number:D7}/2026/{app.Demo.CellCode}", text, StringComparison.Ordinal);
        Assert.Contains(app.Demo.CellMemberNo, text, StringComparison.Ordinal);
        Assert.Contains("54.756 đ", text, StringComparison.Ordinal);
        Assert.Contains("Năm mươi tư nghìn bảy trăm năm mươi sáu đồng", text, StringComparison.Ordinal);
        Assert.Contains("Chuyển khoản", text, StringComparison.Ordinal);
        Assert.Contains("Hệ thống thu đảng phí", text, StringComparison.Ordinal);
        Assert.Contains("tháng 8/2026", text, StringComparison.Ordinal);
        string url = PdfText.VerificationUrl(text);
        Assert.EndsWith(Path(r.OrgCode, r.Year, r.Number.ToString("D7", System.Globalization.CultureInfo.InvariantCulture), r.Signature), url, StringComparison.Ordinal);

        // The printed address verifies (the path is what matters: the test server's host is not a real one).
        using var anonymous = app.CreateClient();
        var page = await anonymous.GetAsync(new Uri(url).PathAndQuery);
        Assert.Contains("Biên lai hợp lệ", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The same receipt for the treasurer of the cell, and the same bytes again.
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        Assert.Equal(pdf, await treasurer.GetByteArrayAsync($"/api/receipts/{receiptId}/bien-lai.pdf"));
    }

    [Fact]
    public async Task Pdf_OfSomeoneElse_IsRefused_ToAnotherMember_AndToATreasurerOfAnotherCell()
    {
        long siblingMember = await MemberId(app.Demo.SiblingCellMemberNo);
        long receiptId = await Pays(_sibling, siblingMember, 30_000);
        var member = await app.ClientFor("dangvien", "dangvien-demo");
        var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        var office = await app.ClientFor("vanphong", "vanphong-demo");
        using var anonymous = app.CreateClient();

        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync($"/api/receipts/{receiptId}/bien-lai.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.GetAsync($"/api/receipts/{receiptId}/bien-lai.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync($"/api/receipts/{receiptId}/bien-lai.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await office.GetAsync($"/api/receipts/{receiptId}/bien-lai.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await member.GetAsync("/api/receipts/999999999/bien-lai.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await office.GetAsync($"/api/receipts/{receiptId}/bien-lai.pdf?memberNo={new string('9', 21)}")).StatusCode);
    }

    [Fact]
    public async Task MoneyNobodyIsIdentifiedFor_HasNoReceipt()
    {
        var (_, body) = await app.Pay(_cell, 12_345, "khong ro nguoi nop");
        Assert.Equal("unmatched", body.GetProperty("status").GetString());
        long receiptId = body.GetProperty("receiptId").GetInt64();
        Assert.Empty(await Issued($"receipt_id = {receiptId}"));
        var admin = await app.Admin();
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/api/receipts/{receiptId}/bien-lai.pdf")).StatusCode);
    }

    [Fact]
    public async Task IssuedReceipts_AreDocuments_TheDatabaseRefusesToChangeThem()
    {
        long receiptId = await Pays(_cell, await MemberId(app.Demo.CellMemberNo), 15_000);
        foreach (string connection in new[] { app.Database.App, app.Database.Owner })
        {
            await using var conn = new NpgsqlConnection(connection);
            await conn.OpenAsync();
            foreach (string sql in new[] { $"update payment_receipts set amount = 1 where receipt_id = {receiptId}", $"delete from payment_receipts where receipt_id = {receiptId}" })
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
            }
        }
    }

    [Fact]
    public async Task SigningKeys_AreRegistered_AsDocuments_AndEveryNewReceiptNamesARegisteredKey()
    {
        // A member of the sibling cell nobody else here pays for (the other tests count on the months they pay).
        long siblingMember = await MemberId(app.Demo.SiblingCellMemberNo);
        long receiptId = await Pays(_sibling, (await MembersOf(_sibling.OrgId)).Last(m => m != siblingMember), 17_000);
        var signing = app.Services.GetRequiredService<Fees.Domain.Receipts.ReceiptSigningKey>();
        await using var owner = new NpgsqlConnection(app.Database.Owner);
        await owner.OpenAsync();
        await using (var cmd = new NpgsqlCommand($"""
            select k.public_key_pem from payment_receipts pr join receipt_signing_keys k on k.key_id = pr.key_id where pr.receipt_id = {receiptId}
            """, owner))
        {
            Assert.Equal(signing.PublicKeyPem, await cmd.ExecuteScalarAsync());
        }
        foreach (string connection in new[] { app.Database.App, app.Database.Owner })
        {
            await using var conn = new NpgsqlConnection(connection);
            await conn.OpenAsync();
            foreach (string sql in new[] { "update receipt_signing_keys set public_key_pem = public_key_pem || ' '", "delete from receipt_signing_keys", "truncate receipt_signing_keys cascade" })
            {
                await using var cmd = new NpgsqlCommand(sql, conn);
                var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
                Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
            }
        }
        // A biên lai cannot name a key nobody registered (the foreign key), even written by hand.
        await using (var cmd = new NpgsqlCommand($"""
            insert into payment_receipts (province_id, receipt_id, member_id, org_id, year, number, org_code, org_name, parent_org_name, member_no, member_name,
                                          amount, periods, period_amounts, credit, method, collector, collected_on, issued_at, key_id, signature, issued_by)
            select province_id, receipt_id, member_id + 1000000000, org_id, year, number + 1000000, org_code, org_name, parent_org_name, member_no, member_name,
                   amount, periods, period_amounts, credit, method, collector, collected_on, issued_at, '0123456789abcdef', signature, issued_by
            from payment_receipts where receipt_id = {receiptId}
            """, owner))
        {
            var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, e.SqlState);
        }
    }

    [Fact]
    public async Task AKeyRegisteredUnderAnotherKeysId_IsNoKey_SoWhatItSignedIsNotGenuine()
    {
        // Someone with the database's owner rights registers their own key under an id it does not hash to and signs
        // a receipt with it: the id is re-derived from the key on every read, so nothing verifies with it.
        using var forger = Fees.Domain.Receipts.ReceiptSigningKey.Generate();
        string fakeId = "fedcba9876543210";
        await using (var conn = new NpgsqlConnection(app.Database.Owner))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("insert into receipt_signing_keys (key_id, public_key_pem) values (@id, @pem)", conn);
            cmd.Parameters.AddWithValue("id", fakeId);
            cmd.Parameters.AddWithValue("pem", forger.PublicKeyPem);
            await cmd.ExecuteNonQueryAsync();
        }
        var keys = app.Services.GetRequiredService<Fees.Persistence.Receipts.ReceiptKeys>();
        Assert.Null(await keys.Find(fakeId, CancellationToken.None));
        Assert.Null(await keys.Find("0000000000000000", CancellationToken.None));
        Assert.Same(keys.Signing.PublicKey, await keys.Find(keys.Signing.KeyId, CancellationToken.None));
    }

    [Fact]
    public async Task AReceiptAlteredBehindTheServicesBack_NoLongerVerifies_AndTheAuditCheckNamesIt()
    {
        long receiptId = await Pays(_cell, await MemberId(app.Demo.CellMemberNo), 16_000);
        var r = await IssuedFor(receiptId);
        await using (var conn = new NpgsqlConnection(app.Database.Owner))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand($"""
                alter table payment_receipts disable trigger payment_receipts_no_update_or_delete;
                update payment_receipts set member_name = 'Người Khác' where receipt_id = {receiptId};
                alter table payment_receipts enable trigger payment_receipts_no_update_or_delete;
                """, conn);
            await cmd.ExecuteNonQueryAsync();
        }
        using var anonymous = app.CreateClient();
        var answer = await anonymous.GetFromJsonAsync<JsonElement>(
            $"/api/receipts/verify/{r.OrgCode}/{r.Year}/{r.Number:D7}?s={r.Signature}");
        Assert.False(answer.GetProperty("genuine").GetBoolean());

        var checks = await (await app.Admin()).GetFromJsonAsync<JsonElement>("/api/audit/checks");
        var check = checks.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "payment-receipts");
        Assert.False(check.GetProperty("passed").GetBoolean());
        Assert.Contains(check.GetProperty("violations").EnumerateArray(), v => v.ToString().Contains("payment-receipt:", StringComparison.Ordinal));
    }
}

/// <summary>Numbers start again at 1 on the first day of a year in Vietnam (its own app: the clock moves).</summary>
public sealed class PaymentReceiptNewYearTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task Numbers_StartAgainAtOne_InANewYear_InVietnamTime()
    {
        var cell = await app.Account(app.Demo.CellCode);
        long memberId = await app.WithScopeAsync(s => s.GetRequiredService<FeesDbContext>().Members
            .Where(m => m.MemberNo == app.Demo.CellMemberNo).Select(m => m.Id).SingleAsync());
        string reference = PaymentReference.ForMember(memberId).Value;
        await app.Pay(cell, 10_000, reference);
        await app.Pay(cell, 10_000, reference);

        // 31 December 2026, 23:59:30 in Vietnam is 16:59:30 UTC: still 2026.
        app.Clock.Advance(new DateTimeOffset(2026, 12, 31, 16, 59, 30, TimeSpan.Zero) - app.Clock.GetUtcNow());
        var (_, last) = await app.Pay(cell, 10_000, reference);
        // Midnight in Vietnam (17:00 UTC): 2027 starts, and so does the numbering.
        app.Clock.Advance(TimeSpan.FromSeconds(31));
        var (_, first) = await app.Pay(cell, 10_000, reference);
        var (_, second) = await app.Pay(cell, 10_000, reference);

        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        async Task<(int Year, int Number)> Of(JsonElement body)
        {
            await using var cmd = new NpgsqlCommand("select year, number from payment_receipts where receipt_id = @id", conn);
            cmd.Parameters.AddWithValue("id", body.GetProperty("receiptId").GetInt64());
            await using var r = await cmd.ExecuteReaderAsync();
            Assert.True(await r.ReadAsync());
            return (r.GetInt32(0), r.GetInt32(1));
        }
        Assert.Equal((2026, 3), await Of(last));
        Assert.Equal((2027, 1), await Of(first));
        Assert.Equal((2027, 2), await Of(second));
    }
}
