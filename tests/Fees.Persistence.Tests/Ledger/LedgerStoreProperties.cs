using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Fees.Persistence.Ledger;
using Fees.Testing;
using Fees.Domain.Ledger;
using Fees.Domain.Amounts;
using Fees.Domain.Remittance;
using Fees.Domain.Time;

namespace Fees.Persistence.Tests.Ledger;

/// <summary>One random step of a history: a payment, a redelivery, a reversal or a close.</summary>
public sealed record LedgerStep(int Kind, int Org, int Pick, long Amount, int Day);

/// <summary>
/// The PostgreSQL store against the in-memory reference model <see cref="Books"/>: any sequence of payments, duplicate
/// deliveries, reversals and closes gives the same outcome per post and the same trial balance in every organization's
/// books; replaying the whole history changes nothing.
/// </summary>
public sealed class LedgerStoreProperties(FeesApp app) : IClassFixture<FeesApp>
{
    private static readonly DateOnly FarFuture = new(2030, 1, 1);

    // Shared across cases on purpose: the database keeps every case's entries, so the reference model must too
    // (closes have deterministic ids and meet the earlier cases' closes).
    private static readonly Books Reference = new();
    private static readonly SemaphoreSlim OneCaseAtATime = new(1, 1);

    public static Arbitrary<LedgerStep[]> Histories { get; } = Arb.From(
        Gen.Choose(1, 25).SelectMany(n => (
            from kind in Gen.Frequency((6, Gen.Constant(0)), (3, Gen.Constant(1)), (2, Gen.Constant(2)), (2, Gen.Constant(3)))
            from org in Gen.Choose(0, 2)
            from pick in Gen.Choose(0, 1000)
            from amount in Gen.Choose(1, 500_000)
            from day in Gen.Choose(0, 60)
            select new LedgerStep(kind, org, pick, amount, day)).ArrayOf(n)));

    [Property(MaxTest = 20)]
    public Property AnyHistory_PostedThroughTheStore_EqualsTheReferenceBooks_AndReplayingItChangesNothing() =>
        Prop.ForAll(Histories, steps => Run(steps).GetAwaiter().GetResult());

    private async Task<Property> Run(LedgerStep[] steps)
    {
        await OneCaseAtATime.WaitAsync();
        try
        {
            var cell = await app.Org(app.Demo.CellCode);
            var sibling = await app.Org(app.Demo.SiblingCellCode);
            long parent = cell.ParentId!.Value;
            long grandParent = (await ParentOf(parent)) ?? throw new InvalidOperationException("no grandparent");
            long[] orgs = [cell.Id, sibling.Id, parent];
            long ParentId(long org) => org == parent ? grandParent : parent;

            var store = app.Store();
            string run = Guid.NewGuid().ToString("N")[..10];
            var history = new List<JournalEntry>();
            var problems = new List<string>();
            int n = 0;

            async Task Both(JournalEntry entry)
            {
                var expected = Reference.Post(entry);
                var actual = await store.Post(entry);
                Compare(entry.Source.ToString(), expected.Status, expected.Reason, actual);
                history.Add(entry);
            }

            void Compare(string what, PostStatus expected, string? reason, LedgerPostResult actual)
            {
                if (expected != actual.Status || (expected == PostStatus.Duplicate && (reason is null) != !actual.ContentDiffers))
                {
                    problems.Add($"{what}: books {expected} ({reason}), store {actual.Status} ({actual.Reason})");
                }
            }

            foreach (var step in steps)
            {
                n++;
                long org = orgs[step.Org];
                var date = new DateOnly(2026, 8, 1).AddDays(step.Day);
                string id = string.Create(CultureInfo.InvariantCulture, $"{run}-{n}");
                switch (step.Kind)
                {
                    case 0:
                        long allocated = step.Amount * (step.Pick % 3) / 2;
                        await Both(PostingRules.BankReceipt(org, "FT" + id, date, Money.Vnd(step.Amount),
                            allocated > 0 ? [new DuesAllocation(1 + (step.Pick % 7), Period.Containing(date), Money.Vnd(allocated))] : [],
                            step.Pick % 4 == 0 ? null : 1 + (step.Pick % 7), "Thu " + id));
                        break;
                    case 1 when history.Count > 0:
                        await Both(history[step.Pick % history.Count]);
                        break;
                    case 2 when history.Count > 0:
                    {
                        var target = history[step.Pick % history.Count].Source;
                        var reversalSource = new EntrySource(SourceKind.Reversal, "RV" + id);
                        var original = Reference.Find(target);
                        var actual = await store.Reverse(target, reversalSource, date, "đảo " + id);
                        if (original is null || original.Reverses is not null)
                        {
                            Compare("reverse " + target, PostStatus.Rejected, null, actual);
                            break;
                        }
                        var reversal = original.Reverse(reversalSource, date < original.BookingDate ? original.BookingDate : date, "đảo " + id);
                        var expected = Reference.Post(reversal);
                        Compare("reverse " + target, expected.Status, expected.Reason, actual);
                        history.Add(reversal);
                        break;
                    }
                    case 3:
                    {
                        var period = Period.Containing(date);
                        var (own, children) = Reference.OpenCollections(org, period);
                        var collected = own + children;
                        // A reversal after a close can leave a period's collections negative: nothing to close then.
                        if (!collected.IsPositive || own.IsNegative || children.IsNegative)
                        {
                            break;
                        }
                        var retained = Money.Vnd(collected.Dong * 3 / 10);
                        var close = PostingRules.PeriodClose(org, ParentId(org), period, date,
                            new CloseSplit(own, children, retained, collected - retained, Money.Zero, null));
                        await Both(close.Own!);
                        if (close.AtParent is not null)
                        {
                            await Both(close.AtParent);
                        }
                        break;
                    }
                }
            }

            await CompareTrialBalances();

            // Replay the whole history: nothing posts, nothing moves.
            var replay = await store.PostBatch(history);
            problems.AddRange(replay.Where(r => r.Status == PostStatus.Posted).Select(r => "replay posted " + r.Entry!.Source));
            await CompareTrialBalances();

            return (problems.Count == 0).Label(string.Join(" | ", problems));

            async Task CompareTrialBalances()
            {
                foreach (long o in orgs.Append(grandParent))
                {
                    var expected = Reference.TrialBalance(o, FarFuture).Accounts.Select(r => (r.Code, r.Debit, r.Credit)).ToList();
                    var actual = (await store.TrialBalance(o, FarFuture)).Accounts.Select(r => (r.Code, r.Debit, r.Credit)).ToList();
                    if (!expected.SequenceEqual(actual))
                    {
                        problems.Add($"trial balance of o{o}: books [{string.Join(", ", expected)}], store [{string.Join(", ", actual)}]");
                    }
                }
            }
        }
        finally
        {
            OneCaseAtATime.Release();
        }
    }

    private async Task<long?> ParentOf(long orgId)
    {
        long parent = await app.Scalar("select coalesce(parent_id, 0) from orgs where id = " + orgId.ToString(CultureInfo.InvariantCulture));
        return parent == 0 ? null : parent;
    }
}
