using System.Diagnostics;
using System.Globalization;
using Fees.Domain.Amounts;
using Fees.Domain.Ledger;
using Fees.Domain.Organizations;
using Fees.Domain.Remittance;
using Fees.Domain.Time;
using Fees.Reports.Hledger;

namespace Fees.Reports.Tests.Hledger;

public sealed class HledgerJournalWriterTests
{
    private const string HledgerPath = "/usr/bin/hledger";
    private const long Upper = 1, Base = 2, Cell = 3;
    private static readonly Period Aug = Period.Of(2026, 8);
    private static readonly OrgNode[] Tree =
    [
        new(Upper, null, OrgKind.Upper, OrgSetting.Commune),
        new(Base, Upper, OrgKind.BaseCommittee, OrgSetting.Commune),
        new(Cell, Base, OrgKind.Cell, OrgSetting.Commune),
    ];

    /// <summary>A month with every kind of entry: receipts (exact, over, unidentified), allocation, refund, reversal, closes, remittance.</summary>
    private static Books SmallMonth()
    {
        var books = new Books();
        var d = new DateOnly(2026, 8, 10);
        books.Post(PostingRules.BankReceipt(Cell, "FT1", d, Money.Vnd(54_756), [new DuesAllocation(11, Aug, Money.Vnd(54_756))], 11, "Đảng phí tháng 8; Nguyễn Văn A"));
        books.Post(PostingRules.BankReceipt(Cell, "FT2", d.AddDays(1), Money.Vnd(100_000), [new DuesAllocation(12, Aug, Money.Vnd(60_000))], 12, "Nộp thừa"));
        var unknown = PostingRules.BankReceipt(Cell, "FT3", d.AddDays(2), Money.Vnd(30_000), [], null, "Không rõ");
        books.Post(unknown);
        books.Post(PostingRules.Allocate(Cell, "A1", d.AddDays(3), Holding.Suspense, [new DuesAllocation(13, Aug, Money.Vnd(20_000))], "Thủ quỹ phân bổ"));
        books.Post(PostingRules.Refund(Cell, "RF1", d.AddDays(4), Holding.Suspense, Money.Vnd(10_000), "Hoàn trả"));
        var wrong = PostingRules.BankReceipt(Cell, "FT4", d.AddDays(5), Money.Vnd(7_777), [new DuesAllocation(11, Aug, Money.Vnd(7_777))], 11, "Nhầm");
        books.Post(wrong);
        books.Post(wrong.Reverse(new EntrySource(SourceKind.Reversal, "RV1"), d.AddDays(6), "ngân hàng hoàn"));
        books.Post(PostingRules.BankReceipt(Base, "FT5", d.AddDays(7), Money.Vnd(45_000), [new DuesAllocation(21, Aug, Money.Vnd(45_000))], 21, "Đảng phí"));
        TreeClose.CloseAll(books, Tree, Aug, new DateOnly(2026, 9, 2), RetentionPolicy.Legacy342);
        var payable = books.Balance(AccountKey.PayableToParent(Cell));
        books.Post(PostingRules.RemittanceSent(Cell, "RS1", new DateOnly(2026, 9, 3), Aug, payable, "Nộp lên"));
        books.Post(PostingRules.RemittanceReceipt(Base, Cell, "FT6", new DateOnly(2026, 9, 4), Aug, payable, "Chi bộ nộp lên"));
        return books;
    }

    [Fact]
    public void Journal_IsPlainHledgerTextInAStableOrder()
    {
        var books = SmallMonth();
        string journal = HledgerJournalWriter.Write(books.Entries.Reverse(), Cell);
        Assert.Equal(journal, HledgerJournalWriter.Write(books.Entries, Cell));
        var lines = journal.Split('\n');
        Assert.Equal("2026-08-10 (bank-receipt:FT1) Đảng phí tháng 8, Nguyễn Văn A", lines[0]);
        Assert.Equal("    ; period: 2026-08", lines[1]);
        Assert.Equal("    assets:bank                              54756 VND", lines[2]);
        Assert.Equal("    revenue:dues-collected:2026-08          -54756 VND", lines[3]);
        Assert.Contains("    ; reverses: bank-receipt:FT4", lines);
        Assert.DoesNotContain(lines, l => l.Contains('\t', StringComparison.Ordinal));
        Assert.Equal("liabilities:member-credit:N-1-2", HledgerJournalWriter.SanitizeAccountName("liabilities:member-credit:N 1;2"));
        Assert.Equal("a:b", HledgerJournalWriter.SanitizeAccountName("a::b  "));
    }

    /// <summary>hledger itself reads the journal and reports, for every organization and date, the balances of our trial balance.</summary>
    [Fact]
    public void HledgerBalances_EqualTheTrialBalance()
    {
        Assert.True(File.Exists(HledgerPath),
            $"hledger is not installed at {HledgerPath}: install it (`apt-get update && apt-get install -y hledger`; CI installs it). " +
            "This test compares hledger's balances with the trial balance and must not pass without it.");
        var books = SmallMonth();
        var dir = Directory.CreateTempSubdirectory("fees-hledger-");
        int compared = 0;
        try
        {
            foreach (var org in Tree)
            {
                string file = Path.Combine(dir.FullName, "o" + org.Id.ToString(CultureInfo.InvariantCulture) + ".journal");
                File.WriteAllText(file, HledgerJournalWriter.Write(books.Entries, org.Id));
                foreach (var asOf in new[] { new DateOnly(2026, 8, 13), new DateOnly(2026, 9, 2), new DateOnly(2026, 12, 31) })
                {
                    var expected = HledgerBalanceCsv.FromTrialBalance(books.TrialBalance(org.Id, asOf));
                    var actual = HledgerBalanceCsv.Parse(RunHledger(file, asOf));
                    compared += expected.Count;
                    Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), actual.OrderBy(p => p.Key, StringComparer.Ordinal));
                }
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
        Assert.True(compared > 20, "too few balances compared: " + compared.ToString(CultureInfo.InvariantCulture));
    }

    private static string RunHledger(string file, DateOnly asOf)
    {
        var start = new ProcessStartInfo(HledgerPath)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // --empty keeps accounts whose balance is back to zero (the trial balance lists every account that moved);
        // --end is exclusive, so the day after the as-of date.
        foreach (var arg in new[] { "-f", file, "balance", "--flat", "--no-total", "--empty", "--end", asOf.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), "-O", "csv" })
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, "hledger failed: " + error);
        return output;
    }
}
