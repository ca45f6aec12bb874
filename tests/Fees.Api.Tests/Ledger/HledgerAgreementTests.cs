using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Testing;
using Fees.Domain.Ledger;
using Fees.Domain.Amounts;
using Fees.Domain.Remittance;
using Fees.Domain.Time;
using Fees.Reports.Hledger;

namespace Fees.Api.Tests.Ledger;

/// <summary>Done-when of issue 4: hledger itself, reading the exported journal, reports every account's balance exactly as the trial-balance endpoint does.</summary>
public sealed class HledgerAgreementTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task Hledger_ReadingTheExportedJournal_ReportsTheTrialBalance_ForEveryAccount()
    {
        var cell = await app.Org(app.Demo.CellCode);
        var parent = cell.ParentId!.Value;
        var store = app.Store();
        var august = Period.Of(2026, 8);
        var d = new DateOnly(2026, 8, 10);

        // A month: exact, over- and unidentified payments; a treasurer's allocation; a refund; a wrong receipt reversed;
        // the cell's close (a share to the parent's books); the remittance leaving the cell and arriving at the parent.
        await store.Post(PostingRules.BankReceipt(cell.Id, "FT26221001", d, Money.Vnd(54_756), [new DuesAllocation(1, august, Money.Vnd(54_756))], 1, "Nộp đảng phí tháng 8"));
        await store.Post(PostingRules.BankReceipt(cell.Id, "FT26221002", d, Money.Vnd(100_000), [new DuesAllocation(2, august, Money.Vnd(30_000))], 2, "Nộp thừa"));
        await store.Post(PostingRules.BankReceipt(cell.Id, "FT26221003", d.AddDays(1), Money.Vnd(45_000), [], null, "Không rõ người nộp; chuyển khoản (ghi chú)"));
        await store.Post(PostingRules.Allocate(cell.Id, "AL-1", d.AddDays(2), Holding.Suspense, [new DuesAllocation(3, august, Money.Vnd(20_000))], "Phân bổ"));
        await store.Post(PostingRules.Refund(cell.Id, "RF-1", d.AddDays(3), Holding.CreditOf(2), Money.Vnd(10_000), "Hoàn tiền"));
        var wrong = await store.Post(PostingRules.BankReceipt(cell.Id, "FT26221004", d.AddDays(3), Money.Vnd(7_000), [], 4, "Nhầm"));
        await store.Reverse(wrong.Entry!.Source, new EntrySource(SourceKind.Reversal, "RV-1"), d.AddDays(4), "nhầm tổ chức");
        var split = new CloseSplit(Money.Vnd(74_756), Money.Zero, Money.Vnd(22_427), Money.Vnd(52_329), Money.Zero, "R-342");
        var close = PostingRules.PeriodClose(cell.Id, parent, august, new DateOnly(2026, 9, 5), split);
        await store.PostBatch([close.Own!, close.AtParent!]);
        await store.Post(PostingRules.RemittanceSent(cell.Id, "RM-1", new DateOnly(2026, 9, 6), august, Money.Vnd(52_329), "Nộp cấp trên"));
        await store.Post(PostingRules.RemittanceReceipt(parent, cell.Id, "FT26250001", new DateOnly(2026, 9, 7), august, Money.Vnd(52_329), "Cấp dưới nộp lên"));

        var auditor = await app.ClientFor("kiemtra", "kiemtra-demo");
        var memberNos = await app.OwnerNames("select id, member_no from members");
        var orgCodes = await app.OwnerNames("select id, code from orgs");
        Assert.Equal("liabilities:member-credit:" + memberNos[1], HledgerName("credit:m1", memberNos, orgCodes));
        foreach (string code in new[] { app.Demo.CellCode, await ParentCode(auditor) })
        {
            string journal = await auditor.GetStringAsync($"/api/orgs/{code}/journal?format=hledger");
            var hledger = HledgerBalanceCsv.Parse(await RunHledger(journal));
            var tb = await auditor.GetFromJsonAsync<JsonElement>($"/api/orgs/{code}/trial-balance");
            // hledger knows only accounts with postings; the trial balance also lists the organization's chart at zero.
            var expected = tb.GetProperty("accounts").EnumerateArray()
                .Where(a => a.GetProperty("debit").GetInt64() != 0 || a.GetProperty("credit").GetInt64() != 0)
                .ToDictionary(
                a => HledgerName(a.GetProperty("code").GetString()!, memberNos, orgCodes),
                a => a.GetProperty("debit").GetInt64() - a.GetProperty("credit").GetInt64(),
                StringComparer.Ordinal);
            Assert.NotEmpty(expected);
            Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), hledger.OrderBy(p => p.Key, StringComparer.Ordinal));
            Assert.Equal(tb.GetProperty("totalDebit").GetInt64(), tb.GetProperty("totalCredit").GetInt64());
        }

        var checks = await auditor.GetFromJsonAsync<JsonElement>("/api/audit/checks");
        var failed = checks.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.ToString()).ToList();
        Assert.Empty(failed);

        async Task<string> ParentCode(HttpClient client) =>
            (await client.GetFromJsonAsync<JsonElement>($"/api/orgs/{app.Demo.CellCode}")).GetProperty("parentCode").GetString()!;
    }

    /// <summary>
    /// <c>dues:2026-08</c> → <c>revenue:dues-collected:2026-08</c>, <c>credit:m1</c> → <c>liabilities:member-credit:{member no}</c>,
    /// <c>receivable:o7</c> → <c>assets:remittance-receivable:{org code}</c>: the trial balance's code in the journal's words.
    /// </summary>
    internal static string HledgerName(string code, Dictionary<long, string> memberNos, Dictionary<long, string> orgCodes)
    {
        int colon = code.IndexOf(':', StringComparison.Ordinal);
        string stem = colon < 0 ? code : code[..colon];
        var type = AccountTypes.All.Single(t => t.CodeStem() == stem);
        string suffix = colon < 0 ? "" : code[(colon + 1)..];
        string name = type switch
        {
            AccountType.MemberCredit when memberNos.TryGetValue(Id(suffix), out var no) => no,
            AccountType.RemittanceReceivable when orgCodes.TryGetValue(Id(suffix), out var c) => c,
            _ => suffix,
        };
        return HledgerJournalWriter.SanitizeAccountName(type.HledgerStem() + (name.Length == 0 ? "" : ":" + name));

        static long Id(string s) => long.Parse(s[1..], System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static async Task<string> RunHledger(string journal)
    {
        string file = Path.Combine(Path.GetTempPath(), "ledger-" + Guid.NewGuid().ToString("N") + ".journal");
        await File.WriteAllTextAsync(file, journal);
        try
        {
            var psi = new ProcessStartInfo("hledger", ["-f", file, "balance", "--flat", "--no-total", "--empty", "-O", "csv"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(psi)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, "hledger failed: " + await stderr + "\n" + journal);
            return await stdout;
        }
        finally
        {
            File.Delete(file);
        }
    }
}
