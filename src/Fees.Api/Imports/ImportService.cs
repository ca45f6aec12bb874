using Fees.Api.Accounts;
using Fees.Api.Database;
using Fees.Domain.Time;

namespace Fees.Api.Imports;

public enum ImportKind
{
    Orgs,
    Members,
    Income,
}

/// <summary>Runs one import file all-or-nothing: a rejected file leaves the database exactly as it was.</summary>
public sealed class ImportService(FeesDbContext db, TimeProvider clock, IHttpContextAccessor http)
{
    public async Task<ImportOutcome> Import(ImportKind kind, Stream csv, CurrentUser actor, CancellationToken ct)
    {
        var (file, sha256) = await ImportContext.Buffer(csv, ct);
        await using (file)
        {
            var now = clock.GetUtcNow();
            await using var ctx = await ImportContext.Begin(db, actor, http.HttpContext?.TraceIdentifier, now, VietnamTime.DateOf(now), ct);
            var outcome = kind switch
            {
                ImportKind.Orgs => await OrgImport.Run(ctx, file, sha256, ct),
                ImportKind.Members => await MemberImport.Run(ctx, file, sha256, ct),
                ImportKind.Income => await IncomeImport.Run(ctx, file, sha256, ct),
                _ => throw new ArgumentOutOfRangeException(nameof(kind)),
            };
            if (outcome.Succeeded)
            {
                await ctx.Commit(ct);
            }
            return outcome; // disposing an uncommitted transaction rolls it back: nothing half-imported
        }
    }
}
