using Fees.Domain.Accounts;
using Fees.Domain.Amounts;
using Fees.Domain.Banking;
using Fees.Domain.Dues;
using Fees.Domain.Organizations;
using Fees.Domain.Outcomes;
using Fees.Domain.Payments;
using Fees.Domain.Time;
using Fees.Persistence.Auditing;
using Fees.Persistence.Queries;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Fees.Persistence.Payments;

/// <summary>
/// A dynamic code ready to show: what it pays, into which account, with which reference. <see cref="Stored"/> is true
/// when it is a payment request of the member's own (a <c>DP…</c> reference); false for the read-only code others see,
/// which carries the member's standing <c>DT…</c> reference and changes nothing.
/// </summary>
public sealed record PaymentQr(string Payload, Money Amount, string Reference, string Purpose, IReadOnlyList<Period> Periods,
    string BankBin, string BankName, string AccountNumber, string AccountName, string OrgCode, string OrgName, DateTimeOffset? ExpiresAt, bool Stored);

/// <summary>A member's static code (no amount, standing reference) into the organization they pay now.</summary>
public sealed record StaticQr(string Payload, string Reference, string Purpose, string BankBin, string BankName, string AccountNumber, string AccountName, string OrgCode, string OrgName);

/// <summary>
/// Creates or reuses the payment request behind a member's dynamic VietQR code, and builds static codes.
/// "Reuses": the same member asking again for the same outstanding statements and the same total gets the same open
/// request (reloading the page never mints a new reference); another set or total replaces it (the old code stays payable).
/// Only the member's own request creates or replaces anything: staff and auditors reading a member's code get the
/// current request when it still fits, else a code on the member's standing reference, and nothing is written.
/// </summary>
public sealed class PaymentRequestStore(FeesDbContext db, AuditWriter audit, IVietQrEncoder qr, TimeProvider clock, ILogger<PaymentRequestStore> logger)
{
    /// <summary>Purpose of a static code: the member's standing reference, then a fixed description (19 ASCII characters).</summary>
    public static string StaticPurpose(long memberId) => PaymentReference.ForMember(memberId).Value + " DANG PHI";

    private const int Attempts = 4;

    /// <summary>
    /// The code for <paramref name="requested"/> periods (null: everything outstanding) of member <paramref name="memberId"/>,
    /// or why there is none.
    /// </summary>
    public async Task<Outcome<PaymentQr>> Open(long memberId, string memberNo, IReadOnlyList<Period>? requested, Actor actor, CancellationToken ct)
    {
        var candidates = db.Statements.AsNoTracking().Where(DuesStatement.IsOutstanding).Where(s => s.MemberId == memberId);
        if (actor.IsStaff)
        {
            // Staff make codes only for what is owed inside their own subtree (never into another organization's account).
            string prefix = actor.ScopePrefix;
            candidates = candidates.Where(s => db.Orgs.Any(o => o.Id == s.OrgId && o.Path.StartsWith(prefix)));
        }
        var outstanding = await candidates
            .OrderBy(s => s.Period)
            .Select(s => new { s.Period, s.OrgId, s.Amount, s.Paid })
            .ToListAsync(ct);

        var chosen = outstanding;
        if (requested is not null)
        {
            var owed = outstanding.Select(s => s.Period).ToHashSet();
            var notOwed = requested.Where(p => !owed.Contains(p)).ToList();
            if (notOwed.Count > 0)
            {
                return Refusal.Conflict("period_not_outstanding",
                    $"Không có khoản đảng phí nào cần nộp cho {string.Join(", ", notOwed.Select(p => p.ToDisplayString()))}.",
                    new Dictionary<string, object?> { ["periods"] = notOwed.Select(p => p.ToString()).ToList() });
            }
            var wanted = requested.ToHashSet();
            chosen = outstanding.Where(s => wanted.Contains(s.Period)).ToList();
        }
        if (chosen.Count == 0)
        {
            return Refusal.Conflict("nothing_outstanding", "Đảng viên không còn khoản đảng phí nào cần nộp.");
        }

        var orgIds = chosen.Select(s => s.OrgId).Distinct().ToList();
        var orgs = await db.Orgs.AsNoTracking().Where(o => orgIds.Contains(o.Id)).ToDictionaryAsync(o => o.Id, ct);
        if (orgIds.Count > 1)
        {
            // The member moved: each organization collects its own periods into its own account.
            var perOrg = chosen.GroupBy(s => s.OrgId).Select(g => new
            {
                orgCode = orgs[g.Key].Code,
                orgName = orgs[g.Key].Name,
                periods = g.Select(s => s.Period.ToString()).ToList(),
            }).ToList();
            return Refusal.Conflict("several_collecting_orgs",
                "Các kỳ đảng phí này nộp cho nhiều tổ chức đảng khác nhau (đảng viên đã chuyển sinh hoạt). Vui lòng nộp riêng cho từng tổ chức: "
                + string.Join("; ", perOrg.Select(o => $"{o.orgName}: {string.Join(", ", o.periods)}"))
                + " (chọn kỳ bằng ?periods=).",
                new Dictionary<string, object?> { ["organizations"] = perOrg });
        }
        var org = orgs[orgIds[0]];
        if (!org.HasBankAccount)
        {
            return NoBankAccount(org);
        }
        var amount = Money.Sum(chosen.Select(s => s.Amount - s.Paid));
        if (amount >= PaymentLimits.Napas247Ceiling)
        {
            return Refusal.Conflict("amount_too_large", "Tổng số tiền từ 500 triệu đồng trở lên: NAPAS 247 không nhận một giao dịch như vậy. Vui lòng chọn ít kỳ hơn.");
        }
        var periods = chosen.Select(s => s.Period).Order().ToList();

        if (actor.MemberId != memberId)
        {
            // Someone else reading the member's code: never create or replace the member's own request.
            return await ReadOnlyCode(memberId, org, amount, periods, ct);
        }
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var request = await OpenOnce(memberId, memberNo, org, amount, periods, actor, ct);
                return ToQr(request, org);
            }
            catch (Exception e) when (attempt < Attempts && IsRace(e))
            {
                // Another request for the same member committed first (unique open request, or the open one changed
                // under us): start again from what is now stored, which usually means reusing that request.
                logger.LogInformation("Payment request race for member {MemberId}, attempt {Attempt}", memberId, attempt);
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task<PaymentQr> ReadOnlyCode(long memberId, OrgUnit org, Money amount, List<Period> periods, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var open = await db.PaymentRequests.AsNoTracking().FirstOrDefaultAsync(r => r.MemberId == memberId && r.Status == PaymentRequestStatus.Open, ct);
        if (open is not null && open.Fits(org.Id, amount, periods, org.BankBin!, org.BankAccount!, now))
        {
            return ToQr(open, org);
        }
        var reference = PaymentReference.ForMember(memberId);
        string purpose = PaymentReference.Purpose(reference, periods);
        string payload = qr.Dynamic(org.BankBin!, org.BankAccount!, amount, purpose);
        return new PaymentQr(payload, amount, reference.Value, purpose, periods, org.BankBin!, BankName(org.BankBin!), org.BankAccount!,
            org.BankAccountName!, org.Code, org.Name, null, Stored: false);
    }

    private async Task<PaymentRequest> OpenOnce(long memberId, string memberNo, OrgUnit org, Money amount, List<Period> periods, Actor actor, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var open = await db.PaymentRequests.FirstOrDefaultAsync(r => r.MemberId == memberId && r.Status == PaymentRequestStatus.Open, ct);
        if (open is not null && open.Fits(org.Id, amount, periods, org.BankBin!, org.BankAccount!, now))
        {
            return open;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        object? before = null;
        if (open is not null)
        {
            open.Replace(now);
            before = new { open.Reference, amount = open.Amount.Dong, periods = open.Periods.Select(p => p.ToString()), status = open.Status.ToCode() };
            // Saved first: the unique index allows one open request per member at any moment.
            await db.SaveChangesAsync(ct);
        }

        long id = await db.Database.SqlQuery<long>($"select nextval(pg_get_serial_sequence('payment_requests', 'id')) as \"Value\"").SingleAsync(ct);
        var reference = PaymentReference.NewRequest(id);
        string purpose = PaymentReference.Purpose(reference, periods);
        string payload = qr.Dynamic(org.BankBin!, org.BankAccount!, amount, purpose);
        var request = PaymentRequest.Open(id, memberId, org.Id, amount, periods, reference.Value, purpose, org.BankBin!, org.BankAccount!,
            org.BankAccountName!, payload, actor.Username, now);
        db.PaymentRequests.Add(request);
        audit.Add(db, actor, AuditEntry.Of("payment_request.create", "member", memberNo, before,
            new { request.Reference, amount = request.Amount.Dong, periods = periods.Select(p => p.ToString()), orgCode = org.Code, request.Purpose },
            org.Path));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return request;
    }

    private static PaymentQr ToQr(PaymentRequest r, OrgUnit org) =>
        new(r.Payload, r.Amount, r.Reference, r.Purpose, r.Periods, r.BankBin, BankName(r.BankBin), r.AccountNumber, r.AccountName, org.Code, org.Name,
            r.ExpiresAt, Stored: true);

    /// <summary>The static code of a member, into the organization they pay now (a temporary placement first), or why there is none.</summary>
    public async Task<Outcome<StaticQr>> Static(long memberId, CancellationToken ct)
    {
        var today = VietnamTime.Today(clock);
        var placements = await db.Placements.AsNoTracking().InForce(today).Where(p => p.MemberId == memberId).ToListAsync(ct);
        var placement = Fees.Domain.Members.MemberPlacement.DuesPlacementOn(placements, today);
        var org = placement is null ? null : await db.Orgs.AsNoTracking().FirstOrDefaultAsync(o => o.Id == placement.OrgId, ct);
        if (org is null)
        {
            return Refusal.Conflict("not_placed", "Đảng viên hiện không sinh hoạt tại tổ chức đảng nào.");
        }
        if (!org.HasBankAccount)
        {
            return NoBankAccount(org);
        }
        return StaticFor(memberId, org);
    }

    /// <summary>The static code of <paramref name="memberId"/> into <paramref name="org"/>'s account (which must exist).</summary>
    public StaticQr StaticFor(long memberId, OrgUnit org)
    {
        ArgumentNullException.ThrowIfNull(org);
        string purpose = StaticPurpose(memberId);
        string payload = qr.Static(org.BankBin!, org.BankAccount!, purpose);
        return new StaticQr(payload, PaymentReference.ForMember(memberId).Value, purpose, org.BankBin!, BankName(org.BankBin!),
            org.BankAccount!, org.BankAccountName!, org.Code, org.Name);
    }

    public static Refusal NoBankAccount(OrgUnit org)
    {
        ArgumentNullException.ThrowIfNull(org);
        return Refusal.Conflict("org_has_no_bank_account",
            $"{org.Name} chưa có tài khoản ngân hàng để nhận đảng phí, nên chưa thể tạo mã QR. Vui lòng nộp trực tiếp cho chi ủy hoặc liên hệ văn phòng cấp ủy.",
            new Dictionary<string, object?> { ["orgCode"] = org.Code });
    }

    public static string BankName(string bin) => NapasBanks.TryFind(bin, out var bank) ? bank.ShortName : bin;

    private static bool IsRace(Exception e) =>
        e is DbUpdateConcurrencyException
        || (e is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } });
}
