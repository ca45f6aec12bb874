namespace Fees.Domain.Organizations;

/// <summary>
/// A party organization as stored: one row per organization, its place in the tree kept as a materialised path.
/// Organizations are created and updated by the set-based import (office staff's CSV files), so this type only reads.
/// </summary>
public sealed class OrgUnit
{
    private OrgUnit()
    {
    }

    public long Id { get; private set; }
    /// <summary>Globally unique code, up to 30 characters of <c>A–Z 0–9 . _ -</c>.</summary>
    public string Code { get; private set; } = "";
    public string Name { get; private set; } = "";
    public OrgKind Kind { get; private set; }
    public long? ParentId { get; private set; }
    /// <summary>
    /// Materialised path of codes from the top, <c>/TW/HN/HN.X001/</c>: "is X inside Y's subtree" is a prefix test
    /// served by an index, which is how every role's scope is enforced.
    /// </summary>
    public string Path { get; private set; } = "";
    /// <summary>Code of the province-level ancestor (the natural shard key); the organization's own code at and above that level.</summary>
    public string ProvinceCode { get; private set; } = "";
    public OrgSetting Setting { get; private set; }
    public WageRegion WageRegion { get; private set; }
    /// <summary>6-digit NAPAS BIN of the organization's bank, or null when it has no account yet (then it cannot collect).</summary>
    public string? BankBin { get; private set; }
    public string? BankAccount { get; private set; }
    /// <summary>The account holder's name as the bank prints it (upper case, no diacritics).</summary>
    public string? BankAccountName { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public uint Version { get; private set; }

    public bool HasBankAccount => BankBin is not null && BankAccount is not null;

    /// <summary>Codes of the ancestors, from the top down, this organization excluded.</summary>
    public IReadOnlyList<string> AncestorCodes => Path.Split('/', StringSplitOptions.RemoveEmptyEntries).SkipLast(1).ToList();
}
