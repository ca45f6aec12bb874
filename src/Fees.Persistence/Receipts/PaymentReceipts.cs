using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Outcomes;
using Fees.Domain.Receipts;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Npgsql;

namespace Fees.Persistence.Receipts;

/// <summary>An issued receipt (biên lai) as stored: what it prints, its signature, and the money received it is for.</summary>
public sealed record IssuedPaymentReceipt(long Id, long ReceiptId, long MemberId, PaymentReceipt Receipt, string Signature);

/// <summary>
/// Electronic receipts (biên lai thu đảng phí): issued inside the transaction that attributes money to a member,
/// numbered per organization and calendar year without gaps, signed (<see cref="ReceiptSigningKey"/>, every key kept by <see cref="ReceiptKeys"/>), and read back
/// by the member, by staff in scope, and by anyone holding a receipt's verification address.
/// </summary>
public sealed partial class PaymentReceipts(NpgsqlDataSource dataSource, ReceiptKeys keys, AuditWriter audit, TimeProvider clock)
{
    /// <summary>The longest organization code (orgs.code is at most 30 characters).</summary>
    private const int MaxOrgCodeLength = 30;

    /// <summary>
    /// Issues the receipt for what the money received <paramref name="receiptId"/> paid for member
    /// <paramref name="memberId"/>, inside the caller's transaction: the allocations of that money to the member's
    /// statements (by period), plus the credit it left the member when the money is the member's own
    /// (<c>receipts.member_id</c>). Call it last, once the allocations and the posting are written, so the counter row
    /// is locked for as short a time as possible. Issuing again for the same money and member returns the receipt
    /// already issued (its number is never spent twice).
    /// </summary>
    /// <param name="collector">Who took the money, as printed (cash); null for a bank transfer, which names the system.</param>
    /// <exception cref="InvalidOperationException">The money or the member is unknown, or nothing of it went to the member.</exception>
    public async Task<IssuedPaymentReceipt> Issue(NpgsqlConnection conn, NpgsqlTransaction tx, long receiptId, long memberId, Actor actor, string? collector,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await keys.EnsureRegistered(ct);
        // Locking the money received serialises issuing for it: the existence check below cannot race.
        Source source;
        await using (var cmd = new NpgsqlCommand("""
            select r.org_id, r.source, r.member_id, r.credited, r.booked_at, r.recorded_by, o.code, o.name, o.path, p.name, m.member_no, m.full_name,
                   r.province_id, r.period
            from receipts r
            join orgs o on o.id = r.org_id
            left join orgs p on p.id = o.parent_id
            join member_numbers n on n.member_id = @member
            join members m on m.id = n.member_id and m.province_id = n.province_id
            where r.id = @receipt
            for update of r
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("receipt", receiptId);
            cmd.Parameters.AddWithValue("member", memberId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                throw new InvalidOperationException($"Receipt {receiptId} or member {memberId} is not in the database.");
            }
            source = new Source(r.GetInt64(0), PaymentMethodCodes.Parse(r.GetString(1)), r.IsDBNull(2) ? null : r.GetInt64(2), r.GetInt64(3),
                r.GetFieldValue<DateTimeOffset>(4), r.GetString(5), r.GetString(6), r.GetString(7), r.GetString(8), r.IsDBNull(9) ? null : r.GetString(9),
                r.GetString(10), r.GetString(11), r.GetInt64(12), r.GetFieldValue<DateOnly>(13));
        }
        var existing = await Read(conn, tx, "pr.receipt_id = @receipt and pr.member_id = @member", [("receipt", receiptId), ("member", memberId)], ct);
        if (existing.Count > 0)
        {
            return existing[0].Issued;
        }

        var periods = new List<PeriodPayment>();
        await using (var cmd = new NpgsqlCommand("""
            select period, sum(amount)::bigint from receipt_allocations where receipt_id = @receipt and member_id = @member
            group by period order by period
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("receipt", receiptId);
            cmd.Parameters.AddWithValue("member", memberId);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                periods.Add(new PeriodPayment(Period.Containing(r.GetFieldValue<DateOnly>(0)), Money.Vnd(r.GetInt64(1))));
            }
        }
        var credit = source.MemberId == memberId ? Money.Vnd(source.Credited) : Money.Zero;
        if (periods.Count == 0 && !credit.IsPositive)
        {
            throw new InvalidOperationException($"Nothing of receipt {receiptId} went to member {memberId}: there is nothing to issue a receipt for.");
        }

        var now = clock.GetUtcNow();
        int year = VietnamTime.DateOf(now).Year;
        int sequence;
        await using (var counter = new NpgsqlCommand("""
            insert into payment_receipt_counters as c (province_id, org_id, year, last_number)
            values ((select province_id from orgs where id = @org), @org, @year, 1)
            on conflict (org_id, year, province_id) do update set last_number = c.last_number + 1
            returning last_number
            """, conn, tx))
        {
            counter.Parameters.AddWithValue("org", source.OrgId);
            counter.Parameters.AddWithValue("year", year);
            sequence = (int)(await counter.ExecuteScalarAsync(ct))!;
        }

        string printedCollector = source.Method == PaymentMethod.Bank ? PaymentMethodCodes.SystemCollector : collector ?? source.RecordedBy;
        var receipt = PaymentReceipt.Create(ReceiptNumber.Of(source.OrgCode, year, sequence), source.OrgName, source.ParentOrgName,
            source.MemberNo, source.MemberName, periods, credit, source.Method, printedCollector, VietnamTime.DateOf(source.BookedAt), now);
        string signature = keys.Signing.Sign(receipt);

        long id;
        await using (var insert = new NpgsqlCommand("""
            insert into payment_receipts (province_id, receipt_id, receipt_period, member_id, org_id, year, number, org_code, org_name, parent_org_name, member_no, member_name,
                                          amount, periods, period_amounts, credit, method, collector, collected_on, issued_at, key_id, signature, issued_by)
            values (@province, @receipt, @receipt_period, @member, @org, @year, @number, @org_code, @org_name, @parent, @member_no, @member_name,
                    @amount, @periods, @period_amounts, @credit, @method, @collector, @collected_on, @issued_at, @key_id, @signature, @by)
            returning id
            """, conn, tx))
        {
            insert.Parameters.AddWithValue("receipt", receiptId);
            insert.Parameters.AddWithValue("province", source.ProvinceId);
            insert.Parameters.AddWithValue("receipt_period", source.Period);
            insert.Parameters.AddWithValue("member", memberId);
            insert.Parameters.AddWithValue("org", source.OrgId);
            insert.Parameters.AddWithValue("year", year);
            insert.Parameters.AddWithValue("number", sequence);
            insert.Parameters.AddWithValue("org_code", receipt.Number.OrgCode);
            insert.Parameters.AddWithValue("org_name", receipt.OrgName);
            insert.Parameters.AddWithValue("parent", (object?)receipt.ParentOrgName ?? DBNull.Value);
            insert.Parameters.AddWithValue("member_no", receipt.MemberNo);
            insert.Parameters.AddWithValue("member_name", receipt.MemberName);
            insert.Parameters.AddWithValue("amount", receipt.Amount.Dong);
            insert.Parameters.AddWithValue("periods", receipt.Periods.Select(p => p.Period.FirstDay).ToArray());
            insert.Parameters.AddWithValue("period_amounts", receipt.Periods.Select(p => p.Amount.Dong).ToArray());
            insert.Parameters.AddWithValue("credit", receipt.Credit.Dong);
            insert.Parameters.AddWithValue("method", receipt.Method.ToCode());
            insert.Parameters.AddWithValue("collector", receipt.Collector);
            insert.Parameters.AddWithValue("collected_on", receipt.CollectedOn);
            insert.Parameters.AddWithValue("issued_at", receipt.IssuedAt);
            insert.Parameters.AddWithValue("key_id", keys.Signing.KeyId);
            insert.Parameters.AddWithValue("signature", signature);
            insert.Parameters.AddWithValue("by", actor.Username);
            id = (long)(await insert.ExecuteScalarAsync(ct))!;
        }
        await audit.Copy(conn, actor, [AuditEntry.Of("payment_receipt.issue", "payment_receipt", id.ToString(CultureInfo.InvariantCulture), null,
            new { number = receipt.Number.ToString(), receiptId, memberNo = receipt.MemberNo, amount = receipt.Amount.Dong, method = receipt.Method.ToCode() },
            source.OrgPath)], now, ct);
        return new IssuedPaymentReceipt(id, receiptId, memberId, receipt, signature);
    }

    /// <summary>A member's receipts, newest first (at most <paramref name="limit"/>).</summary>
    public async Task<IReadOnlyList<IssuedPaymentReceipt>> OfMember(long memberId, CancellationToken ct, int limit = 200)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await Read(conn, null, "pr.member_id = @member", [("member", memberId)], ct,
            " order by pr.issued_at desc, pr.id desc limit " + Math.Clamp(limit, 1, 1000).ToString(CultureInfo.InvariantCulture));
        return rows.Select(r => r.Issued).ToList();
    }

    /// <summary>
    /// The receipt for money received <paramref name="receiptId"/>, for printing: a member gets their own (403 for
    /// someone else's); staff and admins any in their scope (403 outside it), naming the member by
    /// <paramref name="memberNo"/> when the money paid for several members (400 without it). 404 when there is no receipt.
    /// </summary>
    public async Task<Outcome<IssuedPaymentReceipt>> ForPrint(long receiptId, string? memberNo, Actor actor, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(actor);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await Read(conn, null, "pr.receipt_id = @receipt", [("receipt", receiptId)], ct, " order by pr.id");
        if (rows.Count == 0)
        {
            return Refusal.NotFound("biên lai");
        }
        if (actor.Role == Role.Member)
        {
            var own = rows.FirstOrDefault(r => r.Issued.MemberId == actor.MemberId);
            return own is null ? Refusal.Forbidden : own.Issued;
        }
        if (!(actor.IsAdmin || actor.IsStaff) || !actor.CanSeeOrgPath(rows[0].OrgPath))
        {
            return Refusal.Forbidden;
        }
        if (memberNo is not null)
        {
            var named = rows.FirstOrDefault(r => r.Issued.Receipt.MemberNo == memberNo);
            return named is null ? Refusal.NotFound("biên lai của đảng viên này") : named.Issued;
        }
        return rows.Count == 1
            ? rows[0].Issued
            : Refusal.Field("memberNo", "Khoản thu này có biên lai của nhiều đảng viên: hãy chọn số thẻ đảng viên.");
    }

    /// <summary>
    /// Checks a receipt by its public identity and the signature its verification address carries. Genuine only when
    /// a receipt has that organization code, year and number (as printed, <see cref="ReceiptNumber.SequenceText"/>),
    /// the signature given is the one it was issued with, and that signature is the service key's signature of what the
    /// receipt prints now. Anything else (malformed input included) is null: not verifiable, with no hint why.
    /// </summary>
    public async Task<IssuedPaymentReceipt?> Verify(string? orgCode, int year, string? sequence, string? signature, CancellationToken ct)
    {
        if (orgCode is not { Length: > 0 and <= MaxOrgCodeLength } || !orgCode.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-')
            || year is < 2000 or > 9999 || !ReceiptNumber.TryParseSequence(sequence, out int number)
            || signature is not { Length: ReceiptSigningKey.SignatureLength })
        {
            return null;
        }
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var rows = await Read(conn, null, "pr.org_code = @code and pr.year = @year and pr.number = @number",
            [("code", orgCode), ("year", year), ("number", number)], ct);
        if (rows.Count == 0)
        {
            return null;
        }
        var row = rows[0];
        bool sameSignature = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(row.Issued.Signature), Encoding.ASCII.GetBytes(signature));
        return sameSignature && IsIntact(row, await keys.Find(row.KeyId, ct)) ? row.Issued : null;
    }

    private sealed record Source(long OrgId, PaymentMethod Method, long? MemberId, long Credited, DateTimeOffset BookedAt, string RecordedBy,
        string OrgCode, string OrgName, string OrgPath, string? ParentOrgName, string MemberNo, string MemberName, long ProvinceId, DateOnly Period);

    private static async Task<List<Row>> Read(NpgsqlConnection conn, NpgsqlTransaction? tx, string where, (string Name, object Value)[] parameters,
        CancellationToken ct, string tail = "")
    {
        await using var cmd = new NpgsqlCommand($"{SelectRows} where {where}{tail}", conn, tx);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.AddWithValue(name, value);
        }
        var rows = new List<Row>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            // A row that is no receipt any more (altered behind the service's back) is shown nowhere; the audit check names it.
            if (Map(r) is { } row)
            {
                rows.Add(row);
            }
        }
        return rows;
    }

    /// <summary>What <see cref="Map"/> reads, from <c>payment_receipts pr join orgs o</c>.</summary>
    internal const string SelectRows = """
        select pr.id, pr.receipt_id, pr.member_id, pr.org_code, pr.year, pr.number, pr.org_name, pr.parent_org_name, pr.member_no, pr.member_name,
               pr.periods, pr.period_amounts, pr.credit, pr.method, pr.collector, pr.collected_on, pr.issued_at, pr.key_id, pr.signature, pr.amount, o.path
        from payment_receipts pr join orgs o on o.id = pr.org_id
        """;

    internal sealed record Row(IssuedPaymentReceipt Issued, string OrgPath, string KeyId, long StoredAmount);

    /// <summary>One row of <see cref="SelectRows"/> as a receipt; null when what is stored makes no receipt.</summary>
    internal static Row? Map(NpgsqlDataReader r)
    {
        var periods = r.GetFieldValue<DateOnly[]>(10);
        var amounts = r.GetFieldValue<long[]>(11);
        if (!PaymentMethodCodes.TryParse(r.GetString(13), out var method) || periods.Length != amounts.Length)
        {
            return null;
        }
        try
        {
            var receipt = PaymentReceipt.Create(ReceiptNumber.Of(r.GetString(3), r.GetInt32(4), r.GetInt32(5)), r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.GetString(8), r.GetString(9),
                periods.Zip(amounts, (p, a) => new PeriodPayment(Period.Containing(p), Money.Vnd(a))).ToList(), Money.Vnd(r.GetInt64(12)),
                method, r.GetString(14), r.GetFieldValue<DateOnly>(15), r.GetFieldValue<DateTimeOffset>(16));
            return new Row(new IssuedPaymentReceipt(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), receipt, r.GetString(18)), r.GetString(20),
                r.GetString(17), r.GetInt64(19));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    /// <summary>
    /// The stored receipt is what was signed: by the registered key it names (null: no such key), its amount consistent,
    /// the signature valid over what it prints.
    /// </summary>
    internal static bool IsIntact(Row row, ReceiptPublicKey? key) =>
        key is not null && row.KeyId == key.KeyId && row.StoredAmount == row.Issued.Receipt.Amount.Dong && key.Verify(row.Issued.Receipt, row.Issued.Signature);
}
