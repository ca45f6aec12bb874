using Fees.Api.Accounts;
using Fees.Api.Audit;
using Fees.Api.Database;
using Fees.Api.Dues;
using Fees.Api.Members;
using Fees.Api.Organizations;
using Fees.BankGateway.VietQr;
using Fees.Domain.Banking;
using Fees.Domain.Dues;
using Fees.Domain.Money;
using Fees.Domain.Time;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Fees.Api.Payments;

/// <summary>A dynamic code ready to show: the request and the organization it pays.</summary>
public sealed record PaymentQr(PaymentRequest Request, string OrgCode, string OrgName, string BankName)
{
    public IReadOnlyList<Period> Periods => Request.Periods.Select(Period.Containing).ToList();
}

/// <summary>A member's static code (no amount, standing reference) into the organization they pay now.</summary>
public sealed record StaticQr(string Payload, string Reference, string Purpose, string BankBin, string BankName, string AccountNumber, string AccountName, string OrgCode, string OrgName);

/// <summary>
/// Why no code can be made: an expected outcome, answered as problem details. <paramref name="Errors"/> is set for a
/// malformed request (400), otherwise it is a conflict with the member's dues (409).
/// </summary>
public sealed record PaymentRefusal(int Status, string Code, string Title, IReadOnlyDictionary<string, object?>? Extensions = null, IDictionary<string, string[]>? Errors = null);

/// <summary>
/// Creates or reuses the payment request behind a member's dynamic VietQR code, and builds static codes.
/// "Reuses": the same member asking again for the same outstanding statements and the same total gets the same open
/// request (reloading the page never mints a new reference); another set or total supersedes it.
/// </summary>
public sealed class PaymentRequests(FeesDbContext db, AuditTrail audit, TimeProvider clock, ILogger<PaymentRequests> logger)
{
    /// <summary>How long a dynamic code stays the member's current one before a new reference replaces it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);

    /// <summary>Purpose of a static code: the member's standing reference, then a fixed description (19 ASCII characters).</summary>
    public static string StaticPurpose(long memberId) => PaymentReference.ForMember(memberId).Value + " DANG PHI";

    private const int Attempts = 4;

    /// <summary>
    /// The open request for <paramref name="periodsText"/> (<c>2026-08,2026-09</c>; null or empty: everything outstanding)
    /// of member <paramref name="memberId"/>, created if needed, or why there is none.
    /// </summary>
    public async Task<(PaymentQr? Qr, PaymentRefusal? Refusal)> Open(long memberId, string memberNo, string? periodsText, CurrentUser user, CancellationToken ct)
    {
        if (!TryParsePeriods(periodsText, out var requested, out var parseRefusal))
        {
            return (null, parseRefusal);
        }
        var outstanding = await db.Statements.AsNoTracking()
            .Where(s => s.MemberId == memberId
                && (s.Status == DuesStatementStatus.Issued || s.Status == DuesStatementStatus.PartiallyPaid)
                && s.Amount > s.Paid)
            .OrderBy(s => s.Period)
            .Select(s => new { s.Period, s.OrgId, s.Amount, s.Paid })
            .ToListAsync(ct);

        var chosen = outstanding;
        if (requested is not null)
        {
            var owed = outstanding.Select(s => s.Period).ToHashSet();
            var notOwed = requested.Where(p => !owed.Contains(p.FirstDay)).ToList();
            if (notOwed.Count > 0)
            {
                return (null, new PaymentRefusal(409, "period_not_outstanding",
                    $"Không có khoản đảng phí nào cần nộp cho {string.Join(", ", notOwed.Select(p => p.ToDisplayString()))}.",
                    new Dictionary<string, object?> { ["periods"] = notOwed.Select(p => p.ToString()).ToList() }));
            }
            var wanted = requested.Select(p => p.FirstDay).ToHashSet();
            chosen = outstanding.Where(s => wanted.Contains(s.Period)).ToList();
        }
        if (chosen.Count == 0)
        {
            return (null, new PaymentRefusal(409, "nothing_outstanding", "Đảng viên không còn khoản đảng phí nào cần nộp."));
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
                periods = g.Select(s => Period.Containing(s.Period).ToString()).ToList(),
            }).ToList();
            return (null, new PaymentRefusal(409, "several_collecting_orgs",
                "Các kỳ đảng phí này nộp cho nhiều tổ chức đảng khác nhau (đảng viên đã chuyển sinh hoạt). Vui lòng nộp riêng cho từng tổ chức: "
                + string.Join("; ", perOrg.Select(o => $"{o.orgName}: {string.Join(", ", o.periods)}"))
                + " (chọn kỳ bằng ?periods=).",
                new Dictionary<string, object?> { ["organizations"] = perOrg }));
        }
        var org = orgs[orgIds[0]];
        if (!org.HasBankAccount)
        {
            return (null, NoBankAccount(org));
        }
        long amount = 0;
        foreach (var s in chosen)
        {
            amount = checked(amount + (s.Amount - s.Paid));
        }
        if (Money.Vnd(amount) >= VietQrCodec.AmountCeiling)
        {
            return (null, new PaymentRefusal(409, "amount_too_large", "Tổng số tiền từ 500 triệu đồng trở lên: NAPAS 247 không nhận một giao dịch như vậy. Vui lòng chọn ít kỳ hơn."));
        }
        var periods = chosen.Select(s => s.Period).Order().ToArray();
        string bankName = BankName(org.BankBin!);

        for (int attempt = 1; ; attempt++)
        {
            try
            {
                var request = await OpenOnce(memberId, memberNo, org, amount, periods, user, ct);
                return (new PaymentQr(request, org.Code, org.Name, bankName), null);
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

    private async Task<PaymentRequest> OpenOnce(long memberId, string memberNo, OrgUnit org, long amount, DateOnly[] periods, CurrentUser user, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var open = await db.PaymentRequests.FirstOrDefaultAsync(r => r.MemberId == memberId && r.Status == PaymentRequestStatus.Open, ct);
        if (open is not null && open.IsOpenAt(now) && open.OrgId == org.Id && open.Amount == amount && open.Periods.SequenceEqual(periods)
            && open.BankBin == org.BankBin && open.AccountNumber == org.BankAccount)
        {
            return open;
        }

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        if (open is not null)
        {
            if (open.IsOpenAt(now))
            {
                open.Supersede(now);
            }
            else
            {
                open.Expire(now);
            }
            // Saved first: the unique index allows one open request per member at any moment.
            await db.SaveChangesAsync(ct);
        }

        long id = await db.Database.SqlQuery<long>($"select nextval(pg_get_serial_sequence('payment_requests', 'id')) as \"Value\"").SingleAsync(ct);
        var reference = PaymentReference.NewRequest(id);
        string purpose = PaymentReference.Purpose(reference, periods.Select(Period.Containing));
        string payload = VietQrCodec.Encode(VietQrPayload.Dynamic(org.BankBin!, org.BankAccount!, Money.Vnd(amount), purpose));
        var request = new PaymentRequest
        {
            Id = id,
            MemberId = memberId,
            OrgId = org.Id,
            Amount = amount,
            Reference = reference.Value,
            Periods = periods,
            Purpose = purpose,
            BankBin = org.BankBin!,
            AccountNumber = org.BankAccount!,
            AccountName = org.BankAccountName!,
            Payload = payload,
            CreatedAt = now,
            ExpiresAt = now + Lifetime,
            CreatedBy = user.Username,
        };
        db.PaymentRequests.Add(request);
        audit.Record(user, "payment_request.create", "member", memberNo,
            open is null ? null : new { open.Reference, open.Amount, periods = open.Periods.Select(p => Period.Containing(p).ToString()), status = open.Status.ToCode() },
            new { request.Reference, request.Amount, periods = periods.Select(p => Period.Containing(p).ToString()), orgCode = org.Code, request.Purpose },
            org.Path);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return request;
    }

    /// <summary>The static code of a member, into the organization they pay now (a temporary placement first), or why there is none.</summary>
    public async Task<(StaticQr? Qr, PaymentRefusal? Refusal)> Static(long memberId, CancellationToken ct)
    {
        var today = VietnamTime.Today(clock);
        var org = await (from p in db.Placements.AsNoTracking().InForce(today)
                         join o in db.Orgs.AsNoTracking() on p.OrgId equals o.Id
                         where p.MemberId == memberId
                         orderby p.Kind == PlacementKind.Temporary descending, p.ValidFrom descending
                         select o).FirstOrDefaultAsync(ct);
        if (org is null)
        {
            return (null, new PaymentRefusal(409, "not_placed", "Đảng viên hiện không sinh hoạt tại tổ chức đảng nào."));
        }
        if (!org.HasBankAccount)
        {
            return (null, NoBankAccount(org));
        }
        return (StaticFor(memberId, org), null);
    }

    /// <summary>The static code of <paramref name="memberId"/> into <paramref name="org"/>'s account (which must exist).</summary>
    public static StaticQr StaticFor(long memberId, OrgUnit org)
    {
        string purpose = StaticPurpose(memberId);
        string payload = VietQrCodec.Encode(VietQrPayload.Static(org.BankBin!, org.BankAccount!, purpose));
        return new StaticQr(payload, PaymentReference.ForMember(memberId).Value, purpose, org.BankBin!, BankName(org.BankBin!),
            org.BankAccount!, org.BankAccountName!, org.Code, org.Name);
    }

    public static PaymentRefusal NoBankAccount(OrgUnit org) => new(409, "org_has_no_bank_account",
        $"{org.Name} chưa có tài khoản ngân hàng để nhận đảng phí, nên chưa thể tạo mã QR. Vui lòng nộp trực tiếp cho chi ủy hoặc liên hệ văn phòng cấp ủy.",
        new Dictionary<string, object?> { ["orgCode"] = org.Code });

    public static string BankName(string bin) => NapasBanks.TryFind(bin, out var bank) ? bank.ShortName : bin;

    private static bool TryParsePeriods(string? text, out List<Period>? periods, out PaymentRefusal? refusal)
    {
        periods = null;
        refusal = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        var parsed = new List<Period>();
        var bad = new List<string>();
        foreach (string part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (Period.TryParse(part, out var p))
            {
                parsed.Add(p);
            }
            else
            {
                bad.Add(part);
            }
        }
        if (bad.Count > 0 || parsed.Count == 0)
        {
            refusal = new PaymentRefusal(400, "validation_failed", "Dữ liệu không hợp lệ.", Errors: new Dictionary<string, string[]>
            {
                ["periods"] = [$"Kỳ phải có dạng yyyy-MM, cách nhau bởi dấu phẩy (ví dụ 2026-08,2026-09); không đọc được: {string.Join(", ", bad)}."],
            });
            return false;
        }
        periods = parsed.Distinct().ToList();
        return true;
    }

    private static bool IsRace(Exception e) =>
        e is DbUpdateConcurrencyException
        || (e is DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } });
}
