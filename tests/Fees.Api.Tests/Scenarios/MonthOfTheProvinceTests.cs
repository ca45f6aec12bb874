using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Api.Tests.Bank;
using Fees.Api.Tests.Ledger;
using Fees.Domain.Dues;
using Fees.Reports.Hledger;
using Fees.Testing;
using Npgsql;

namespace Fees.Api.Tests.Scenarios;

/// <summary>
/// Issue 11's scenario: one month of the demo province, end to end, through a real FakeBank process. November's dues are
/// generated; members pay by transfer (their banks rewrite the contents) and in cash, some in part; every organization
/// of the province closes November, children first; each remittance order leaves the child's account and reaches the
/// parent's through the bank feeds, up to the province's order to the centre. Then: what members paid = what every
/// level of the province retained + what the province remitted to the centre, to the đồng; every audit check passes;
/// hledger agrees with every organization's trial balance.
/// </summary>
public sealed class MonthOfTheProvinceTests(BankPollApp app) : IClassFixture<BankPollApp>
{
    private static readonly object[] Rewrites =
    [
        new { preset = "interbank-to-vcb" },
        new { preset = "mb-received" },
        new { preset = "momo" },
        new { splitReferenceAt = 4, upperCase = true },
    ];

    private sealed record Org(long Id, string Code, string Path, string? Bin, string? Account, long? ParentId);

    [Fact]
    public async Task OneMonth_FromGenerationToTheCentre_ConservesEveryDong_AndTheBooksAgree()
    {
        var admin = await app.Admin();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/cycles/2026-11/generate", null)).StatusCode);
        string province = app.Demo.ProvinceCode;
        var orgs = await Orgs();
        var provinceOrg = orgs.Values.Single(o => o.Code == province);
        foreach (var o in orgs.Values.Where(o => o.Account is not null))
        {
            await app.Bank.AccountAsync(new OrgAccount(o.Id, o.Code, o.Bin!, o.Account!), "DANG BO " + o.Code, "generic");
        }

        // Members pay: by transfer into their cell's account (every fourth in part), and a few in cash.
        var owing = await Owing(provinceOrg.Path);
        Assert.True(owing.Count >= 60, $"only {owing.Count} members owe in organizations with an account");
        long paid = 0;
        var references = new List<string>();
        var transfers = owing.Take(48).ToList();
        for (int i = 0; i < transfers.Count; i++)
        {
            var (memberId, _, orgId, amount) = transfers[i];
            long pays = i % 4 == 3 ? amount / 2 : amount;
            var org = orgs[orgId];
            var t = await app.Bank.TransferAsync(new
            {
                toBin = org.Bin, toAccount = org.Account, amount = pays,
                content = PaymentReference.ForMember(memberId).Value + " dong dang phi thang 11",
                fromName = "DANG VIEN " + i.ToString(CultureInfo.InvariantCulture),
                fromAccount = "00110012345" + i.ToString("D2", CultureInfo.InvariantCulture), fromBin = "970415",
                rewrite = Rewrites[i % Rewrites.Length],
            });
            references.Add((string)t["bankReference"]!);
            paid += pays;
        }
        await app.Bank.WaitIdleAsync();
        foreach (var (_, memberNo, orgId, amount) in owing.Skip(48).Take(6))
        {
            var cash = await admin.PostAsJsonAsync($"/api/orgs/{orgs[orgId].Code}/cash-receipts",
                new { memberNo, amount, receivedOn = "2026-11-27", note = "Nộp tại buổi sinh hoạt chi bộ" });
            Assert.Equal(HttpStatusCode.Created, cash.StatusCode);
            paid += amount;
        }
        await Until(async () => await app.OwnerScalar("select count(*) from receipts r join bank_transactions t on t.id = r.bank_transaction_id where t.bank_reference = any(@r) and r.status = 'matched'",
            ("r", references.ToArray())) == references.Count, "every transfer matched");
        long statementsPaid = await app.OwnerScalar("""
            select coalesce(sum(s.paid), 0) from dues_statements s join orgs o on o.id = s.org_id
            where starts_with(o.path, @p) and s.period = date '2026-11-01'
            """, ("p", provinceOrg.Path));
        Assert.Equal(paid, statementsPaid);

        // Every organization of the province closes November, children first.
        var cascade = await admin.PostAsync($"/api/orgs/{province}/periods/2026-11/close-subtree", null);
        var result = await cascade.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(cascade.StatusCode == HttpStatusCode.OK && result.GetProperty("refused").GetArrayLength() == 0, result.ToString());
        Assert.Equal(orgs.Values.Count(o => o.Path.StartsWith(provinceOrg.Path, StringComparison.Ordinal)), result.GetProperty("closed").GetInt32());

        // Each order leaves the child's account and reaches the parent's, carrying its reference (rewritten by the banks).
        var orders = await Orders(provinceOrg.Path);
        Assert.NotEmpty(orders);
        int n = 0;
        foreach (var (reference, purpose, orgId, parentId, amount) in orders)
        {
            var (child, parent) = (orgs[orgId], orgs[parentId]);
            Assert.NotNull(child.Account);
            Assert.NotNull(parent.Account);
            await app.Bank.TransferAsync(new
            {
                toBin = child.Bin, toAccount = child.Account, amount, direction = "out", content = purpose,
                fromName = "DANG BO " + parent.Code, fromAccount = parent.Account, fromBin = parent.Bin,
            });
            await app.Bank.TransferAsync(new
            {
                toBin = parent.Bin, toAccount = parent.Account, amount, content = purpose,
                fromName = "DANG BO " + child.Code, fromAccount = child.Account, fromBin = child.Bin,
                rewrite = Rewrites[n++ % Rewrites.Length],
            });
        }
        await app.Bank.WaitIdleAsync();
        await Until(async () => await app.OwnerScalar("select count(*) from remittance_orders where reference = any(@r) and status = 'confirmed'",
            ("r", orders.Select(o => o.Reference).ToArray())) == orders.Count, "every remittance order confirmed");

        // Conservation: what members paid = what every level of the province retained + what it remitted to the centre.
        long retained = await app.OwnerScalar("""
            select coalesce(sum(c.retained), 0) from period_closes c join orgs o on o.id = c.org_id
            where starts_with(o.path, @p) and c.period = date '2026-11-01' and c.status = 'closed'
            """, ("p", provinceOrg.Path));
        long toCentre = await app.OwnerScalar("select remitted from period_closes where org_id = @o and period = date '2026-11-01' and status = 'closed'",
            ("o", provinceOrg.Id));
        Assert.True(toCentre > 0);
        Assert.Equal(paid, retained + toCentre);
        long centreReceived = await app.OwnerScalar("""
            select coalesce(sum(p.amount), 0) from ledger_postings p join ledger_entries e on e.id = p.entry_id
            where e.org_id = @c and p.account_type = @bank
            """, ("c", provinceOrg.ParentId!.Value), ("bank", (int)Fees.Domain.Ledger.AccountType.Bank));
        Assert.Equal(toCentre, centreReceived);

        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");

        // B01/ĐP of the province says the same: collected (02) = retained at every level (04) + passed up to the centre (12).
        var b01Response = await auditor.GetAsync($"/api/reports/b01?org={province}&range=2026-11&format=csv");
        Assert.Equal(HttpStatusCode.OK, b01Response.StatusCode);
        var b01 = (await b01Response.Content.ReadAsStringAsync()).TrimStart('\uFEFF').Split("\r\n")
            .Where(l => l.Length > 3 && char.IsAsciiDigit(l[0]) && char.IsAsciiDigit(l[1]) && l[2] == ',')
            .ToDictionary(l => l[..2], l => long.Parse(l.Split(',')[7], CultureInfo.InvariantCulture));
        Assert.Equal(paid, b01["02"]);
        Assert.Equal(retained, b01["04"]);
        Assert.Equal(toCentre, b01["12"]);
        Assert.Equal(b01["02"], b01["04"] + b01["12"]);
        var checks = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/checks"); // the province's auditor, over the province
        var failed = checks.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.ToString()).ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));

        // hledger agrees with the trial balance of every organization that has books, the centre included.
        var memberNos = await app.OwnerNames("select id, member_no from members");
        var orgCodes = orgs.Values.ToDictionary(o => o.Id, o => o.Code);
        var withBooks = await app.OwnerNames("select distinct o.id, o.code from ledger_entries e join orgs o on o.id = e.org_id");
        Assert.Contains(provinceOrg.ParentId!.Value, withBooks.Keys);
        foreach (var code in withBooks.Values.Order(StringComparer.Ordinal))
        {
            string journal = await admin.GetStringAsync($"/api/orgs/{code}/journal?format=hledger");
            var hledger = HledgerBalanceCsv.Parse(await HledgerAgreementTests.RunHledger(journal));
            var tb = await admin.GetFromJsonAsync<JsonElement>($"/api/orgs/{code}/trial-balance");
            var expected = tb.GetProperty("accounts").EnumerateArray()
                .Where(a => a.GetProperty("debit").GetInt64() != 0 || a.GetProperty("credit").GetInt64() != 0)
                .ToDictionary(a => HledgerAgreementTests.HledgerName(a.GetProperty("code").GetString()!, memberNos, orgCodes),
                    a => a.GetProperty("debit").GetInt64() - a.GetProperty("credit").GetInt64(), StringComparer.Ordinal);
            Assert.Equal(expected.Where(p => p.Value != 0).OrderBy(p => p.Key, StringComparer.Ordinal),
                hledger.Where(p => p.Value != 0).OrderBy(p => p.Key, StringComparer.Ordinal));
        }
    }

    private async Task<Dictionary<long, Org>> Orgs()
    {
        var result = new Dictionary<long, Org>();
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select id, code, path, bank_bin, bank_account, parent_id from orgs", conn);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            result[r.GetInt64(0)] = new Org(r.GetInt64(0), r.GetString(1), r.GetString(2), r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetInt64(5));
        }
        return result;
    }

    /// <summary>November statements still owed, in organizations with a bank account, one per member, in a stable order.</summary>
    private async Task<List<(long MemberId, string MemberNo, long OrgId, long Amount)>> Owing(string provincePath)
    {
        var result = new List<(long, string, long, long)>();
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select m.id, m.member_no, s.org_id, s.amount from dues_statements s
            join members m on m.id = s.member_id join orgs o on o.id = s.org_id
            where starts_with(o.path, @p) and s.period = date '2026-11-01' and s.status = 'issued' and s.amount > 0 and o.bank_account is not null
              and not exists (select 1 from dues_statements e where e.member_id = m.id and e.period < date '2026-11-01' and e.status in ('issued', 'partially_paid'))
            order by m.member_no
            """, conn);
        cmd.Parameters.AddWithValue("p", provincePath);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            result.Add((r.GetInt64(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3)));
        }
        return result;
    }

    private async Task<List<(string Reference, string Purpose, long OrgId, long ParentId, long Amount)>> Orders(string provincePath)
    {
        var result = new List<(string, string, long, long, long)>();
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select r.reference, r.purpose, r.org_id, r.parent_org_id, r.amount from remittance_orders r join orgs o on o.id = r.org_id
            where starts_with(o.path, @p) and r.status = 'created' order by length(o.path) desc, o.code
            """, conn);
        cmd.Parameters.AddWithValue("p", provincePath);
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync())
        {
            result.Add((r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)));
        }
        return result;
    }

    private static async Task Until(Func<Task<bool>> condition, string what)
    {
        using var expiry = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!await condition())
        {
            Assert.False(expiry.IsCancellationRequested, "timed out waiting for " + what);
            await Task.Delay(100);
        }
    }

}
