using System.Globalization;
using System.Text;
using Fees.Domain.Amounts;
using Fees.Domain.Text;
using Fees.Domain.Time;

namespace Fees.Domain.Receipts;

/// <summary>What one period's dues got from a receipt.</summary>
public readonly record struct PeriodPayment(Period Period, Money Amount);

/// <summary>
/// An electronic receipt for party dues (biên lai thu đảng phí): everything it prints, as issued. It is a document:
/// once issued it never changes (the organization or the member renamed later, the receipt still prints the names it
/// was issued with), and its signature (<see cref="ReceiptSigningKey"/>) covers <see cref="CanonicalText"/>, the exact
/// list of what it prints.
/// </summary>
/// <remarks>
/// <see cref="Amount"/> is all the member paid with this payment: what went to each period's dues
/// (<see cref="Periods"/>, oldest first) plus what the organization keeps as the member's credit for later periods
/// (<see cref="Credit"/>). <see cref="IssuedAt"/> is kept to the whole second, as the database stores and the text signs it.
/// </remarks>
public sealed record PaymentReceipt
{
    /// <summary>The first line of <see cref="CanonicalText"/>: names the format, so a later layout cannot be confused with this one.</summary>
    public const string CanonicalVersion = "bien-lai-dang-phi/1";

    private PaymentReceipt(ReceiptNumber number, string orgName, string? parentOrgName, string memberNo, string memberName, Money amount,
        IReadOnlyList<PeriodPayment> periods, Money credit, PaymentMethod method, string collector, DateOnly collectedOn, DateTimeOffset issuedAt)
    {
        Number = number;
        OrgName = orgName;
        ParentOrgName = parentOrgName;
        MemberNo = memberNo;
        MemberName = memberName;
        Amount = amount;
        Periods = periods;
        Credit = credit;
        Method = method;
        Collector = collector;
        CollectedOn = collectedOn;
        IssuedAt = issuedAt;
    }

    public ReceiptNumber Number { get; }
    /// <summary>The receiving organization (tên chi bộ / tổ chức đảng thu).</summary>
    public string OrgName { get; }
    /// <summary>The organization above it (tên tổ chức đảng cấp trên), or null at the top.</summary>
    public string? ParentOrgName { get; }
    public string MemberNo { get; }
    public string MemberName { get; }
    public Money Amount { get; }
    public IReadOnlyList<PeriodPayment> Periods { get; }
    public Money Credit { get; }
    public PaymentMethod Method { get; }
    /// <summary>Người thu: <see cref="PaymentMethodCodes.SystemCollector"/> for a bank transfer, the treasurer for cash.</summary>
    public string Collector { get; }
    /// <summary>Ngày thu: the day the money arrived (Vietnam time).</summary>
    public DateOnly CollectedOn { get; }
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The amount in words, as printed: <c>Năm mươi tư nghìn bảy trăm năm mươi sáu đồng</c>.</summary>
    public string AmountInWords => VietnameseNumberWords.Dong(Amount);

    /// <exception cref="ArgumentException">The parts do not make a receipt: a blank name, periods out of order or
    /// repeated, a non-positive amount, or an amount other than the periods plus the credit.</exception>
    public static PaymentReceipt Create(ReceiptNumber number, string orgName, string? parentOrgName, string memberNo, string memberName,
        IReadOnlyList<PeriodPayment> periods, Money credit, PaymentMethod method, string collector, DateOnly collectedOn, DateTimeOffset issuedAt)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(orgName);
        ArgumentException.ThrowIfNullOrWhiteSpace(memberNo);
        ArgumentException.ThrowIfNullOrWhiteSpace(memberName);
        ArgumentException.ThrowIfNullOrWhiteSpace(collector);
        ArgumentNullException.ThrowIfNull(periods);
        if (number.OrgCode is null)
        {
            throw new ArgumentException("The receipt has no number.", nameof(number));
        }
        if (credit.IsNegative)
        {
            throw new ArgumentOutOfRangeException(nameof(credit), credit, "Credit is never negative.");
        }
        for (int i = 0; i < periods.Count; i++)
        {
            if (!periods[i].Amount.IsPositive || (i > 0 && periods[i].Period <= periods[i - 1].Period))
            {
                throw new ArgumentException("Each period is paid a positive amount, and the periods are in order without repeats.", nameof(periods));
            }
        }
        var amount = Money.Sum(periods.Select(p => p.Amount)) + credit;
        if (!amount.IsPositive)
        {
            throw new ArgumentException("A receipt is for a positive amount.", nameof(periods));
        }
        var seconds = issuedAt.ToUniversalTime();
        seconds = seconds.AddTicks(-(seconds.Ticks % TimeSpan.TicksPerSecond));
        return new PaymentReceipt(number, Clean(orgName), parentOrgName is null ? null : Clean(parentOrgName), Clean(memberNo), Clean(memberName),
            amount, periods.ToList(), credit, method, Clean(collector), collectedOn, seconds);
    }

    /// <summary>
    /// The text the signature covers: one <c>key=value</c> line per printed fact, in this order, values in Unicode NFC
    /// with <c>\</c>, line feed and carriage return escaped (<c>\\</c>, <c>\n</c>, <c>\r</c>), amounts in đồng, dates
    /// ISO 8601 in Vietnam time, lines ended by a line feed; UTF-8 when signed. Its first line is
    /// <see cref="CanonicalVersion"/>.
    /// </summary>
    public string CanonicalText()
    {
        var text = new StringBuilder();
        text.Append(CanonicalVersion).Append('\n');
        Line(text, "number", Number.ToString());
        Line(text, "org_code", Number.OrgCode);
        Line(text, "org_name", OrgName);
        Line(text, "parent_org_name", ParentOrgName ?? "");
        Line(text, "year", Number.Year.ToString(CultureInfo.InvariantCulture));
        Line(text, "sequence", Number.Sequence.ToString(CultureInfo.InvariantCulture));
        Line(text, "member_no", MemberNo);
        Line(text, "member_name", MemberName);
        Line(text, "amount", Amount.Dong.ToString(CultureInfo.InvariantCulture));
        Line(text, "periods", string.Join(';', Periods.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Period}={p.Amount.Dong}"))));
        Line(text, "credit", Credit.Dong.ToString(CultureInfo.InvariantCulture));
        Line(text, "method", Method.ToCode());
        Line(text, "collector", Collector);
        Line(text, "collected_on", CollectedOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        Line(text, "issued_at", VietnamTime.ToVietnam(IssuedAt).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
        return text.ToString();
    }

    private static void Line(StringBuilder text, string key, string value)
    {
        text.Append(key).Append('=');
        foreach (char c in value.Normalize(NormalizationForm.FormC))
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '\r' => text.Append(@"\r"),
                _ => text.Append(c),
            };
        }
        text.Append('\n');
    }

    private static string Clean(string value) => value.Trim().Normalize(NormalizationForm.FormC);
}
