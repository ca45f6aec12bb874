using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Receipts;
using Fees.Persistence.Receipts;
using Fees.Reports.Receipts;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Fees.Api.Receipts;

/// <summary>One period a receipt paid, as the verification answer lists it.</summary>
public sealed record ReceiptPeriodView(string Period, long Amount);

/// <summary>What the public may learn of a genuine receipt: exactly what it prints, less the member's card number.</summary>
public sealed record VerifiedReceiptView(string Number, string OrgCode, string OrgName, string? ParentOrgName, string MemberName, long Amount,
    string AmountInWords, IReadOnlyList<ReceiptPeriodView> Periods, long Credit, string Method, string Collector, DateOnly CollectedOn,
    DateTimeOffset IssuedAt);

/// <summary>
/// The answer to a verification address: <c>{"genuine":true,"receipt":{…}}</c>, or <c>{"genuine":false}</c> and
/// nothing else when it does not verify.
/// </summary>
public sealed record ReceiptVerificationView(bool Genuine,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] VerifiedReceiptView? Receipt)
{
    public static ReceiptVerificationView Of(PaymentReceipt? r) => r is null
        ? new ReceiptVerificationView(false, null)
        : new ReceiptVerificationView(true, new VerifiedReceiptView(r.Number.ToString(), r.Number.OrgCode, r.OrgName, r.ParentOrgName, r.MemberName,
            r.Amount.Dong, r.AmountInWords, r.Periods.Select(p => new ReceiptPeriodView(p.Period.ToString(), p.Amount.Dong)).ToList(), r.Credit.Dong,
            r.Method.ToCode(), r.Collector, r.CollectedOn, r.IssuedAt));
}

/// <summary>
/// Electronic receipts (biên lai): the PDF for the member and for staff in scope, and the public check of a receipt's
/// verification address for programs (the page for people is <c>/bien-lai/xac-minh/…</c>).
/// </summary>
public static class PaymentReceiptEndpoints
{
    public static void MapPaymentReceipts(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/receipts/{receiptId:long}/bien-lai.pdf", Pdf)
            .RequireAuthorization(Policies.SignedIn)
            .ProducesProblems(400, 404)
            .Produces(StatusCodes.Status200OK, typeof(byte[]), ReceiptPdf.ContentType);
        // The same for the pages, which authenticate with the session cookie (never read on /api paths).
        app.MapGet("/bien-lai/{receiptId:long}.pdf", Pdf).RequireAuthorization(Policies.SignedIn).ExcludeFromDescription();
        app.MapGet("/api/receipts/verify/{orgCode}/{year:int}/{number}", Verify).AllowAnonymous();
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Pdf(long receiptId, string? memberNo, HttpContext http, Actor actor,
        PaymentReceipts receipts, IOptions<ReceiptOptions> options, CancellationToken ct)
    {
        if (memberNo is { Length: > 20 })
        {
            return Problems.Field("memberNo", "Số thẻ đảng viên dài quá 20 ký tự.");
        }
        var found = await receipts.ForPrint(receiptId, memberNo, actor, ct);
        if (!found.TryGet(out var issued, out var refusal))
        {
            return Problems.From(refusal);
        }
        byte[] pdf = ReceiptPdf.Render(issued.Receipt, ReceiptLinks.VerificationUrl(issued, http.Request, options.Value));
        var n = issued.Receipt.Number;
        http.Response.Headers.ContentDisposition = $"inline; filename=\"bien-lai-{n.SequenceText}-{n.Year}-{n.OrgCode}.pdf\"";
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(pdf, ReceiptPdf.ContentType);
    }

    private static async Task<Ok<ReceiptVerificationView>> Verify(string orgCode, int year, string number, string? s, HttpContext http,
        PaymentReceipts receipts, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        var found = await receipts.Verify(orgCode, year, number, s, ct);
        return TypedResults.Ok(ReceiptVerificationView.Of(found?.Receipt));
    }
}
