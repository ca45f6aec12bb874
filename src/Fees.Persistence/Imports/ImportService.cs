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
    public Task<ImportOutcome> Import(ImportKind kind, Stream csv, Actor actor, CancellationToken ct) =>
        Import(kind, csv, actor, NoImportProgress.Instance, ct);

    /// <summary>
    /// The import, reporting to <paramref name="progress"/> each phase as it begins and, while the rows are read, the
    /// bytes of the buffered file the reader has consumed (measured by a <see cref="ProgressStream"/> around it). The
    /// final phase (done, rejected, failed) is the caller's to record: it has the outcome.
    /// </summary>
    public async Task<ImportOutcome> Import(ImportKind kind, Stream csv, Actor actor, IImportProgress progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(progress);
        progress.Phase(ImportPhase.Receiving);
        var (file, sha256) = await ImportContext.Buffer(csv, ct);
        await using (file)
        {
            if (await Utf8Check.FirstInvalidLine(file, ct) is { } line)
            {
                return ImportOutcome.Failed([new RowError(line, "file", null,
                    "Tệp không ở mã UTF-8 (ví dụ tệp xuất từ Excel bằng bảng mã Windows): hãy lưu lại dưới dạng \"CSV UTF-8\" rồi nhập lại.")]);
            }
            progress.Phase(ImportPhase.Waiting);
            var now = clock.GetUtcNow();
            await using var ctx = await ImportContext.Begin(db, audit, actor, now, VietnamTime.DateOf(now), ct);
            ctx.Progress = progress;
            progress.Phase(ImportPhase.Reading);
            await using var input = new ProgressStream(file, progress);
            progress.Read(0, file.Length, 0);
            var outcome = kind switch
            {
                ImportKind.Orgs => await OrgImport.Run(ctx, input, sha256, ct),
                ImportKind.Members => await MemberImport.Run(ctx, transfers, input, sha256, ct),
                ImportKind.Income => await IncomeImport.Run(ctx, input, sha256, ct),
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
