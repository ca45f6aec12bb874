using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Fees.Persistence;
using Fees.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Fees.Api.Tests.Closing;

/// <summary>Steps the close tests share: paying a member's dues through the feed, finding a cell, checking the books.</summary>
internal static class ClosingSteps
{
    /// <summary>Pays everything a member of the cell owes, through the bank feed, with their own QR's reference.</summary>
    public static async Task<long> PayAllOf(this FeesApp app, HttpClient admin, string memberNo)
    {
        var qr = await admin.GetFromJsonAsync<JsonElement>($"/api/members/{memberNo}/payment-qr");
        long amount = qr.GetProperty("amount").GetInt64();
        var account = new OrgAccount(0, "", qr.GetProperty("bankBin").GetString()!, qr.GetProperty("accountNumber").GetString()!);
        var (response, body) = await app.Pay(account, amount, qr.GetProperty("reference").GetString() + " DANG PHI");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("matched", body.GetProperty("status").GetString());
        return amount;
    }

    public static async Task AllChecksPass(this HttpClient admin)
    {
        var checks = await admin.GetFromJsonAsync<JsonElement>("/api/audit/checks");
        var failed = checks.GetProperty("checks").EnumerateArray().Where(c => !c.GetProperty("passed").GetBoolean()).Select(c => c.ToString()).ToList();
        Assert.True(failed.Count == 0, string.Join("\n", failed));
    }

    /// <summary>A cell of the commune other than the demo's two, with an account, a parent with an account, and a member who owes.</summary>
    public static async Task<(string Cell, string Parent, string MemberNo)> AnotherCell(this FeesApp app, string? except = null) => await app.WithScopeAsync(async s =>
    {
        var db = s.GetRequiredService<FeesDbContext>();
        var commune = await db.Orgs.AsNoTracking().SingleAsync(o => o.Code == app.Demo.CommuneCommitteeCode);
        var cells = await db.Orgs.AsNoTracking()
            .Where(o => o.Path.StartsWith(commune.Path) && o.Kind == Fees.Domain.Organizations.OrgKind.Cell && o.BankAccount != null
                        && o.Code != app.Demo.CellCode && o.Code != app.Demo.SiblingCellCode && o.Code != except)
            .OrderBy(o => o.Code).ToListAsync();
        foreach (var cell in cells)
        {
            var parent = await db.Orgs.AsNoTracking().SingleAsync(o => o.Id == cell.ParentId);
            var owing = await db.Statements.AsNoTracking()
                .Where(st => st.OrgId == cell.Id && st.Status == Fees.Domain.Dues.DuesStatementStatus.Issued && st.Amount > Fees.Domain.Amounts.Money.Zero)
                .Select(st => st.MemberId).FirstOrDefaultAsync();
            if (parent.BankAccount is not null && owing != 0)
            {
                var member = await db.Members.AsNoTracking().SingleAsync(m => m.Id == owing);
                return (cell.Code, parent.Code, member.MemberNo);
            }
        }
        throw new InvalidOperationException("The demo commune has no other cell with a member who owes.");
    });
}
