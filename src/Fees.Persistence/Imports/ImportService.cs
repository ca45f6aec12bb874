using Fees.Domain.Accounts;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Fees.Persistence.Dues;

namespace Fees.Persistence.Imports;

public enum ImportKind
{
    Orgs,
    Members,
    Income,
}

/// <summary>Runs one import file all-or-nothing: a rejected file leaves the database exactly as it was.</summary>
public sealed class ImportService(FeesDbContext db, AuditWriter audit, StatementTransfers transfers, TimeProvider clock)
{
    public async Task<ImportOutcome> Import(ImportKind kind, Stream csv, Actor actor, CancellationToken ct)
    {
        var (file, sha256) = await ImportContext.Buffer(csv, ct);
        await using (file)
        {
            if (await Utf8Check.FirstInvalidLine(file, ct) is { } line)
            {
                return ImportOutcome.Failed([new RowError(line, "file", null,
                    "Tệp không ở mã UTF-8 (ví dụ tệp xuất từ Excel bằng bảng mã Windows): hãy lưu lại dưới dạng \"CSV UTF-8\" rồi nhập lại.")]);
            }
            var now = clock.GetUtcNow();
            await using var ctx = await ImportContext.Begin(db, audit, actor, now, VietnamTime.DateOf(now), ct);
            var outcome = kind switch
            {
                ImportKind.Orgs => await OrgImport.Run(ctx, file, sha256, ct),
                ImportKind.Members => await MemberImport.Run(ctx, transfers, file, sha256, ct),
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
