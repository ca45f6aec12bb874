using Fees.Persistence.Ledger;
using Fees.Testing;
using Fees.Domain.Ledger;
using Fees.Domain.Amounts;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Fees.Testing;

/// <summary>An organization of the demo province as the ledger sees it.</summary>
public sealed record LedgerOrg(long Id, string Code, long? ParentId);

/// <summary>Helpers shared by the ledger tests: the store from the container, demo organizations by code, receipts.</summary>
public static class LedgerTestData
{
    public static readonly DateOnly August15 = new(2026, 8, 15);

    public static LedgerStore Store(this FeesApp app) => app.Services.GetRequiredService<LedgerStore>();

    public static async Task<LedgerOrg> Org(this FeesApp app, string code)
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select id, parent_id from orgs where code = @c", conn);
        cmd.Parameters.AddWithValue("c", code);
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"no org {code}");
        return new LedgerOrg(reader.GetInt64(0), code, reader.IsDBNull(1) ? null : reader.GetInt64(1));
    }

    public static async Task<long> Scalar(this FeesApp app, string sql)
    {
        await using var conn = new NpgsqlConnection(app.Database.Owner);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A member's receipt: part to August dues of member 1, the rest to that member's credit (or suspense).</summary>
    public static JournalEntry Receipt(long orgId, string bankTxId, long amount, long allocated = 0, DateOnly? date = null, long? payer = 1) =>
        PostingRules.BankReceipt(orgId, bankTxId, date ?? August15, Money.Vnd(amount),
            allocated > 0 ? [new DuesAllocation(1, Fees.Domain.Time.Period.Of(2026, 8), Money.Vnd(allocated))] : [],
            payer, "Thu đảng phí " + bankTxId);
}
