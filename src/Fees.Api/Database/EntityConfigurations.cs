using Fees.Api.Accounts;
using Fees.Api.Audit;
using Fees.Api.Members;
using Fees.Api.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fees.Api.Database;

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
    }
}

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
        });
        b.HasKey(i => new { i.MemberId, i.Period });
        b.HasOne<Member>().WithMany().HasForeignKey(i => i.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class UserAccountConfiguration : IEntityTypeConfiguration<UserAccount>
{
    public void Configure(EntityTypeBuilder<UserAccount> b)
    {
        b.ToTable("users", t => t.HasCheckConstraint("ck_users_scope",
            "(role = 'admin') or (role = 'member' and member_id is not null) or (role in ('treasurer','office','auditor') and org_id is not null)"));
        b.Property(u => u.Username).HasMaxLength(100);
        b.HasIndex(u => u.Username).IsUnique();
        b.Property(u => u.Role).HasConversion(EnumCodes.Role).HasMaxLength(20);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(u => u.OrgId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Member>().WithMany().HasForeignKey(u => u.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.Property(u => u.Version).IsRowVersion();
    }
}

internal sealed class AuthSessionConfiguration : IEntityTypeConfiguration<AuthSession>
{
    public void Configure(EntityTypeBuilder<AuthSession> b)
    {
        b.ToTable("auth_sessions");
        b.HasKey(s => s.TokenHash);
        b.HasIndex(s => s.UserId);
        b.HasOne<UserAccount>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class AuditRecordConfiguration : IEntityTypeConfiguration<AuditRecord>
{
    public void Configure(EntityTypeBuilder<AuditRecord> b)
    {
        b.ToTable("audit_log");
        b.Property(a => a.Actor).HasMaxLength(100);
        b.Property(a => a.ActorRole).HasMaxLength(20);
        b.Property(a => a.Action).HasMaxLength(100);
        b.Property(a => a.TargetType).HasMaxLength(50);
        b.Property(a => a.TargetId).HasMaxLength(100);
        b.Property(a => a.RequestId).HasMaxLength(100);
        b.HasIndex(a => new { a.TargetType, a.TargetId });
        b.HasIndex(a => a.At);
        b.HasIndex(a => a.OrgPath).HasOperators("text_pattern_ops");
    }
}
