using Fees.Domain.Dues;
using Fees.Domain.Matching;
using FsCheck.Fluent;
using FsCheck.Xunit;
using FsCheck;

namespace Fees.Domain.Tests.Matching;

/// <summary>A content of known and unknown references mixed with text, a lookup, and the receiving organization.</summary>
public sealed record ResolverCase(string Content, IReadOnlyDictionary<PaymentReference, ReferenceOwner> Known, long ReceivingOrgId)
{
    public override string ToString() =>
        $"«{Content}» at org {ReceivingOrgId}; known: {string.Join(", ", Known.Select(k => $"{k.Key}→m{k.Value.MemberId}@{string.Join('/', k.Value.CollectingOrgIds)}"))}";
}

/// <summary>Contents holding zero to three references, some known (to one of three members, at one of three organizations), some not.</summary>
public static class ResolverArbitraries
{
    public static Arbitrary<ResolverCase> Cases() =>
        (from seed in Gen.Choose(0, int.MaxValue)
         from receiving in Gen.Choose(1, 3)
         select Build(seed, receiving)).ToArbitrary();

    private static ResolverCase Build(int seed, long receiving)
    {
        var random = new Random(seed);
        var known = new Dictionary<PaymentReference, ReferenceOwner>();
        var parts = new List<string>();
        int count = random.Next(0, 4);
        for (int i = 0; i < count; i++)
        {
            long member = random.Next(1, 4);
            bool standing = random.Next(2) == 0;
            var reference = standing ? PaymentReference.ForMember(member * 1000 + random.Next(2)) : PaymentReference.NewRequest(random.Next(1, 1_000_000));
            if (random.Next(4) > 0)
            {
                var orgs = Enumerable.Range(1, 3).Where(_ => random.Next(2) == 0).Select(o => (long)o).ToList();
                known[reference] = standing
                    ? ReferenceOwner.OfMember(member, orgs)
                    : ReferenceOwner.OfRequest(member, random.Next(1, 4), (ReferenceStatus)random.Next(1, 5));
            }
            parts.Add(MatchingArbitraries.Prefixes[random.Next(MatchingArbitraries.Prefixes.Length)] + reference.Value);
        }
        parts.Add(MatchingArbitraries.Suffixes[random.Next(MatchingArbitraries.Suffixes.Length - 1)]);
        return new ResolverCase(string.Join(' ', parts), known, receiving);
    }
}

/// <summary>The laws of resolving a match against the database's answers.</summary>
public class ReceiptResolverLaws
{
    private static ReceiptResolution Resolve(ResolverCase c) =>
        ReceiptResolver.Resolve(TransferContent.MatchOf(c.Content), c.ReceivingOrgId, r => c.Known.GetValueOrDefault(r));

    /// <summary>
    /// A receipt is posted to a member only if every reference read is known, all name that member, and the receiving
    /// organization collects from the member under each of them; so an unknown reference, a reference of another
    /// organization's member, and two members in one content are never posted.
    /// </summary>
    [Property(Arbitrary = [typeof(ResolverArbitraries)], MaxTest = 1000)]
    public void APosting_AlwaysHasEveryReferenceKnown_OneMember_AndTheReceivingOrganization(ResolverCase c)
    {
        var found = TransferContent.FindReferences(c.Content);
        if (Resolve(c) is ReceiptResolution.ToMember posted)
        {
            Assert.NotEmpty(found);
            Assert.All(found, f =>
            {
                var owner = c.Known[f.Reference];
                Assert.Equal(posted.MemberId, owner.MemberId);
                Assert.Contains(c.ReceivingOrgId, owner.CollectingOrgIds);
            });
        }
    }

    /// <summary>Conversely, one known reference collected by the receiving organization is always posted to its member.</summary>
    [Property(Arbitrary = [typeof(ResolverArbitraries)], MaxTest = 1000)]
    public void OneKnownReferenceCollectedHere_IsAlwaysPosted(ResolverCase c)
    {
        var found = TransferContent.FindReferences(c.Content);
        if (found.Count == 1 && c.Known.TryGetValue(found[0].Reference, out var owner) && owner.CollectingOrgIds.Contains(c.ReceivingOrgId))
        {
            var posted = Assert.IsType<ReceiptResolution.ToMember>(Resolve(c));
            Assert.Equal(owner.MemberId, posted.MemberId);
        }
    }
}
