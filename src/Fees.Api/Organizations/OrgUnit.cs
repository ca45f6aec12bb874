using Fees.Domain.Organizations;

namespace Fees.Api.Organizations;

/// <summary>A party organization as stored: one row per organization, its place in the tree kept as a path.</summary>
public sealed class OrgUnit
{
    public long Id { get; set; }
    /// <summary>Globally unique code, up to 30 characters of <c>A–Z 0–9 . _ -</c>.</summary>
    public required string Code { get; set; }
    public required string Name { get; set; }
    public OrgKind Kind { get; set; }
    public long? ParentId { get; set; }
    /// <summary>
    /// Materialised path of codes from the top, <c>/TW/HN/HN.X001/</c>: "is X inside Y's subtree" is a prefix test
    /// served by an index, which is how every role's scope is enforced.
    /// </summary>
    public required string Path { get; set; }
    /// <summary>Code of the province-level ancestor (the natural shard key); the organization's own code at and above that level.</summary>
    public required string ProvinceCode { get; set; }
    public OrgSetting Setting { get; set; }
    public WageRegion WageRegion { get; set; }
    public string? BankBin { get; set; }
    public string? BankAccount { get; set; }
    public string? BankAccountName { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public uint Version { get; set; }

    public bool HasBankAccount => BankBin is not null && BankAccount is not null;
}
