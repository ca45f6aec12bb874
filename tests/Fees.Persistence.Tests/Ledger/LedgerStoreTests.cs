using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Testing;
using Fees.Domain.Ledger;
using Npgsql;

namespace Fees.Persistence.Tests.Ledger;

/// <summary>Posting is idempotent by source, corrections are reversals, and the ledger's rows are append-only.</summary>
public sealed class LedgerStoreTests(FeesApp app) : IClassFixture<FeesApp>
{
    [Fact]
    public async Task Post_ReturnsTheOriginalEntry_WhenTheSameSourceIsPostedAgain()
    {
        var cell = await app.Org(app.Demo.CellCode);
        var store = app.Store();
        var first = await store.Post(LedgerTestData.Receipt(cell.Id, "FT-dup-1", 100_000, 54_756));
        var again = await store.Post(LedgerTestData.Receipt(cell.Id, "FT-dup-1", 100_000, 54_756));
        var changed = await store.Post(LedgerTestData.Receipt(cell.Id, "FT-dup-1", 999_000, 54_756));

        Assert.Equal(PostStatus.Posted, first.Status);
        Assert.Equal(PostStatus.Duplicate, again.Status);
        Assert.Equal(first.EntryId, again.EntryId);
        Assert.False(again.ContentDiffers);
        Assert.Equal(PostStatus.Duplicate, changed.Status);
        Assert.Equal(first.EntryId, changed.EntryId);
        Assert.True(changed.ContentDiffers);
        Assert.True(changed.Entry!.SameContentAs(first.Entry!));
        Assert.Equal(1, await app.Scalar("select count(*) from ledger_entries where source_id = 'FT-dup-1'"));
    }

    [Fact]
    public async Task PostBatch_PostsARepeatedSourceOnce()
    {
        var cell = await app.Org(app.Demo.CellCode);
        var e = LedgerTestData.Receipt(cell.Id, "FT-batch-1", 70_000);
        var results = await app.Store().PostBatch([e, LedgerTestData.Receipt(cell.Id, "FT-batch-2", 5_000), e]);
        Assert.Equal([PostStatus.Posted, PostStatus.Posted, PostStatus.Duplicate], results.Select(r => r.Status));
        Assert.Equal(results[0].EntryId, results[2].EntryId);
        Assert.Equal(1, await app.Scalar("select count(*) from ledger_entries where source_id = 'FT-batch-1'"));
    }

    [Fact]
    public async Task Reverse_NetsToZero_AndASecondReversalOfTheSameEntryIsRefused()
    {
        var cell = await app.Org(app.Demo.SiblingCellCode);
        var store = app.Store();
        var before = await store.TrialBalance(cell.Id, new DateOnly(2030, 1, 1));
        var posted = await store.Post(LedgerTestData.Receipt(cell.Id, "FT-rev-1", 80_000, 30_000));
        var target = posted.Entry!.Source;

        var reversal = await store.Reverse(target, new EntrySource(SourceKind.Reversal, "rev-1"), LedgerTestData.August15, "nhầm tài khoản");
        var again = await store.Reverse(target, new EntrySource(SourceKind.Reversal, "rev-1"), LedgerTestData.August15, "nhầm tài khoản");
        var second = await store.Reverse(target, new EntrySource(SourceKind.Reversal, "rev-2"), LedgerTestData.August15, "lần hai");
        var ofReversal = await store.Reverse(reversal.Entry!.Source, new EntrySource(SourceKind.Reversal, "rev-3"), LedgerTestData.August15, "đảo của đảo");

        Assert.Equal(PostStatus.Posted, reversal.Status);
        Assert.Equal(target, reversal.Entry!.Reverses);
        Assert.Equal(PostStatus.Duplicate, again.Status);
        Assert.Equal(reversal.EntryId, again.EntryId);
        Assert.Equal(PostStatus.Rejected, second.Status);
        Assert.Equal(PostStatus.Rejected, ofReversal.Status);
        var after = await store.TrialBalance(cell.Id, new DateOnly(2030, 1, 1));
        Assert.All(posted.Entry!.Lines, l => Assert.Equal(before.BalanceOf(l.Account), after.BalanceOf(l.Account)));
    }

    [Fact]
    public async Task ConcurrentReversals_OfOneEntry_PostExactlyOne()
    {
        var cell = await app.Org(app.Demo.CellCode);
        var store = app.Store();
        var posted = await store.Post(LedgerTestData.Receipt(cell.Id, "FT-race-1", 10_000));
        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            store.Reverse(posted.Entry!.Source, new EntrySource(SourceKind.Reversal, "race-" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                LedgerTestData.August15, "đua")));
        Assert.Single(results, r => r.Status == PostStatus.Posted);
        Assert.Equal(7, results.Count(r => r.Status == PostStatus.Rejected));
    }

    [Theory]
    [InlineData("update ledger_entries set memo = 'x'")]
    [InlineData("delete from ledger_entries")]
    [InlineData("update ledger_postings set amount = amount + 1")]
    [InlineData("delete from ledger_postings")]
    [InlineData("truncate ledger_postings")]
    [InlineData("delete from ledger_balances")]
    public async Task ServiceRole_CannotRewriteTheLedger(string sql)
    {
        var cell = await app.Org(app.Demo.CellCode);
        await app.Store().Post(LedgerTestData.Receipt(cell.Id, "FT-immutable-1", 1_000));
        await using var conn = new NpgsqlConnection(app.Database.App);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, e.SqlState);
    }

    [Fact]
    public async Task Owner_CannotRewriteEntries_EitherTheTriggerRefuses()
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("update ledger_postings set amount = amount + 1", conn);
        var cell = await app.Org(app.Demo.CellCode);
        await app.Store().Post(LedgerTestData.Receipt(cell.Id, "FT-immutable-2", 1_000));
        var e = await Assert.ThrowsAsync<PostgresException>(() => cmd.ExecuteNonQueryAsync());
        Assert.Contains("append-only", e.MessageText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrialBalance_AsOf_ExcludesLaterBookings()
    {
        var cell = await app.Org(app.Demo.SiblingCellCode);
        var store = app.Store();
        var early = await store.TrialBalance(cell.Id, new DateOnly(2026, 9, 30));
        await store.Post(LedgerTestData.Receipt(cell.Id, "FT-asof-1", 12_345, date: new DateOnly(2026, 10, 2)));
        var stillEarly = await store.TrialBalance(cell.Id, new DateOnly(2026, 9, 30));
        var later = await store.TrialBalance(cell.Id, new DateOnly(2026, 10, 2));
        Assert.Equal(early.BalanceOf(AccountKey.Bank(cell.Id)), stillEarly.BalanceOf(AccountKey.Bank(cell.Id)));
        Assert.Equal(12_345, (later.BalanceOf(AccountKey.Bank(cell.Id)) - early.BalanceOf(AccountKey.Bank(cell.Id))).Dong);
        Assert.Equal(later.TotalDebit, later.TotalCredit);
    }
}
