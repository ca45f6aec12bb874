using Fees.Api.Accounts;
using Fees.Api.Audit;
using Fees.Api.Bank;
using Fees.Api.Closing;
using Fees.Api.Dues;
using Fees.Api.Hosting;
using Fees.Api.Hosting.Demo;
using Fees.Api.Hosting.Embedded;
using Fees.Api.Imports;
using Fees.Api.Income;
using Fees.Api.Ledger;
using Fees.Api.Members;
using Fees.Api.Organizations;
using Fees.Api.RuleChecks;
using Fees.Api.Payments;
using Fees.Api.Receipts;
using Fees.Api.Reports;
using Scalar.AspNetCore;
using Serilog;

Log.Logger = new LoggerConfiguration().WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture).CreateBootstrapLogger();
try
{
    if (Backups.IsCommand(args))
    {
        return await Backups.RunAsync(args, Console.Out); // backup <file> | restore <file>: no web host
    }
    var builder = WebApplication.CreateBuilder(args);
    var database = await builder.UseFeesDatabase();
    builder.AddFeesLogging();
    builder.AddFeesApi(database);

    var app = builder.Build();

    app.UseFeesPipeline();
    app.MapFeesHealth();
    app.MapOpenApi().AllowAnonymous();
    app.MapScalarApiReference("/api-docs", o => o.WithTitle("PartyTTHC Fees API")).AllowAnonymous();
    app.MapAccounts();
    app.MapImports();
    app.MapOrganizations();
    app.MapMembers();
    app.MapDues();
    app.MapPayments();
    app.MapAudit();
    app.MapRuleChecks();
    app.MapLedger();
    app.MapBankFeeds();
    app.MapReceipts();
    app.MapClosing();
    app.MapReports();
    app.MapPaymentReceipts();
    app.MapIncomeDeclarations();
    app.MapDemoBank();
    app.MapRazorPages();

    await app.RunAsync();
    return 0;
}
catch (PostgresNotInstalledException e)
{
    Log.Fatal("{Message}", e.Message);
    return 2;
}
catch (Exception e) when (e is not HostAbortedException)
{
    Log.Fatal(e, "The service stopped on an error");
    return 1;
}
finally
{
    await Log.CloseAndFlushAsync();
}

/// <summary>Entry point, visible to the integration tests' WebApplicationFactory.</summary>
public partial class Program;
