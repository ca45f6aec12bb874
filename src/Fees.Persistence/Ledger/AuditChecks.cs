using System.Globalization;
using System.Text;
using Fees.Domain.Ledger;
using Fees.Domain.Amounts;
using Npgsql;

namespace Fees.Persistence.Ledger;

/// <summary>One broken rule: what is wrong and the offending rows (sources like <c>bank-receipt:FT1</c>, or accounts).</summary>
public sealed record AuditViolation(string Detail, IReadOnlyList<string> Rows);

/// <summary>The outcome of one named check (CONTRACT: <c>{"name","passed","violations","detail"}</c>).</summary>
/// <param name="Detail">The law the check states.</param>
public sealed record AuditCheckResult(string Name, bool Passed, IReadOnlyList<AuditViolation> Violations, string Detail)
{
    public static AuditCheckResult Of(string name, string law, IReadOnlyList<AuditViolation> violations) =>
        new(name, violations.Count == 0, violations, law);
}

/// <summary>
/// What a check runs on: one read-only, repeatable-read transaction (all checks see the same snapshot) and the
/// subtree in scope, as a path prefix ('' = every organization).
/// </summary>
public sealed record AuditRun(NpgsqlConnection Connection, NpgsqlTransaction Transaction, string PathPrefix)
{
    /// <summary>
    /// A command in the run's transaction, with the bulk timeout: a national audit reads every row of the books (tens
    /// of millions of ledger lines), which takes longer than Npgsql's default 30 s.
    /// </summary>
    public NpgsqlCommand Command(string sql) =>
        new(sql, Connection, Transaction) { CommandTimeout = Database.BulkCommands.TimeoutSeconds };

    /// <summary>Runs a query whose rows are (detail text, offending rows text[]), at most <paramref name="limit"/> of them.</summary>
    /// <remarks>The query sees <c>@prefix</c> (the subtree in scope; <c>orgs_in_subtree(@prefix)</c> lists its organizations)
    /// and any <paramref name="parameters"/>.</remarks>
    public async Task<IReadOnlyList<AuditViolation>> Violations(string sql, CancellationToken ct, int limit = 100, params (string Name, object Value)[] parameters)
    {
        await using var cmd = Command("select * from (" + sql + ") v limit " + limit.ToString(CultureInfo.InvariantCulture));
        cmd.Parameters.AddWithValue("prefix", PathPrefix);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        var result = new List<AuditViolation>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(new AuditViolation(reader.GetString(0), reader.GetFieldValue<string[]>(1)));
        }
        return result;
    }
}

/// <summary>
/// One invariant over the live books, set-based SQL. Extension point: register more with
/// <c>services.AddSingleton&lt;IAuditCheck, MyCheck&gt;()</c> (e.g. dues statements: paid = allocations ≤ amount);
/// <c>GET /api/audit/checks</c> runs every registered check.
/// </summary>
public interface IAuditCheck
{
    Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct);
}

/// <summary>SQL fragments shared by the ledger checks.</summary>
internal static class LedgerSql
{
    /// <summary><c>bank-receipt:FT1</c> for entry alias <paramref name="e"/>, as EntrySource.ToString() writes it.</summary>
    public static string Label(string e)
    {
        var sb = new StringBuilder("(case ").Append(e).Append(".source_kind");
        foreach (var kind in Enum.GetValues<SourceKind>())
        {
            sb.Append(CultureInfo.InvariantCulture, $" when {(int)kind} then '{new EntrySource(kind, "x").KindCode}'");
        }
        return sb.Append(CultureInfo.InvariantCulture, $" else {e}.source_kind::text end || ':' || {e}.source_id)").ToString();
    }

    /// <summary><c>o12/5:34</c>: an account as (org, type, sub-key).</summary>
    public static string Account(string p) => $"('o' || {p}.org_id || '/' || {p}.account_type || ':' || {p}.sub_key)";
}

/// <summary>Every entry has two or more lines, all in its organization's books and on its booking date, Σ = 0.</summary>
public sealed class EntriesBalanceCheck : IAuditCheck
{
    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct) =>
        AuditCheckResult.Of(LedgerInvariants.EntriesBalanceName, "Every entry balances in whole đồng, in one organization's books.",
            await run.Violations($"""
                select 'debits minus credits = ' || coalesce(sum(p.amount), 0) || ' đồng over ' || count(p.entry_id) || ' lines'
                       || case when bool_or(p.org_id <> e.org_id or p.booking_date <> e.booking_date) then ', lines outside the entry''s books or date' else '' end,
                       array[{LedgerSql.Label("e")}]
                from ledger_entries e left join ledger_postings p on p.entry_id = e.id and p.province_id = e.province_id and p.period = e.period
                where e.org_id in (select id from orgs_in_subtree(@prefix))
                group by e.id, e.province_id, e.period
                having coalesce(sum(p.amount), 0) <> 0 or count(p.entry_id) < 2 or bool_or(p.org_id <> e.org_id or p.booking_date <> e.booking_date)
                """, ct));
}

/// <summary>No source posted twice, no entry reversed twice (the keys of <c>ledger_sources</c> and <c>ux_ledger_entries_reverses</c>
/// say so; this proves it on the live rows), and every source row names its entry.</summary>
public sealed class SourcesUniqueCheck : IAuditCheck
{
    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct) =>
        AuditCheckResult.Of(LedgerInvariants.SourcesUniqueName, "Each source event posts at most once, whatever the retries; an entry is reversed at most once.",
            await run.Violations($"""
                select 'posted ' || count(*) || ' times', array[min({LedgerSql.Label("e")})]
                from ledger_entries e where e.org_id in (select id from orgs_in_subtree(@prefix))
                group by e.source_kind, e.source_id having count(*) > 1
                union all
                select 'reversed more than once', array_agg({LedgerSql.Label("e")})
                from ledger_entries e where e.org_id in (select id from orgs_in_subtree(@prefix)) and e.reverses_entry_id is not null
                group by e.reverses_entry_id having count(*) > 1
                union all
                select 'the source''s row names no entry of that source, province and period', array[{LedgerSql.Label("s")}]
                from ledger_sources s
                where @prefix = '' and not exists (
                  select 1 from ledger_entries e
                  where e.id = s.entry_id and e.province_id = s.province_id and e.period = s.period and e.source_kind = s.source_kind and e.source_id = s.source_id)
                """, ct));
}

/// <summary>The running balances equal the sums of the postings, account by account.</summary>
public sealed class BalancesMatchPostingsCheck : IAuditCheck
{
    public const string Name = "balances-match-postings";

    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct) =>
        AuditCheckResult.Of(Name, "Stored running balances = the sum of the postings, for every account.",
            await run.Violations($"""
                with s as (
                  select org_id, account_type, sub_key,
                         coalesce(sum(amount) filter (where amount > 0), 0) as debit, coalesce(-sum(amount) filter (where amount < 0), 0) as credit
                  from ledger_postings where org_id in (select id from orgs_in_subtree(@prefix)) group by org_id, account_type, sub_key
                ), b as (
                  select org_id, account_type, sub_key, sum(debit) as debit, sum(credit) as credit
                  from ledger_balances where org_id in (select id from orgs_in_subtree(@prefix)) group by org_id, account_type, sub_key
                )
                select 'stored debit ' || coalesce(b.debit, 0) || ' credit ' || coalesce(b.credit, 0)
                       || ', postings debit ' || coalesce(s.debit, 0) || ' credit ' || coalesce(s.credit, 0),
                       array[('o' || org_id || '/' || account_type || ':' || sub_key)]
                from s full join b using (org_id, account_type, sub_key)
                where coalesce(s.debit, 0) <> coalesce(b.debit, 0) or coalesce(s.credit, 0) <> coalesce(b.credit, 0)
                """, ct));
}

/// <summary>A reversal has kind reversal, names a non-reversal, and with it nets to zero on every account.</summary>
public sealed class ReversalsNetToZeroCheck : IAuditCheck
{
    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct) =>
        AuditCheckResult.Of(LedgerInvariants.ReversalsNetToZeroName, "An entry plus its reversal nets to zero on every account.",
            await run.Violations($"""
                select 'entry and reversal do not cancel on ' || x.account, array[{LedgerSql.Label("t")}, {LedgerSql.Label("r")}]
                from ledger_entries r
                join ledger_entries t on t.id = r.reverses_entry_id and t.province_id = r.province_id and t.period = r.period
                cross join lateral (
                  select min({LedgerSql.Account("p")}) as account from ledger_postings p
                  where p.entry_id in (r.id, t.id) and p.province_id = r.province_id and p.period = r.period
                  group by p.org_id, p.account_type, p.sub_key having sum(p.amount) <> 0
                ) x
                where r.org_id in (select id from orgs_in_subtree(@prefix))
                union all
                select 'a reversal must have kind reversal and reverse a non-reversal', array[{LedgerSql.Label("r")}]
                from ledger_entries r left join ledger_entries t on t.id = r.reverses_entry_id and t.province_id = r.province_id and t.period = r.period
                where r.org_id in (select id from orgs_in_subtree(@prefix))
                  and ((r.source_kind = {(int)SourceKind.Reversal}) <> (r.reverses_entry_id is not null) or t.reverses_entry_id is not null)
                """, ct));
}

/// <summary>
/// Every close moves exactly the collections it sweeps, of its period or earlier ones (collected = retained + remitted,
/// to the đồng), and the parent's
/// counterpart books exactly the remitted amount; a close remitting to a parent in scope has its counterpart, and back.
/// </summary>
public sealed class ClosesSplitExactlyCheck : IAuditCheck
{
    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct)
    {
        int close = (int)SourceKind.PeriodClose, child = (int)SourceKind.ChildPeriodClose;
        int dues = (int)AccountType.DuesCollected, received = (int)AccountType.RemittancesReceived, retained = (int)AccountType.RetainedShare,
            payable = (int)AccountType.PayableToParent, receivable = (int)AccountType.RemittanceReceivable;
        return AuditCheckResult.Of(LedgerInvariants.ClosesSplitExactlyName, "For every organization and closed period: collected = retained + remitted, to the đồng.",
            await run.Violations($"""
                with split as (
                  select c.id, c.org_id, c.source_id, c.period, {LedgerSql.Label("c")} as label,
                         bool_and((p.amount > 0 and p.account_type in ({dues}, {received}) and p.sub_key <= (extract(year from c.period) * 100 + extract(month from c.period))::bigint)
                               or (p.amount < 0 and p.account_type = {retained} and p.sub_key = (extract(year from c.period) * 100 + extract(month from c.period))::bigint)
                               or (p.amount < 0 and p.account_type = {payable})) as shape_ok,
                         coalesce(sum(p.amount) filter (where p.amount > 0), 0) as collected,
                         coalesce(-sum(p.amount) filter (where p.account_type = {retained} and p.amount < 0), 0) as retained,
                         coalesce(-sum(p.amount) filter (where p.account_type = {payable} and p.amount < 0), 0) as remitted
                  from ledger_entries c join ledger_postings p on p.entry_id = c.id and p.province_id = c.province_id and p.period = c.period
                  where c.source_kind = {close} and c.reverses_entry_id is null and c.org_id in (select id from orgs_in_subtree(@prefix))
                  group by c.id, c.province_id, c.period
                )
                select 'close of ' || to_char(s.period, 'YYYY-MM') || ' does not split its collections: collected ' || s.collected
                       || ', retained ' || s.retained || ', remitted ' || s.remitted, array[s.label]
                from split s where not s.shape_ok or s.collected <> s.retained + s.remitted
                union all
                select 'the parent booked ' || k.total || ' for a close that remits ' || s.remitted, array[s.label, k.label]
                from split s
                join lateral (
                  select {LedgerSql.Label("k")} as label, k.period,
                         (select sum(q.amount) from ledger_postings q where q.entry_id = k.id and q.province_id = k.province_id and q.period = k.period and q.amount > 0) as total
                  from ledger_sources ks join ledger_entries k on k.id = ks.entry_id and k.province_id = ks.province_id and k.period = ks.period
                  where ks.source_kind = {child} and ks.source_id = s.source_id
                ) k on true
                where k.total <> s.remitted or k.period <> s.period
                union all
                select 'the parent''s books have no counterpart for this close', array[s.label]
                from split s join orgs o on o.id = s.org_id join orgs parent on parent.id = o.parent_id
                where s.remitted > 0 and starts_with(parent.path, @prefix)
                  and not exists (select 1 from ledger_sources k where k.source_kind = {child} and k.source_id = s.source_id)
                union all
                select 'the parent booked a child''s close that is not in the child''s books', array[{LedgerSql.Label("k")}]
                from ledger_entries k
                join ledger_postings q on q.entry_id = k.id and q.province_id = k.province_id and q.period = k.period and q.account_type = {receivable}
                join orgs ch on ch.id = q.sub_key
                where k.source_kind = {child} and k.reverses_entry_id is null and k.org_id in (select id from orgs_in_subtree(@prefix)) and starts_with(ch.path, @prefix)
                  and not exists (select 1 from ledger_sources c where c.source_kind = {close} and c.source_id = k.source_id)
                """, ct));
    }
}

/// <summary>
/// Money is conserved across the subtree in scope (<see cref="LedgerInvariants.MoneyConserved"/>, summed in SQL):
/// what members paid = retained at every level + open collections + payable − receivable + remitted out or in transit
/// + member credit + suspense; and the bank moves only for receipts, refunds and remittances.
/// </summary>
public sealed class MoneyConservedCheck : IAuditCheck
{
    private const string Law = "What members paid (by bank, or in cash not yet deposited) = retained at every level + payable or in transit + member credit + suspense + not yet closed.";

    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct)
    {
        int bank = (int)AccountType.Bank;
        string memberKinds = $"{(int)SourceKind.BankReceipt}, {(int)SourceKind.Refund}";
        string remitKinds = $"{(int)SourceKind.RemittanceSent}, {(int)SourceKind.RemittanceReceipt}";
        var violations = (await run.Violations($"""
            select 'the bank account moved in an entry that is not a receipt, refund or remittance', array[{LedgerSql.Label("e")}]
            from ledger_entries e left join ledger_entries t on t.id = e.reverses_entry_id and t.province_id = e.province_id and t.period = e.period
            where e.org_id in (select id from orgs_in_subtree(@prefix)) and coalesce(t.source_kind, e.source_kind) not in ({memberKinds}, {remitKinds})
              and exists (select 1 from ledger_postings p where p.entry_id = e.id and p.province_id = e.province_id and p.period = e.period and p.account_type = {bank})
            """, ct)).ToList();

        await using var cmd = run.Command($"""
            select (coalesce(sum(p.amount) filter (where p.account_type = {bank} and x.kind in ({memberKinds})), 0)
                    + coalesce(sum(p.amount) filter (where p.account_type = {(int)AccountType.Cash}), 0))::bigint,
                   coalesce(-sum(p.amount) filter (where p.account_type = {(int)AccountType.RetainedShare}), 0)::bigint,
                   coalesce(-sum(p.amount) filter (where p.account_type in ({(int)AccountType.DuesCollected}, {(int)AccountType.RemittancesReceived})), 0)::bigint,
                   coalesce(-sum(p.amount) filter (where p.account_type = {(int)AccountType.MemberCredit}), 0)::bigint,
                   coalesce(-sum(p.amount) filter (where p.account_type = {(int)AccountType.Suspense}), 0)::bigint,
                   coalesce(-sum(p.amount) filter (where p.account_type = {(int)AccountType.PayableToParent}), 0)::bigint,
                   coalesce(sum(p.amount) filter (where p.account_type = {(int)AccountType.RemittanceReceivable}), 0)::bigint,
                   coalesce(-sum(p.amount) filter (where p.account_type = {bank} and x.kind in ({remitKinds})), 0)::bigint
            from ledger_postings p
            join ledger_entries e on e.id = p.entry_id and e.province_id = p.province_id and e.period = p.period
            left join ledger_entries t on t.id = e.reverses_entry_id and t.province_id = e.province_id and t.period = e.period
            cross join lateral (select coalesce(t.source_kind, e.source_kind) as kind) x
            where p.org_id in (select id from orgs_in_subtree(@prefix))
            """);
        cmd.Parameters.AddWithValue("prefix", run.PathPrefix);
        ConservationTotals totals;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            await reader.ReadAsync(ct);
            Money M(int i) => Money.Vnd(reader.GetInt64(i));
            totals = new ConservationTotals(M(0), M(1), M(2), M(3), M(4), M(5), M(6), M(7));
        }
        if (totals.MembersPaid != totals.Accounted)
        {
            violations.Add(new AuditViolation(string.Create(CultureInfo.InvariantCulture,
                $"members paid {totals.MembersPaid.Dong} but {totals.Accounted.Dong} is accounted for ({totals})"), []));
        }
        return AuditCheckResult.Of(LedgerInvariants.MoneyConservedName, Law, violations);
    }
}

/// <summary>Each kind of event moves only its own accounts (<see cref="LedgerInvariants.Chart"/>); a reversal the swapped shape.</summary>
public sealed class PostingsFollowTheChartCheck : IAuditCheck
{
    public async Task<AuditCheckResult> Run(AuditRun run, CancellationToken ct)
    {
        string chart = string.Join(", ", LedgerInvariants.Chart.SelectMany(k => k.Value.Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"({(int)k.Key}, {(s.Side == Side.Debit ? "true" : "false")}, {(int)s.Type})"))));
        return AuditCheckResult.Of(LedgerInvariants.PostingsFollowTheChartName,
            "Each kind of event moves only its own accounts (a receipt never touches a receivable, a close never the bank).",
            await run.Violations($"""
                select 'posts to accounts its kind never moves: ' || string_agg({LedgerSql.Account("p")}, ', '), array[{LedgerSql.Label("e")}]
                from ledger_entries e
                left join ledger_entries t on t.id = e.reverses_entry_id and t.province_id = e.province_id and t.period = e.period
                join ledger_postings p on p.entry_id = e.id and p.province_id = e.province_id and p.period = e.period
                where e.org_id in (select id from orgs_in_subtree(@prefix))
                  and not exists (select 1 from (values {chart}) c(kind, debit, account_type)
                                  where c.kind = coalesce(t.source_kind, e.source_kind) and c.account_type = p.account_type
                                    and c.debit = ((p.amount > 0) <> (t.id is not null)))
                group by e.id, e.province_id, e.period
                """, ct));
    }
}
