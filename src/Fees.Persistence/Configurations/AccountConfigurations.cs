using Fees.Domain.Accounts;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fees.Persistence.Configurations;

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
