using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Fees.Persistence.Configurations;

internal sealed class PaymentRequestConfiguration : IEntityTypeConfiguration<PaymentRequest>
{
    public void Configure(EntityTypeBuilder<PaymentRequest> b)
    {
        b.ToTable("payment_requests", t =>
        {
            t.HasCheckConstraint("ck_payment_requests_amount", "amount > 0 and amount < 500000000");
            t.HasCheckConstraint("ck_payment_requests_periods", "cardinality(periods) > 0");
            t.HasCheckConstraint("ck_payment_requests_purpose", "char_length(purpose) <= 25 and starts_with(purpose, reference)");
            t.HasCheckConstraint("ck_payment_requests_status", "status in ('open', 'paid', 'superseded', 'expired')");
        });
        // An identity column; the service draws the next id from its sequence before inserting (the reference derives from it).
        b.Property(r => r.Reference).HasMaxLength(10).IsFixedLength();
        b.HasIndex(r => r.Reference).IsUnique();
        // At most one open request per member: two concurrent first requests cannot both insert; the loser retries and reuses.
        b.HasIndex(r => r.MemberId).IsUnique().HasFilter("status = 'open'").HasDatabaseName("ux_payment_requests_one_open_per_member");
        b.HasIndex(r => new { r.MemberId, r.CreatedAt });
        b.HasIndex(r => new { r.OrgId, r.Status });
        b.Property(r => r.Periods).HasColumnType("date[]").HasConversion(EnumCodes.Periods, EnumCodes.PeriodsComparer);
        b.Property(r => r.Purpose).HasMaxLength(25);
        b.Property(r => r.BankBin).HasMaxLength(6).IsFixedLength();
        b.Property(r => r.AccountNumber).HasMaxLength(19);
        b.Property(r => r.AccountName).HasMaxLength(100);
        b.Property(r => r.Payload).HasMaxLength(512);
        b.Property(r => r.CreatedBy).HasMaxLength(100);
        b.Property(r => r.Status).HasConversion(EnumCodes.RequestStatus).HasMaxLength(20);
        b.HasOne<Member>().WithMany().HasForeignKey(r => r.MemberId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<OrgUnit>().WithMany().HasForeignKey(r => r.OrgId).OnDelete(DeleteBehavior.Restrict);
        b.Property(r => r.Version).IsRowVersion();
    }
}
