using Fees.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fees.Persistence.Configurations;

internal sealed class OrgUnitConfiguration : IEntityTypeConfiguration<OrgUnit>
{
    public void Configure(EntityTypeBuilder<OrgUnit> b)
    {
        b.ToTable("orgs", t =>
        {
            t.HasCheckConstraint("ck_orgs_wage_region", "wage_region between 1 and 4");
            t.HasCheckConstraint("ck_orgs_bank_all_or_none",
                "(bank_bin is null and bank_account is null and bank_account_name is null) or (bank_bin is not null and bank_account is not null and bank_account_name is not null)");
        });
        b.Property(o => o.Code).HasMaxLength(30);
        b.HasIndex(o => o.Code).IsUnique();
        b.Property(o => o.Kind).HasConversion(EnumCodes.OrgKind).HasMaxLength(20);
        b.Property(o => o.Setting).HasConversion(EnumCodes.OrgSetting).HasMaxLength(20);
        b.Property(o => o.WageRegion).HasConversion<short>();
        b.Property(o => o.BankBin).HasMaxLength(6).IsFixedLength();
        b.Property(o => o.BankAccount).HasMaxLength(19);
        b.Property(o => o.BankAccountName).HasMaxLength(100);
        // text_pattern_ops so that "path LIKE '/TW/HN/%'" (a subtree) is an index range scan.
        b.HasIndex(o => o.Path).HasOperators("text_pattern_ops");
        b.HasIndex(o => o.ParentId);
        b.HasIndex(o => o.ProvinceCode);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(o => o.ParentId).OnDelete(DeleteBehavior.Restrict);
        b.Property(o => o.Version).IsRowVersion();
        b.Ignore(o => o.HasBankAccount);
        b.Ignore(o => o.AncestorCodes);
    }
}
