using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Persistence.Ledger;
using Fees.Testing;
using Microsoft.Extensions.DependencyInjection;
using Fees.Domain.Ledger;
using Fees.Domain.Amounts;
using Fees.Domain.Time;
using Xunit.Abstractions;

namespace Fees.Persistence.Tests.Ledger;

/// <summary>Done-when of issue 4: many writers on one organization's bank account lose nothing, post nothing twice, and never fail.</summary>
public sealed class LedgerConcurrencyTests(FeesApp app, ITestOutputHelper output) : IClassFixture<FeesApp>
{
    private const int Writers = 32;
    private const int EventsPerWriter = 500;

    [Fact]
    public async Task ThirtyTwoWriters_EachEventDeliveredTwice_PostExactlyOnce_AndEveryCheckPasses()
    {
        var cell = await app.Org(app.Demo.CellCode);
        var store = app.Store();
        var august = Period.Of(2026, 8);
        // Event (w, i): a receipt on the cell's bank; a third of them also pay August dues, some are unidentified.
        JournalEntry Event(int w, int i)
        {
            long amount = 1_000 + (((w * 7919L) + (i * 104_729L)) % 200_000);
            string id = string.Create(CultureInfo.InvariantCulture, $"FT-conc-{w:D2}-{i:D3}");
            var allocations = i % 3 == 0 ? new[] { new DuesAllocation(1 + w, august, Money.Vnd(amount / 2)) } : [];
            long? payer = i % 5 == 0 ? null : 1 + w;
            return PostingRules.BankReceipt(cell.Id, id, new DateOnly(2026, 8, 1 + (i % 28)), Money.Vnd(amount), allocations, payer, "Nộp đảng phí");
        }
        long expectedBank = 0;
        for (int w = 0; w < Writers; w++)
        {
            for (int i = 0; i < EventsPerWriter; i++)
            {
                expectedBank += Event(w, i).Total.Dong;
            }
        }

        // Writer w delivers its own events in order and its neighbour's in reverse order: every event arrives twice,
        // the two deliveries from different connections, often at the same moment.
        var clock = Stopwatch.StartNew();
        var outcomes = await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            int posted = 0, duplicates = 0;
            int neighbour = (w + 1) % Writers;
            for (int i = 0; i < EventsPerWriter; i++)
            {
                foreach (var e in new[] { Event(w, i), Event(neighbour, EventsPerWriter - 1 - i) })
                {
                    var r = await store.Post(e);
                    if (r.Status == PostStatus.Posted)
                    {
                        posted++;
                    }
                    else if (r.Status == PostStatus.Duplicate && !r.ContentDiffers)
                    {
                        duplicates++;
                    }
                }
            }
            return (posted, duplicates);
        })));
        output.WriteLine($"{Writers * EventsPerWriter * 2} posts in {clock.Elapsed.TotalSeconds:F1} s");

        Assert.Equal(Writers * EventsPerWriter, outcomes.Sum(o => o.posted));
        Assert.Equal(Writers * EventsPerWriter, outcomes.Sum(o => o.duplicates));
        Assert.Equal(Writers * EventsPerWriter, await app.Scalar($"select count(*) from ledger_entries where org_id = {cell.Id} and source_id like 'FT-conc-%'"));

        var tb = await store.TrialBalance(cell.Id, new DateOnly(2030, 1, 1));
        Assert.Equal(tb.TotalDebit, tb.TotalCredit);
        Assert.Equal(expectedBank, tb.BalanceOf(AccountKey.Bank(cell.Id)).Dong);
        Assert.Equal(expectedBank, await app.Scalar($"select sum(debit - credit) from ledger_balances where org_id = {cell.Id} and account_type = 1"));

        var all = await app.Services.GetRequiredService<AuditCheckRunner>().RunAll("");
        Assert.True(all.Count >= 6);
        Assert.All(all, c => Assert.True(c.Passed, $"{c.Name}: {string.Join("; ", c.Violations.Select(v => v.Detail))}"));
    }
}
