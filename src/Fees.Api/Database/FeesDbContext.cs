using Fees.Api.Accounts;
using Fees.Api.Audit;
using Fees.Api.Dues;
using Fees.Api.Members;
using Fees.Api.Organizations;
using Fees.Api.Payments;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Database;

/// <summary>The service's one DbContext. Mapping lives beside each capability in its IEntityTypeConfiguration.</summary>
public sealed class FeesDbContext(DbContextOptions<FeesDbContext> options) : DbContext(options)
{
    public DbSet<OrgUnit> Orgs => Set<OrgUnit>();
    public DbSet<Member> Members => Set<Member>();
    public DbSet<MemberPlacement> Placements => Set<MemberPlacement>();
    public DbSet<IncomeRecord> Income => Set<IncomeRecord>();
    public DbSet<UserAccount> Users => Set<UserAccount>();
    public DbSet<AuthSession> Sessions => Set<AuthSession>();
    public DbSet<AuditRecord> AuditLog => Set<AuditRecord>();
    public DbSet<DuesStatement> Statements => Set<DuesStatement>();
    public DbSet<FeeDecisionRecord> FeeDecisions => Set<FeeDecisionRecord>();
    public DbSet<VoluntaryAmount> VoluntaryAmounts => Set<VoluntaryAmount>();
    public DbSet<PaymentRequest> PaymentRequests => Set<PaymentRequest>();

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(FeesDbContext).Assembly);
}
