using Fees.Persistence.AccessTrace;
using Fees.Persistence.Accounts;
using Fees.Persistence.Auditing;
using Fees.Persistence.Database;
using Fees.Persistence.Dues;
using Fees.Persistence.Imports;
using Fees.Persistence.Ledger;
using Fees.Persistence.Payments;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;

namespace Fees.Persistence;

public static class DependencyInjection
{
    /// <summary>
    /// The database for the service: one <see cref="NpgsqlDataSource"/> on the service's role, the DbContext on it, the
    /// audit writer, the stores and the ledger's audit checks (in the order they are reported).
    /// </summary>
    public static IServiceCollection AddFeesPersistence(this IServiceCollection services, DatabaseConnections database)
    {
        ArgumentNullException.ThrowIfNull(database);
        services.AddSingleton(database);
        services.AddSingleton(_ => FeesDataSource.Create(database.App));
        services.AddDbContext<FeesDbContext>((sp, o) => o
            .UseNpgsql(sp.GetRequiredService<NpgsqlDataSource>())
            .UseSnakeCaseNamingConvention());
        services.TryAddSingleton<IRequestContext>(NoRequest.Instance);
        services.AddScoped<AuditWriter>();
        services.AddSingleton<PasswordHashing>(); // one dummy hash, made once with the configured cost
        services.AddSingleton<AccessTraceWriter>();
        services.AddSingleton<IAccessTrace>(sp => sp.GetRequiredService<AccessTraceWriter>());
        services.TryAddSingleton<IAccessRecorder, UnattendedAccessRecorder>();
        services.AddHostedService<AccessTraceFlusher>();
        services.AddSingleton<AccessTraceQuery>();
        services.AddScoped<SignIns>();
        services.AddScoped<Users>();
        services.AddScoped<ImportService>();
        services.AddSingleton<ImportRuns>();
        services.AddScoped<StatementTransfers>();
        services.AddScoped<DuesGeneration>();
        services.AddScoped<PaymentRequestStore>();
        services.AddSingleton<StaticQrSheets>();
        services.AddScoped<DuesDecisions>();
        services.AddScoped<DailyTransfers>();
        services.AddSingleton<Database.PartitionMonths>();
        services.AddScoped<Bank.ReceiptBooking>();
        services.AddScoped<Bank.BankInbox>();
        services.AddScoped<Bank.BankPollCursors>();
        services.AddSingleton<Bank.ReceiptQueries>();
        services.AddScoped<Bank.TreasurerActions>();
        services.AddSingleton<Bank.Reconciliation>();
        services.AddScoped<Queries.ScopedLookup>();
        services.AddScoped<Members.MemberMoves>();
        services.AddScoped<Members.IncomeDeclarations>();
        services.AddScoped<Members.MemberTransfers>();
        services.AddScoped<StatementCancellations>();
        services.AddScoped<AuditedActions>();
        services.AddScoped<AuditLogReader>();
        // Electronic receipts; the signing key (Fees.Domain.Receipts.ReceiptSigningKey) is registered by the host.
        services.AddScoped<Receipts.PaymentReceipts>();
        services.AddSingleton<Receipts.ReceiptKeys>();
        services.AddScoped<Closing.PeriodCloses>();
        services.AddScoped<Closing.RemittanceOrders>();
        services.AddScoped<Closing.RetentionRules>();
        services.AddSingleton<Closing.CloseQueries>();
        services.AddSingleton<Reports.ReportQueries>();

        services.AddSingleton<LedgerStore>();
        services.AddSingleton<IAuditCheck, EntriesBalanceCheck>();
        services.AddSingleton<IAuditCheck, SourcesUniqueCheck>();
        services.AddSingleton<IAuditCheck, BalancesMatchPostingsCheck>();
        services.AddSingleton<IAuditCheck, ReversalsNetToZeroCheck>();
        services.AddSingleton<IAuditCheck, ClosesSplitExactlyCheck>();
        services.AddSingleton<IAuditCheck, MoneyConservedCheck>();
        services.AddSingleton<IAuditCheck, PostingsFollowTheChartCheck>();
        services.AddSingleton<IAuditCheck, StatementsCheck>();
        services.AddSingleton<IAuditCheck, PaidTotalsCheck>();
        services.AddSingleton<IAuditCheck, Bank.ReceiptsCheck>();
        services.AddSingleton<IAuditCheck, Receipts.PaymentReceiptsCheck>();
        services.AddSingleton<IAuditCheck, Closing.ClosesRecordedCheck>();
        services.AddSingleton<IAuditCheck, Database.DistributedReferencesCheck>();
        services.AddSingleton<IAuditCheck, Database.ProvinceKeysCheck>();
        services.AddSingleton<AuditCheckRunner>();
        return services;
    }
}
