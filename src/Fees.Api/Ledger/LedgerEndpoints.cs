using Fees.Persistence.AccessTrace;
using System.Globalization;
using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Ledger;
using Fees.Domain.Time;
using Fees.Persistence.Ledger;
using Fees.Persistence.Queries;
using Fees.Reports.Hledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fees.Api.Ledger;

public sealed record TrialBalanceAccountView(string Code, string Name, long Debit, long Credit, long Balance);
public sealed record TrialBalanceView(string OrgCode, string AsOf, IReadOnlyList<TrialBalanceAccountView> Accounts, long TotalDebit, long TotalCredit);
public sealed record AuditChecksView(IReadOnlyList<AuditCheckResult> Checks);

public static class LedgerEndpoints
{
    public static void MapLedger(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/orgs/{orgCode}/trial-balance", TrialBalance).RequireAuthorization(Policies.Staff).ProducesProblems(400, 404);
        app.MapGet("/api/orgs/{orgCode}/journal", Journal).RequireAuthorization(Policies.JournalReaders).ProducesProblems(400, 404)
            .WithMetadata(new ProducesResponseTypeMetadata(200, typeof(string), ["text/plain"]))
            .TracesAccess(AccessActions.JournalExport, targetRouteValue: "orgCode", AccessTargetKind.Org);
        app.MapGet("/api/audit/checks", Checks).RequireAuthorization(Policies.Auditors).ProducesProblems(404);
    }

    /// <summary>The organization's own books as of a booking date (default: today in Vietnam), from the postings.</summary>
    private static async Task<Results<Ok<TrialBalanceView>, ProblemHttpResult>> TrialBalance(string orgCode, string? asOf, Actor actor, ScopedLookup lookup,
        LedgerStore store, TimeProvider clock, CancellationToken ct)
    {
        DateOnly date = VietnamTime.Today(clock);
        if (asOf is not null && !DateOnly.TryParseExact(asOf, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date))
        {
            return Problems.Field("asOf", "Ngày phải có dạng yyyy-MM-dd.");
        }
        var found = await lookup.Org(orgCode, actor, ct);
        if (!found.TryGet(out var org, out var refusal))
        {
            return Problems.From(refusal);
        }
        var tb = await store.TrialBalance(org.Id, date, ct);
        var accounts = tb.Accounts.Select(a => new TrialBalanceAccountView(a.Code, a.Name, a.Debit.Dong, a.Credit.Dong, a.Balance.Dong)).ToList();
        // The chart every organization has from the day it is imported (no rows are stored for it): shown at zero
        // until something is posted. Per-period, per-member and per-child accounts appear with their first posting.
        AccountKey[] opened = org.ParentId is not null
            ? [AccountKey.Bank(org.Id), AccountKey.Suspense(org.Id), AccountKey.PayableToParent(org.Id)]
            : [AccountKey.Bank(org.Id), AccountKey.Suspense(org.Id)];
        accounts.AddRange(opened.Where(k => accounts.TrueForAll(a => a.Code != k.Code)).Select(k => new TrialBalanceAccountView(k.Code, k.DisplayName, 0, 0, 0)));
        accounts.Sort((a, b) => string.CompareOrdinal(a.Code, b.Code));
        return TypedResults.Ok(new TrialBalanceView(org.Code, date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            accounts, tb.TotalDebit.Dong, tb.TotalCredit.Dong));
    }

    /// <summary>The organization's journal as hledger reads it (members by number, children by code); its balances equal the trial balance.</summary>
    private static async Task<Results<ContentHttpResult, ProblemHttpResult>> Journal(string orgCode, string? format, Actor actor, ScopedLookup lookup,
        LedgerStore store, CancellationToken ct)
    {
        if (format is not (null or "hledger"))
        {
            return Problems.Field("format", "Chỉ hỗ trợ format=hledger.");
        }
        var found = await lookup.Org(orgCode, actor, ct);
        if (!found.TryGet(out var org, out var refusal))
        {
            return Problems.From(refusal);
        }
        var entries = await store.EntriesOf(org.Id, ct);
        var names = await store.HledgerNames(org.Id, ct);
        return TypedResults.Text(HledgerJournalWriter.Write(entries, org.Id, names), "text/plain; charset=utf-8");
    }

    /// <summary>The ledger invariants on the live books of a subtree: <c>org</c> if given (in scope), else the caller's scope.</summary>
    private static async Task<Results<Ok<AuditChecksView>, ProblemHttpResult>> Checks(string? org, Actor actor, ScopedLookup lookup, AuditCheckRunner runner,
        CancellationToken ct)
    {
        string prefix = actor.ScopePrefix;
        if (org is not null)
        {
            var found = await lookup.Org(org, actor, ct);
            if (!found.TryGet(out var o, out var refusal))
            {
                return Problems.From(refusal);
            }
            prefix = o.Path;
        }
        return TypedResults.Ok(new AuditChecksView(await runner.RunAll(prefix, ct)));
    }
}
