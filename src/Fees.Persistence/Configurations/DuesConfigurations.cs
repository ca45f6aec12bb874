using Fees.Domain.Dues;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fees.Persistence.Configurations;

internal sealed class DuesStatementConfiguration : IEntityTypeConfiguration<DuesStatement>
{
    public void Configure(EntityTypeBuilder<DuesStatement> b)
    {
        b.ToTable("dues_statements", t =>
        {
            t.HasCheckConstraint("ck_dues_amounts", "amount >= 0 and paid >= 0 and paid <= amount");
            t.HasCheckConstraint("ck_dues_period_first_day", "extract(day from period) = 1");
            t.HasCheckConstraint("ck_dues_on_system", "period >= date '2026-08-01'");
        });
        // In the database the key also leaves out cancelled statements (migration 20261202010000_StatementCancellations,
        // plain SQL): the filter here stays as the model snapshot has it, and SQL naming the key spells the database's.
        b.HasIndex(s => new { s.MemberId, s.Period }).IsUnique().HasFilter("status <> 'transferred'");
        b.HasIndex(s => s.TransferredFromId).IsUnique();
        b.HasOne<DuesStatement>().WithMany().HasForeignKey(s => s.TransferredFromId).OnDelete(DeleteBehavior.Restrict);
        b.HasIndex(s => new { s.OrgId, s.Period });
        b.HasIndex(s => new { s.Period, s.Status });
        b.Property(s => s.Status).HasConversion(EnumCodes.StatementStatus).HasMaxLength(20);
        b.Property(s => s.RuleId).HasMaxLength(10);
        b.Property(s => s.Inputs).HasColumnType("jsonb");
        b.HasOne<Member>().WithMany().HasForeignKey(s => s.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(s => s.OrgId).OnDelete(DeleteBehavior.Restrict);
        b.Property(s => s.Version).IsRowVersion();
        b.Ignore(s => s.Outstanding);
    }
}

internal sealed class FeeDecisionConfiguration : IEntityTypeConfiguration<FeeDecisionRecord>
{
    public void Configure(EntityTypeBuilder<FeeDecisionRecord> b)
    {
        b.ToTable("fee_decisions", t =>
        {
            t.HasCheckConstraint("ck_fee_decisions_percent", "reduction_percent in (30, 50, 70, 100)");
            t.HasCheckConstraint("ck_fee_decisions_at_most_12_months", "valid_to >= valid_from and valid_to < (valid_from + interval '12 months')");
        });
        b.HasIndex(d => new { d.MemberId, d.ValidFrom });
        // The enum's name, as the decision documents name the reason (PoorHousehold …).
        b.Property(d => d.Reason).HasConversion<string>().HasMaxLength(30);
        b.Property(d => d.DecidedBy).HasMaxLength(200);
        b.Property(d => d.DocumentRef).HasMaxLength(200);
        b.Property(d => d.RecordedBy).HasMaxLength(100);
        b.HasOne<Member>().WithMany().HasForeignKey(d => d.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class VoluntaryAmountConfiguration : IEntityTypeConfiguration<VoluntaryAmount>
{
    public void Configure(EntityTypeBuilder<VoluntaryAmount> b)
    {
        b.ToTable("voluntary_amounts", t => t.HasCheckConstraint("ck_voluntary_positive", "amount > 0"));
        b.HasIndex(v => new { v.MemberId, v.ValidFrom });
        b.Property(v => v.ApprovedBy).HasMaxLength(200);
        b.Property(v => v.DocumentRef).HasMaxLength(200);
        b.Property(v => v.RecordedBy).HasMaxLength(100);
        b.HasOne<Member>().WithMany().HasForeignKey(v => v.MemberId).OnDelete(DeleteBehavior.Restrict);
    }
}
