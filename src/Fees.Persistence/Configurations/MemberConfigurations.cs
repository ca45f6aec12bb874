using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fees.Persistence.Configurations;

internal sealed class MemberConfiguration : IEntityTypeConfiguration<Member>
{
    public void Configure(EntityTypeBuilder<Member> b)
    {
        b.ToTable("members");
        b.Property(m => m.MemberNo).HasMaxLength(20);
        b.HasIndex(m => m.MemberNo).IsUnique();
        b.Property(m => m.FullName).HasMaxLength(200);
        b.Property(m => m.Status).HasConversion(EnumCodes.Status).HasMaxLength(20);
        b.Property(m => m.Category).HasConversion(EnumCodes.Category).HasMaxLength(20);
        b.Property(m => m.Sex).HasConversion(EnumCodes.Sex).HasMaxLength(1);
        b.Property(m => m.Version).IsRowVersion();
    }
}

internal sealed class MemberPlacementConfiguration : IEntityTypeConfiguration<MemberPlacement>
{
    public void Configure(EntityTypeBuilder<MemberPlacement> b)
    {
        b.ToTable("member_placements", t => t.HasCheckConstraint("ck_member_placements_interval", "valid_to is null or valid_to > valid_from"));
        b.Property(p => p.Kind).HasConversion(EnumCodes.Placement).HasMaxLength(20);
        b.Property(p => p.RecordedBy).HasMaxLength(100);
        b.Property(p => p.Reference).HasMaxLength(200);
        b.HasIndex(p => new { p.MemberId, p.ValidFrom });
        b.HasIndex(p => p.OrgId);
        b.HasOne<Member>().WithMany().HasForeignKey(p => p.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(p => p.OrgId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(p => p.IsOpenOfficial);
    }
}

internal sealed class IncomeRecordConfiguration : IEntityTypeConfiguration<IncomeRecord>
{
    public void Configure(EntityTypeBuilder<IncomeRecord> b)
    {
        b.ToTable("income_records", t =>
        {
            t.HasCheckConstraint("ck_income_first_of_month", "extract(day from period) = 1");
            t.HasCheckConstraint("ck_income_non_negative", "coalesce(si_salary, 0) >= 0 and coalesce(si_benefit, 0) >= 0 and coalesce(pension, 0) >= 0");
            t.HasCheckConstraint("ck_income_records_source", "source = 'import' or source ~ '^declared:[1-9][0-9]{0,18}$'");
        });
        b.HasKey(i => new { i.MemberId, i.Period });
        // Added by the hand-written migration 20261202020000_IncomeDeclarations (existing rows are imports).
        b.Property(i => i.Source).HasDefaultValue(IncomeRecord.ImportSource);
        b.HasOne<Member>().WithMany().HasForeignKey(i => i.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
