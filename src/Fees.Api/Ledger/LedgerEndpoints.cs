using System.Globalization;
using Fees.Api.Accounts;
using Fees.Api.Database;
using Fees.Api.Hosting;
using Fees.Domain.Ledger;
using Fees.Domain.Time;
using Fees.Reports.Hledger;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Ledger;

public sealed record TrialBalanceAccountView(string Code, string Name, long Debit, long Credit, long Balance);
public sealed record TrialBalanceView(string OrgCode, string AsOf, IReadOnlyList<TrialBalanceAccountView> Accounts, long TotalDebit, long TotalCredit);
public sealed record AuditChecksView(IReadOnlyList<AuditCheckResult> Checks);

public static class LedgerRegistration
{
    /// <summary>The ledger store (a singleton with its own pool) and the audit checks, in the order they are reported.</summary>
    public static IServiceCollection AddLedger(this IServiceCollection services)
    {
        services.AddSingleton<LedgerStore>();
        services.AddSingleton<IAuditCheck, EntriesBalanceCheck>();
        services.AddSingleton<IAuditCheck, SourcesUniqueCheck>();
        services.AddSingleton<IAuditCheck, BalancesMatchPostingsCheck>();
        services.AddSingleton<IAuditCheck, ReversalsNetToZeroCheck>();
        services.AddSingleton<IAuditCheck, ClosesSplitExactlyCheck>();
        services.AddSingleton<IAuditCheck, MoneyConservedCheck>();
        services.AddSingleton<IAuditCheck, PostingsFollowTheChartCheck>();
        services.AddSingleton<IAuditCheck, Dues.StatementsCheck>();
        services.AddSingleton<AuditCheckRunner>();
        return services;
    }
}

/// <summary>Runs every registered <see cref="IAuditCheck"/> on one consistent snapshot of the live database.</summary>
public sealed class AuditCheckRunner(LedgerStore store, IEnumerable<IAuditCheck> checks)
{
    /// <param name="pathPrefix">The subtree in scope, as an org path prefix; '' for every organization.</param>
    public async Task<IReadOnlyList<AuditCheckResult>> RunAll(string pathPrefix, CancellationToken ct = default)
    {
        await using var conn = await store.DataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        await using (var readOnly = new Npgsql.NpgsqlCommand("set transaction read only", conn, tx))
        {
            await readOnly.ExecuteNonQueryAsync(ct);
        }
        var run = new AuditRun(conn, tx, pathPrefix);
        var results = new List<AuditCheckResult>();
        foreach (var check in checks)
        {
            results.Add(await check.Run(run, ct));
        }
        await tx.CommitAsync(ct);
        return results;
    }
}

public static class LedgerEndpoints
{
    public static void MapLedger(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orgs/{orgCode}/trial-balance", TrialBalance).RequireAuthorization(Policies.Staff);
        app.MapGet("/api/orgs/{orgCode}/journal", Journal)
            .RequireAuthorization(p => p.RequireRole(RoleCodes.Auditor, RoleCodes.Office, RoleCodes.Admin));
        app.MapGet("/api/audit/checks", Checks).RequireAuthorization(Policies.Auditors);
    }

    /// <summary>The organization's own books as of a booking date (default: today in Vietnam), from the postings.</summary>
    private static async Task<IResult> TrialBalance(string orgCode, string? asOf, HttpContext http, FeesDbContext db, LedgerStore store,
        TimeProvider clock, CancellationToken ct)
    {
        DateOnly date = VietnamTime.Today(clock);
        if (asOf is not null && !DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return Problems.Field("asOf", "Ngày phải có dạng yyyy-MM-dd.");
        }
        var (org, refusal) = await OrgInScope(orgCode, http, db, ct);
        if (org is null)
        {
            return refusal!;
        }
        var tb = await store.TrialBalance(org.Id, date, ct);
        var accounts = tb.Accounts.Select(a => new TrialBalanceAccountView(a.Code, a.Name, a.Debit.Dong, a.Credit.Dong, a.Balance.Dong)).ToList();
        // The chart every organization has from the day it is imported (no rows are stored for it): shown at zero
        // until something is posted. Per-period, per-member and per-child accounts appear with their first posting.
        bool hasParent = await db.Orgs.AnyAsync(o => o.Id == org.Id && o.ParentId != null, ct);
        AccountKey[] opened = hasParent
            ? [AccountKey.Bank(org.Id), AccountKey.Suspense(org.Id), AccountKey.PayableToParent(org.Id)]
            : [AccountKey.Bank(org.Id), AccountKey.Suspense(org.Id)];
        accounts.AddRange(opened.Where(k => accounts.TrueForAll(a => a.Code != k.Code)).Select(k => new TrialBalanceAccountView(k.Code, k.DisplayName, 0, 0, 0)));
        accounts.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return Results.Ok(new TrialBalanceView(orgCode, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            accounts, tb.TotalDebit.Dong, tb.TotalCredit.Dong));
    }

    /// <summary>The organization's journal as hledger reads it (members by number, children by code); its balances equal the trial balance.</summary>
    private static async Task<IResult> Journal(string orgCode, string? format, HttpContext http, FeesDbContext db, LedgerStore store, CancellationToken ct)
    {
        if (format is not (null or "hledger"))
        {
            return Problems.Field("format", "Chỉ hỗ trợ format=hledger.");
        }
        var (org, refusal) = await OrgInScope(orgCode, http, db, ct);
        if (org is null)
        {
            return refusal!;
        }
        var entries = await store.EntriesOf(org.Id, ct);
        var names = await store.HledgerNames(org.Id, ct);
        return Results.Text(HledgerJournalWriter.Write(entries, org.Id, names), "text/plain; charset=utf-8");
    }

    /// <summary>The ledger invariants on the live books of a subtree: <c>org</c> if given (in scope), else the caller's scope.</summary>
    private static async Task<IResult> Checks(string? org, HttpContext http, FeesDbContext db, AuditCheckRunner runner, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        string prefix;
        if (org is not null)
        {
            var (found, refusal) = await OrgInScope(org, http, db, ct);
            if (found is null)
            {
                return refusal!;
            }
            prefix = found.Path;
        }
        else
        {
            prefix = user.IsAdmin ? "" : user.ScopePath ?? "/nothing-in-scope/";
        }
        return Results.Ok(new AuditChecksView(await runner.RunAll(prefix, ct)));
    }

    private sealed record OrgRef(long Id, string Path);

    private static async Task<(OrgRef? Org, IResult? Refusal)> OrgInScope(string code, HttpContext http, FeesDbContext db, CancellationToken ct)
    {
        var user = CurrentUser.From(http.User)!;
        var org = await db.Orgs.AsNoTracking().Where(o => o.Code == code).Select(o => new OrgRef(o.Id, o.Path)).FirstOrDefaultAsync(ct);
        if (org is null)
        {
            return (null, Problems.NotFound("tổ chức đảng"));
        }
        return user.CanSeeOrgPath(org.Path) ? (org, null) : (null, Problems.Forbidden());
    }
}
