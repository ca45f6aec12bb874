using Fees.Domain.Amounts;
using Fees.Domain.Dues;
using Fees.Domain.Ledger;
using Fees.Domain.Matching;
using Fees.Domain.Time;
using Npgsql;

namespace Fees.Persistence.Bank;

/// <summary>The contract's totals: received in the period, attributed, still in suspense, and what members still owe for the period.</summary>
public sealed record ReconciliationTotals(long Received, long Matched, long Unmatched, long Outstanding);

/// <summary>A suggestion for the treasurer: who a receipt in suspense might be from, and why (in Vietnamese).</summary>
public sealed record SuggestionView(string Kind, string MemberNo, string FullName, IReadOnlyList<string> Periods, long Owed, string Reason);

/// <summary>A receipt waiting for the treasurer, with suggestions.</summary>
public sealed record QueueItem(long ReceiptId, long Amount, long InSuspense, string Content, string? CounterpartyName, DateTimeOffset BookedAt,
    string? Note, IReadOnlyList<SuggestionView> Suggestions);

/// <summary>A member who still owes, with the periods owed.</summary>
public sealed record ArrearsLine(string MemberNo, string FullName, IReadOnlyList<string> Periods, long Owed);

/// <summary>The organization's bank account in its books beside the running balance the provider last reported (when it sends one).</summary>
public sealed record BankSummary(long BooksBalance, long? ReportedBalance, DateTimeOffset? ReportedAt, long? Difference, long Cash, long Suspense);

/// <summary>An organization's reconciliation for a period (contract fields first).</summary>
public sealed record ReconciliationView(string Period, IReadOnlyList<ReceiptView> Receipts, ReconciliationTotals Totals, IReadOnlyList<QueueItem> Queue,
    IReadOnlyList<ArrearsLine> Arrears, BankSummary Bank);

/// <summary>Reads what a treasurer reconciles: receipts and allocations, the suspense queue with suggestions, arrears, and the bank.</summary>
public sealed class Reconciliation(NpgsqlDataSource dataSource, ReceiptQueries receipts)
{
    /// <summary>At most this many receipts wait in the queue shown at once (oldest first).</summary>
    public const int MaxQueue = 200;

    public async Task<ReconciliationView> For(long orgId, Period period, CancellationToken ct)
    {
        var list = await receipts.OfPeriod(orgId, period, ct);
        var totals = new ReconciliationTotals(
            list.Sum(r => r.Amount),
            list.Sum(r => r.Allocated + r.Credited + r.Deposited),
            list.Sum(r => r.InSuspense),
            await Outstanding(orgId, period, ct));
        var candidates = await Candidates(orgId, ct);
        var queue = await Queue(orgId, candidates, ct);
        var arrears = candidates.Values.Select(c => new ArrearsLine(c.MemberNo, c.Candidate.FullName,
                c.Candidate.Statements.Select(s => s.Period.ToString()).ToList(), Money.Sum(c.Candidate.Statements.Select(s => s.Outstanding)).Dong))
            .OrderByDescending(a => a.Periods.Count).ThenBy(a => a.FullName, StringComparer.Ordinal).ToList();
        return new ReconciliationView(period.ToString(), list, totals, queue, arrears, await Bank(orgId, ct));
    }

    private sealed record MemberOwing(string MemberNo, SuspenseCandidate Candidate);

    private async Task<long> Outstanding(long orgId, Period period, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            select coalesce(sum(amount - paid), 0)::bigint from dues_statements
            where org_id = @org and period = @period and status = any(@outstanding)
            """);
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("period", period.FirstDay);
        cmd.Parameters.AddWithValue("outstanding", DuesStatement.OutstandingStatuses.Select(s => s.ToCode()).ToArray());
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Members who owe something at this organization, with those statements (the suggestion candidates and the arrears).</summary>
    private async Task<Dictionary<long, MemberOwing>> Candidates(long orgId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            select s.id, s.member_id, s.period, s.org_id, s.amount, s.paid, s.status, m.member_no, m.full_name
            from dues_statements s join members m on m.id = s.member_id
            where s.org_id = @org and s.status = any(@outstanding) and s.amount > s.paid
            order by s.member_id, s.period
            """);
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("outstanding", DuesStatement.OutstandingStatuses.Select(s => s.ToCode()).ToArray());
        var rows = new Dictionary<long, (string No, string Name, List<OutstandingStatement> Statements)>();
        await using (var r = await cmd.ExecuteReaderAsync(ct))
        {
            while (await r.ReadAsync(ct))
            {
                long member = r.GetInt64(1);
                if (!rows.TryGetValue(member, out var row))
                {
                    rows[member] = row = (r.GetString(7), r.GetString(8), []);
                }
                DuesStatementStatusCodes.TryParse(r.GetString(6), out var status);
                row.Statements.Add(new OutstandingStatement(r.GetInt64(0), member, Period.Containing(r.GetFieldValue<DateOnly>(2)), r.GetInt64(3),
                    Money.Vnd(r.GetInt64(4)), Money.Vnd(r.GetInt64(5)), status));
            }
        }
        return rows.ToDictionary(p => p.Key, p => new MemberOwing(p.Value.No, new SuspenseCandidate(p.Key, p.Value.Name, p.Value.Statements)));
    }

    private async Task<IReadOnlyList<QueueItem>> Queue(long orgId, Dictionary<long, MemberOwing> candidates, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            select id, amount, amount - allocated - credited - refunded - deposited, content, counterparty_name, booked_at, note
            from receipts where org_id = @org and status in ('unmatched', 'partially_matched')
            order by id limit @max
            """);
        cmd.Parameters.AddWithValue("org", orgId);
        cmd.Parameters.AddWithValue("max", MaxQueue);
        var items = new List<QueueItem>();
        var all = candidates.Values.Select(c => c.Candidate).ToList();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            long inSuspense = r.GetInt64(2);
            string content = r.GetString(3);
            string? payer = r.IsDBNull(4) ? null : r.GetString(4);
            var suggestions = inSuspense > 0
                ? SuspenseSuggestions.For(Money.Vnd(inSuspense), payer, content, orgId, all)
                    .Select(s =>
                    {
                        var c = candidates[s.MemberId];
                        var chosen = c.Candidate.Statements.Where(x => s.StatementIds.Contains(x.StatementId)).ToList();
                        return new SuggestionView(s.Kind.ToString(), c.MemberNo, c.Candidate.FullName, chosen.Select(x => x.Period.ToString()).ToList(),
                            Money.Sum(chosen.Select(x => x.Outstanding)).Dong, s.Reason);
                    }).ToList()
                : [];
            items.Add(new QueueItem(r.GetInt64(0), r.GetInt64(1), inSuspense, content, payer, r.GetFieldValue<DateTimeOffset>(5),
                r.IsDBNull(6) ? null : r.GetString(6), suggestions));
        }
        return items;
    }

    private async Task<BankSummary> Bank(long orgId, CancellationToken ct)
    {
        long books, cash, suspense;
        await using (var cmd = dataSource.CreateCommand("""
            select coalesce(sum(amount) filter (where account_type = @bank), 0)::bigint,
                   coalesce(sum(amount) filter (where account_type = @cash), 0)::bigint,
                   coalesce(-sum(amount) filter (where account_type = @suspense), 0)::bigint
            from ledger_postings where org_id = @org
            """))
        {
            cmd.Parameters.AddWithValue("org", orgId);
            cmd.Parameters.AddWithValue("bank", (short)AccountType.Bank);
            cmd.Parameters.AddWithValue("cash", (short)AccountType.Cash);
            cmd.Parameters.AddWithValue("suspense", (short)AccountType.Suspense);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            await r.ReadAsync(ct);
            (books, cash, suspense) = (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
        }
        await using (var last = dataSource.CreateCommand("""
            select t.running_balance, t.booked_at from bank_transactions t join orgs o on o.id = @org
            where t.account_number = o.bank_account and t.running_balance is not null
            order by t.booked_at desc, t.id desc limit 1
            """))
        {
            last.Parameters.AddWithValue("org", orgId);
            await using var r = await last.ExecuteReaderAsync(ct);
            if (await r.ReadAsync(ct))
            {
                long reported = r.GetInt64(0);
                return new BankSummary(books, reported, r.GetFieldValue<DateTimeOffset>(1), reported - books, cash, suspense);
            }
        }
        return new BankSummary(books, null, null, null, cash, suspense);
    }
}
