using Fees.Persistence.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fees.Persistence.Configurations;

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
