using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Api.Tests.Bank;
using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Persistence;
using Fees.Reports.Hledger;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Api.Tests.Ledger;

/// <summary>
/// Issue 10, done when: the trial balance of an organization after a month of simulated payments equals hledger's reading
/// of its journal, and every audit check passes. The month goes through a real FakeBank process: transfers to the demo
/// cell's account over thirty days, their contents rewritten as banks rewrite them, each delivered by every provider
/// watching the account (so each transaction arrives three times); exact, partial and over-payments, one without a
/// reference that the treasurer allocates by hand, and a payment in cash.
/// </summary>
public sealed class MonthOfPaymentsHledgerTests(BankPollApp app) : IClassFixture<BankPollApp>
{
    private static readonly object[] Rewrites =
    [
        new { preset = "interbank-to-vcb" },
        new { preset = "vcb-outgoing" },
        new { preset = "mb-received" },
        new { preset = "momo" },
        new { splitReferenceAt = 4, upperCase = true },
        new { preset = "vcb-to-mb", truncateTo = 60 },
    ];

    [Fact]
    public async Task TrialBalance_AfterAMonthOfSimulatedPayments_EqualsHledgersReadingOfTheJournal_AndEveryAuditCheckPasses()
    {
        var admin = await app.Admin();
        foreach (string period in new[] { "2026-10", "2026-11" })
        {
            var r = await admin.PostAsync($"/api/cycles/{period}/generate", null);
            Assert.True(r.IsSuccessStatusCode || r.StatusCode == HttpStatusCode.Conflict);
        }
        var cell = await app.Account(app.Demo.CellCode);
        await app.Bank.AccountAsync(cell, "CHI BO " + app.Demo.CellCode, "generic", "sepay", "casso");
        var owing = await app.WithScopeAsync(async s =>
        {
            var db = s.GetRequiredService<FeesDbContext>();
            var rows = await (from st in db.Statements
                              join m in db.Members on st.MemberId equals m.Id
                              where st.OrgId == cell.OrgId && st.Status == DuesStatementStatus.Issued && st.Amount > Money.Zero
                              select new { m.Id, m.MemberNo, m.FullName, st.Period, st.Amount }).ToListAsync();
            return rows.GroupBy(x => (x.Id, x.MemberNo, x.FullName))
                .Select(g => (g.Key.Id, g.Key.MemberNo, g.Key.FullName, Owed: g.Sum(x => x.Amount.Dong),
                    November: g.Where(x => x.Period == Fees.Domain.Time.Period.Of(2026, 11)).Sum(x => x.Amount.Dong)))
                .OrderBy(x => x.MemberNo, StringComparer.Ordinal).ToList();
        });
        Assert.True(owing.Count >= 10, $"the demo cell has {owing.Count} members owing");

        // Thirty days of transfers: exact, partial (half) and over-payments (a credit), in the banks' rewritings.
        var start = new DateTimeOffset(2026, 11, 2, 8, 30, 0, TimeSpan.FromHours(7));
        var references = new List<string>();
        var paying = owing.Take(8).ToList();
        for (int i = 0; i < paying.Count; i++)
        {
            var (id, _, name, owed, _) = paying[i];
            long amount = (i % 3) switch { 0 => owed, 1 => owed / 2, _ => owed + 50_000 };
            var transfer = await app.Bank.TransferAsync(new
            {
                toBin = cell.Bin,
                toAccount = cell.Number,
                amount,
                content = PaymentReference.ForMember(id).Value + " Đảng phí",
                fromName = name,
                fromAccount = "00110012345" + i.ToString("D2", CultureInfo.InvariantCulture),
                fromBin = "970415",
                rewrite = Rewrites[i % Rewrites.Length],
                bookedAt = start.AddDays(i * 3.5),
            });
            references.Add((string)transfer["bankReference"]!);
        }
        // One without any reference, from a member's own account: suspense, then the treasurer allocates it by hand.
        var unknown = owing[8];
        var anonymous = await app.Bank.TransferAsync(new
        {
            toBin = cell.Bin,
            toAccount = cell.Number,
            amount = unknown.November,
            content = "chuyen tien",
            fromName = Fees.Domain.Matching.TransferContent.Fold(unknown.FullName),
            fromAccount = "0011009999999",
            fromBin = "970415",
            bookedAt = start.AddDays(20),
        });
        references.Add((string)anonymous["bankReference"]!);
        await app.Bank.WaitIdleAsync();
        foreach (string reference in references)
        {
            await BookedOnce(reference);
        }

        // However the banks rewrote them, every transfer with a reference was matched; only the one without waits.
        Assert.Equal(0, await app.OwnerScalar("""
            select count(*) from receipts r join bank_transactions t on r.bank_transaction_id = t.id
            where t.bank_reference = any(@refs) and r.status = 'unmatched'
            """, ("refs", references.Take(paying.Count).ToArray())));

        using var treasurer = await app.ClientFor("thuquy", "thuquy-demo");
        long suspended = await app.OwnerScalar("select r.id from receipts r join bank_transactions t on r.bank_transaction_id = t.id where t.bank_reference = @ref",
            ("ref", references[^1]));
        var allocated = await treasurer.PostAsJsonAsync($"/api/receipts/{suspended}/allocate",
            new { allocations = new[] { new { memberNo = unknown.MemberNo, period = "2026-11", amount = unknown.November } } });
        Assert.Equal(HttpStatusCode.OK, allocated.StatusCode);
        var cash = owing[9];
        var recorded = await treasurer.PostAsJsonAsync($"/api/orgs/{app.Demo.CellCode}/cash-receipts",
            new { memberNo = cash.MemberNo, amount = cash.Owed, receivedOn = "2026-11-28", note = "Nộp tại buổi sinh hoạt chi bộ" });
        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);

        // Each receipt booked once although three providers reported each transfer.
        Assert.Equal(references.Count + 1, await app.OwnerScalar("select count(*) from receipts where org_id = @org", ("org", cell.OrgId)));

        // hledger reads the exported journal and agrees with the trial balance on every account, to the đồng.
        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        var memberNos = await app.OwnerNames("select id, member_no from members");
        var orgCodes = await app.OwnerNames("select id, code from orgs");
        string journal = await auditor.GetStringAsync($"/api/orgs/{app.Demo.CellCode}/journal?format=hledger");
        var hledger = HledgerBalanceCsv.Parse(await HledgerAgreementTests.RunHledger(journal));
        var tb = await auditor.GetFromJsonAsync<JsonElement>($"/api/orgs/{app.Demo.CellCode}/trial-balance");
        var expected = tb.GetProperty("accounts").EnumerateArray()
            .Where(a => a.GetProperty("debit").GetInt64() != 0 || a.GetProperty("credit").GetInt64() != 0)
            .ToDictionary(
                a => HledgerAgreementTests.HledgerName(a.GetProperty("code").GetString()!, memberNos, orgCodes),
                a => a.GetProperty("debit").GetInt64() - a.GetProperty("credit").GetInt64(),
                StringComparer.Ordinal);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), hledger.OrderBy(p => p.Key, StringComparer.Ordinal));
        Assert.Equal(tb.GetProperty("totalDebit").GetInt64(), tb.GetProperty("totalCredit").GetInt64());
        // The month's money is all there: the bank account holds every transfer, the cash box the cash.
        long transferred = paying.Select((p, i) => (i % 3) switch { 0 => p.Owed, 1 => p.Owed / 2, _ => p.Owed + 50_000 }).Sum() + unknown.November;
        Assert.Equal(transferred + cash.Owed, hledger.Where(p => p.Key.StartsWith("assets:", StringComparison.Ordinal)).Sum(p => p.Value));

        var checks = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/checks");
        var failed = checks.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.ToString()).ToList();
        Assert.Empty(failed);
    }

    /// <summary>Waits (a job may still hold it) until the transaction is stored once, with one receipt, out of the inbox.</summary>
    private async Task BookedOnce(string reference)
    {
        using var expiry = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            long stored = await app.OwnerScalar("select count(*) from bank_transactions where bank_reference = @ref", ("ref", reference));
            long receipts = await app.OwnerScalar("select count(*) from receipts r join bank_transactions t on r.bank_transaction_id = t.id where t.bank_reference = @ref",
                ("ref", reference));
            long waiting = await app.OwnerScalar("select count(*) from bank_transactions where bank_reference = @ref and state = 'accepted'", ("ref", reference));
            if (stored == 1 && receipts == 1 && waiting == 0)
            {
                return;
            }
            Assert.False(expiry.IsCancellationRequested, $"{reference}: stored {stored}, receipts {receipts}, waiting {waiting}");
            await Task.Delay(100);
        }
    }

}
