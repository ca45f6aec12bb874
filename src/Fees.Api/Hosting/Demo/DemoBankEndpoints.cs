using Fees.Api.Payments;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Persistence;
using Fees.Persistence.Payments;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Hosting.Demo;

/// <summary>
/// The demo's simulated transfer (<c>POST /dang-phi/gia-lap-chuyen-khoan</c>, the form beside the member's QR code): the
/// demo bank transfers the code's amount with the code's transfer content into the collecting organization's account,
/// and the member is sent back to <c>/dang-phi</c> to watch the payment arrive. Mapped only when the demo bank is on:
/// anywhere else the path does not exist (404).
/// </summary>
public static class DemoBankEndpoints
{
    public const string SimulatedTransferPath = "/dang-phi/gia-lap-chuyen-khoan";

    public static void MapDemoBank(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        if (!app.ServiceProvider.GetRequiredService<DemoBank>().Enabled)
        {
            return;
        }
        // A form post with the page's antiforgery token (form binding requires it); the session cookie signs the member in.
        app.MapPost(SimulatedTransferPath, async Task<Results<RedirectHttpResult, ForbidHttpResult, ProblemHttpResult>> ([FromForm] string? periods,
            Actor actor, DemoBank bank, PaymentRequestStore requests, FeesDbContext db, TimeProvider clock, CancellationToken ct) =>
        {
            if (actor.MemberId is not { } memberId)
            {
                return TypedResults.Forbid();
            }
            if (!PaymentEndpoints.TryParsePeriods(periods, out var wanted, out var bad))
            {
                return bad;
            }
            var member = await db.Members.AsNoTracking().Where(m => m.Id == memberId).Select(m => new { m.MemberNo, m.FullName }).SingleAsync(ct);
            var qr = await requests.Open(memberId, member.MemberNo, wanted, actor, ct);
            if (!qr.Succeeded)
            {
                // Nothing left to pay (or no account to pay into): the page says which.
                return TypedResults.Redirect("/dang-phi");
            }
            string? bankReference = await bank.Transfer(qr.Value, member.FullName, memberId, clock.GetUtcNow(), ct);
            return TypedResults.Redirect(bankReference is null
                ? "/dang-phi?loi=ngan-hang-gia-lap"
                : "/dang-phi?cho=" + Uri.EscapeDataString(qr.Value.Reference));
        }).RequireAuthorization(Policies.SignedIn).ExcludeFromDescription();
    }
}
