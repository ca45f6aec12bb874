using Fees.Domain.Amounts;
using Fees.Domain.Ledger;
using Fees.Domain.Organizations;
using Fees.Domain.Time;

namespace Fees.Domain.Remittance;

/// <summary>An organization as the close needs it.</summary>
public sealed record OrgNode(long Id, long? ParentId, OrgKind Kind, OrgSetting Setting);

/// <summary>One organization's close in a tree close.</summary>
public sealed record OrgClose(long OrgId, CloseSplit Split, CloseEntries Entries);

/// <summary>
/// Closes a period for every organization of a tree, children before parents, posting into <see cref="Books"/>.
/// The reference for the job that runs the month-end close; an organization already closed for the period is skipped
/// (its close is in the books and is not redone).
/// </summary>
public static class TreeClose
{
    public static IReadOnlyList<OrgClose> CloseAll(Books books, IReadOnlyCollection<OrgNode> tree, Period period,
        DateOnly bookingDate, RetentionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(books);
        ArgumentNullException.ThrowIfNull(policy);
        var byId = tree.ToDictionary(o => o.Id);
        var children = tree.Where(o => o.ParentId is not null).ToLookup(o => o.ParentId!.Value);
        var subtreePaid = new Dictionary<long, Money>();
        var done = new List<OrgClose>();

        foreach (var org in PostOrder(tree, children))
        {
            var existing = books.Find(new EntrySource(SourceKind.PeriodClose, PostingRules.CloseId(org.Id, period)));
            var own = existing is null
                ? books.Balance(AccountKey.DuesCollected(org.Id, period))
                : Money.Sum(existing.Lines.Where(l => l.Side == Side.Debit && l.Account.Type == AccountType.DuesCollected).Select(l => l.Amount));
            subtreePaid[org.Id] = own + Money.Sum(children[org.Id].Select(c => subtreePaid[c.Id]));
            if (existing is not null)
            {
                continue;
            }
            var received = books.Balance(AccountKey.RemittancesReceived(org.Id, period));
            RetentionRule? rule = null;
            if (org.ParentId is { } parentId)
            {
                var parent = byId.GetValueOrDefault(parentId)
                    ?? throw new ArgumentException($"Organization {org.Id}'s parent {parentId} is not in the tree: pass the parent too.", nameof(tree));
                rule = policy.RuleFor(new OrgLink(org.Id, org.Kind, org.Setting, parent.Id, parent.Kind), period)
                    ?? throw new InvalidOperationException($"Policy {policy.Name} has no rule for organization {org.Id} under {parent.Id} in {period}.");
            }
            var split = PeriodClose.Compute(own, received, subtreePaid[org.Id], rule);
            var entries = PostingRules.PeriodClose(org.Id, org.ParentId, period, bookingDate, split);
            if (entries.Own is not null)
            {
                books.Post(entries.Own);
            }
            if (entries.AtParent is not null)
            {
                books.Post(entries.AtParent);
            }
            done.Add(new OrgClose(org.Id, split, entries));
        }
        return done;
    }

    private static List<OrgNode> PostOrder(IReadOnlyCollection<OrgNode> tree, ILookup<long, OrgNode> children)
    {
        var order = new List<OrgNode>();
        void Visit(OrgNode node)
        {
            foreach (var child in children[node.Id].OrderBy(c => c.Id))
            {
                Visit(child);
            }
            order.Add(node);
        }
        var ids = tree.Select(o => o.Id).ToHashSet();
        foreach (var root in tree.Where(o => o.ParentId is null || !ids.Contains(o.ParentId.Value)).OrderBy(o => o.Id))
        {
            Visit(root);
        }
        return order;
    }
}
