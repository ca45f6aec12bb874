using Fees.Domain.Accounts;
using Fees.Domain.Dues;
using Fees.Domain.Members;
using Fees.Domain.Organizations;
using Fees.Domain.Payments;
using Fees.Persistence.Auditing;
using Microsoft.EntityFrameworkCore;

namespace Fees.Persistence;

/// <summary>
/// The service's one DbContext over the domain's stored types. Mapping lives in <c>Configurations/</c>, one
/// <see cref="IEntityTypeConfiguration{TEntity}"/> per type; set-based SQL and COPY for the bulk paths live beside it
/// in this project, never in the API.
/// </summary>
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

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        // Money is whole đồng in a bigint; a period is its first day in a date column.
        configurationBuilder.Properties<Fees.Domain.Amounts.Money>().HaveConversion<Configurations.MoneyConverter>();
        configurationBuilder.Properties<Fees.Domain.Time.Period>().HaveConversion<Configurations.PeriodConverter>();
    }
}
