using Fees.Api.Accounts;
using Fees.Api.Database;
using Fees.Api.Dues;
using Fees.Api.Hosting;
using Fees.BankGateway.VietQr;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Payments;

/// <summary>The payment-qr contract: <c>{"payload","amount","reference","bankBin","accountNumber","accountName","periods"}</c> and extras.</summary>
public sealed record PaymentQrView(
    string Payload, long Amount, string Reference, string BankBin, string AccountNumber, string AccountName, IReadOnlyList<string> Periods,
    string Purpose, string BankName, string OrgCode, string OrgName, DateTimeOffset ExpiresAt)
{
    public static PaymentQrView From(PaymentQr qr) => new(
        qr.Request.Payload, qr.Request.Amount, qr.Request.Reference, qr.Request.BankBin, qr.Request.AccountNumber, qr.Request.AccountName,
        qr.Periods.Select(p => p.ToString()).ToList(), qr.Request.Purpose, qr.BankName, qr.OrgCode, qr.OrgName, qr.Request.ExpiresAt);
}

public static class PaymentEndpoints
{
    public const string PngType = "image/png";
    public const string SvgType = "image/svg+xml";

    public static void MapPayments(this IEndpointRouteBuilder app)
    {
        var member = app.MapGroup("/api/members/{memberNo}").RequireAuthorization();
        member.MapGet("/payment-qr", async (string memberNo, string? periods, HttpContext http, FeesDbContext db, PaymentRequests requests, TimeProvider clock, CancellationToken ct) =>
            await Dynamic(memberNo, periods, http, db, requests, clock, qr => Results.Ok(PaymentQrView.From(qr)), ct));
        member.MapGet("/payment-qr.png", async (string memberNo, string? periods, HttpContext http, FeesDbContext db, PaymentRequests requests, TimeProvider clock, CancellationToken ct) =>
            await Dynamic(memberNo, periods, http, db, requests, clock, qr => Image(http, QrImages.Png(qr.Request.Payload), PngType), ct));
        member.MapGet("/payment-qr.svg", async (string memberNo, string? periods, HttpContext http, FeesDbContext db, PaymentRequests requests, TimeProvider clock, CancellationToken ct) =>
            await Dynamic(memberNo, periods, http, db, requests, clock, qr => Image(http, QrImages.Svg(qr.Request.Payload), SvgType), ct));
        member.MapGet("/static-qr", async (string memberNo, HttpContext http, FeesDbContext db, PaymentRequests requests, TimeProvider clock, CancellationToken ct) =>
            await StaticCode(memberNo, http, db, requests, clock, Results.Ok, ct));
        member.MapGet("/static-qr.png", async (string memberNo, HttpContext http, FeesDbContext db, PaymentRequests requests, TimeProvider clock, CancellationToken ct) =>
            await StaticCode(memberNo, http, db, requests, clock, qr => Image(http, QrImages.Png(qr.Payload), PngType), ct));
        member.MapGet("/static-qr.svg", async (string memberNo, HttpContext http, FeesDbContext db, PaymentRequests requests, TimeProvider clock, CancellationToken ct) =>
            await StaticCode(memberNo, http, db, requests, clock, qr => Image(http, QrImages.Svg(qr.Payload), SvgType), ct));

        // The member's own code for the pages: pages authenticate with the session cookie, which /api paths never read.
        app.MapGet("/dang-phi/ma-qr.png", async (string? periods, HttpContext http, PaymentRequests requests, FeesDbContext db, CancellationToken ct) =>
        {
            var user = CurrentUser.From(http.User)!;
            if (user.MemberId is not { } memberId)
            {
                return Results.Forbid();
            }
            string memberNo = await db.Members.Where(m => m.Id == memberId).Select(m => m.MemberNo).SingleAsync(ct);
            var (qr, refusal) = await requests.Open(memberId, memberNo, periods, user, ct);
            return qr is null ? Refused(refusal!) : Image(http, QrImages.Png(qr.Request.Payload), PngType);
        }).RequireAuthorization();
    }

    private static async Task<IResult> Dynamic(string memberNo, string? periods, HttpContext http, FeesDbContext db, PaymentRequests requests, TimeProvider clock,
        Func<PaymentQr, IResult> answer, CancellationToken ct)
    {
        var (memberId, error) = await DuesEndpoints.VisibleMember(memberNo, http, db, clock, ct);
        if (error is not null)
        {
            return error;
        }
        var (qr, refusal) = await requests.Open(memberId, memberNo, periods, CurrentUser.From(http.User)!, ct);
        return qr is null ? Refused(refusal!) : answer(qr);
    }

    private static async Task<IResult> StaticCode(string memberNo, HttpContext http, FeesDbContext db, PaymentRequests requests, TimeProvider clock,
        Func<StaticQr, IResult> answer, CancellationToken ct)
    {
        var (memberId, error) = await DuesEndpoints.VisibleMember(memberNo, http, db, clock, ct);
        if (error is not null)
        {
            return error;
        }
        var (qr, refusal) = await requests.Static(memberId, ct);
        return qr is null ? Refused(refusal!) : answer(qr);
    }

    public static IResult Refused(PaymentRefusal refusal) => refusal.Errors is not null
        ? Problems.Validation(refusal.Errors)
        : Problems.Of(refusal.Status, refusal.Code, refusal.Title, extensions: refusal.Extensions?.ToDictionary(e => e.Key, e => e.Value));

    private static IResult Image(HttpContext http, byte[] bytes, string contentType)
    {
        // The code carries an account and a reference: not for shared caches.
        http.Response.Headers.CacheControl = "private, no-store";
        return Results.File(bytes, contentType);
    }

    private static IResult Image(HttpContext http, string text, string contentType)
    {
        http.Response.Headers.CacheControl = "private, no-store";
        return Results.Text(text, contentType, System.Text.Encoding.UTF8);
    }
}
