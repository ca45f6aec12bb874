using Fees.Api.Hosting;
using Fees.Api.Security;
using Fees.BankGateway.VietQr;
using Fees.Domain.Accounts;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Payments;
using Fees.Persistence.Queries;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Payments;

/// <summary>The payment-qr contract: <c>{"payload","amount","reference","bankBin","accountNumber","accountName","periods"}</c> and extras.</summary>
public sealed record PaymentQrView(
    string Payload, long Amount, string Reference, string BankBin, string AccountNumber, string AccountName, IReadOnlyList<string> Periods,
    string Purpose, string BankName, string OrgCode, string OrgName, DateTimeOffset? ExpiresAt)
{
    public static PaymentQrView From(PaymentQr qr)
    {
        ArgumentNullException.ThrowIfNull(qr);
        return new(qr.Payload, qr.Amount.Dong, qr.Reference, qr.BankBin, qr.AccountNumber, qr.AccountName, qr.Periods.Select(p => p.ToString()).ToList(),
            qr.Purpose, qr.BankName, qr.OrgCode, qr.OrgName, qr.ExpiresAt);
    }
}

public static class PaymentEndpoints
{
    public const string PngType = "image/png";
    public const string SvgType = "image/svg+xml";

    /// <summary>At most this many periods in one <c>?periods=</c> list (three years of months).</summary>
    public const int MaxPeriods = 36;

    public static void MapPayments(this IEndpointRouteBuilder app)
    {
        var member = app.MapGroup("/api/members/{memberNo}").RequireAuthorization(Policies.SignedIn).ProducesProblems(400, 404, 409);
        member.MapGet("/payment-qr", (string memberNo, string? periods, HttpContext http, Actor actor, ScopedLookup lookup, PaymentRequestStore requests, CancellationToken ct) =>
            Dynamic(memberNo, periods, http, actor, lookup, requests, qr => TypedResults.Ok(PaymentQrView.From(qr)), ct))
            .TracesAccess(AccessActions.PaymentQrRead, targetRouteValue: "memberNo");
        member.MapGet("/payment-qr.png", (string memberNo, string? periods, HttpContext http, Actor actor, ScopedLookup lookup, PaymentRequestStore requests, CancellationToken ct) =>
            Dynamic(memberNo, periods, http, actor, lookup, requests, qr => Png(http, qr.Payload), ct))
            .Produces(StatusCodes.Status200OK, typeof(byte[]), PngType)
            .TracesAccess(AccessActions.PaymentQrRead, targetRouteValue: "memberNo");
        member.MapGet("/payment-qr.svg", (string memberNo, string? periods, HttpContext http, Actor actor, ScopedLookup lookup, PaymentRequestStore requests, CancellationToken ct) =>
            Dynamic(memberNo, periods, http, actor, lookup, requests, qr => Svg(http, qr.Payload), ct))
            .Produces(StatusCodes.Status200OK, typeof(string), SvgType)
            .TracesAccess(AccessActions.PaymentQrRead, targetRouteValue: "memberNo");
        member.MapGet("/static-qr", (string memberNo, HttpContext http, Actor actor, ScopedLookup lookup, PaymentRequestStore requests, CancellationToken ct) =>
            StaticCode(memberNo, actor, lookup, requests, qr => TypedResults.Ok(qr), ct))
            .TracesAccess(AccessActions.StaticQrRead, targetRouteValue: "memberNo");
        member.MapGet("/static-qr.png", (string memberNo, HttpContext http, Actor actor, ScopedLookup lookup, PaymentRequestStore requests, CancellationToken ct) =>
            StaticCode(memberNo, actor, lookup, requests, qr => Png(http, qr.Payload), ct))
            .Produces(StatusCodes.Status200OK, typeof(byte[]), PngType)
            .TracesAccess(AccessActions.StaticQrRead, targetRouteValue: "memberNo");
        member.MapGet("/static-qr.svg", (string memberNo, HttpContext http, Actor actor, ScopedLookup lookup, PaymentRequestStore requests, CancellationToken ct) =>
            StaticCode(memberNo, actor, lookup, requests, qr => Svg(http, qr.Payload), ct))
            .Produces(StatusCodes.Status200OK, typeof(string), SvgType)
            .TracesAccess(AccessActions.StaticQrRead, targetRouteValue: "memberNo");

        // The member's own code for the pages: pages authenticate with the session cookie, which /api paths never read.
        app.MapGet("/dang-phi/ma-qr.png", async Task<Results<FileContentHttpResult, ForbidHttpResult, ProblemHttpResult>> (string? periods, HttpContext http,
            Actor actor, PaymentRequestStore requests, FeesDbContext db, CancellationToken ct) =>
        {
            if (actor.MemberId is not { } memberId)
            {
                return TypedResults.Forbid();
            }
            if (!TryParsePeriods(periods, out var wanted, out var bad))
            {
                return bad;
            }
            string memberNo = await db.Members.Where(m => m.Id == memberId).Select(m => m.MemberNo).SingleAsync(ct);
            var qr = await requests.Open(memberId, memberNo, wanted, actor, ct);
            return qr.Succeeded ? Png(http, qr.Value.Payload) : Problems.From(qr.Refusal);
        }).RequireAuthorization(Policies.SignedIn).ExcludeFromDescription()
            .TracesAccess(AccessActions.PaymentQrRead, targetKind: AccessTargetKind.MemberId);
    }

    private static async Task<Results<TResult, ProblemHttpResult>> Dynamic<TResult>(string memberNo, string? periods, HttpContext http, Actor actor,
        ScopedLookup lookup, PaymentRequestStore requests, Func<PaymentQr, TResult> answer, CancellationToken ct)
        where TResult : IResult
    {
        if (!TryParsePeriods(periods, out var wanted, out var bad))
        {
            return bad;
        }
        var found = await lookup.Member(memberNo, actor, ct);
        if (!found.TryGet(out var member, out var refusal))
        {
            return Problems.From(refusal);
        }
        if (!member.Whole)
        {
            // Staff of an organization the member has left make no codes into anyone's account for them.
            return Problems.Forbidden();
        }
        var qr = await requests.Open(member.Id, member.MemberNo, wanted, actor, ct);
        return qr.Succeeded ? answer(qr.Value) : Problems.From(qr.Refusal);
    }

    private static async Task<Results<TResult, ProblemHttpResult>> StaticCode<TResult>(string memberNo, Actor actor, ScopedLookup lookup,
        PaymentRequestStore requests, Func<StaticQr, TResult> answer, CancellationToken ct)
        where TResult : IResult
    {
        var found = await lookup.Member(memberNo, actor, ct);
        if (!found.TryGet(out var member, out var refusal))
        {
            return Problems.From(refusal);
        }
        if (!member.Whole)
        {
            return Problems.Forbidden();
        }
        var qr = await requests.Static(member.Id, ct);
        return qr.Succeeded ? answer(qr.Value) : Problems.From(qr.Refusal);
    }

    /// <summary><c>2026-08,2026-09</c> → the periods; null or empty: everything outstanding.</summary>
    internal static bool TryParsePeriods(string? text, out List<Period>? periods, out ProblemHttpResult bad)
    {
        periods = null;
        bad = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var parsed = new List<Period>();
        var wrong = new List<string>();
        foreach (string part in parts.Take(MaxPeriods + 1))
        {
            if (Period.TryParse(part, out var p))
            {
                parsed.Add(p);
            }
            else
            {
                wrong.Add(Problems.Echo(part));
            }
        }
        if (parts.Length > MaxPeriods)
        {
            bad = Problems.Field("periods", $"Tối đa {MaxPeriods} kỳ trong một lần nộp.");
            return false;
        }
        if (wrong.Count > 0 || parsed.Count == 0)
        {
            bad = Problems.Field("periods", $"Kỳ phải có dạng yyyy-MM, cách nhau bởi dấu phẩy (ví dụ 2026-08,2026-09); không đọc được: {string.Join(", ", wrong)}.");
            return false;
        }
        periods = parsed.Distinct().ToList();
        return true;
    }

    private static FileContentHttpResult Png(HttpContext http, string payload)
    {
        // The code carries an account and a reference: not for shared caches.
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.File(QrImages.Png(payload), PngType);
    }

    private static ContentHttpResult Svg(HttpContext http, string payload)
    {
        http.Response.Headers.CacheControl = "private, no-store";
        return TypedResults.Text(QrImages.Svg(payload), SvgType, System.Text.Encoding.UTF8);
    }
}
