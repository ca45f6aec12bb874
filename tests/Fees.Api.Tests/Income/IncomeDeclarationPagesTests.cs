using System.Net;
using Fees.Api.Tests.Accounts;
using Fees.Testing;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Fees.Api.Tests.Income;

/// <summary>
/// The Vietnamese pages of issue 10 item 7: the member's declaration page (<c>/dang-phi/thu-nhap</c>) and the cell's queue
/// (<c>/to-chuc/{code}/ke-khai-thu-nhap</c>), over HTTP as a browser sends their forms: who may open them, bounded inputs
/// refused with the field's message and nothing stored, a form without its antiforgery token refused, a decision once.
/// </summary>
public sealed class IncomeDeclarationPagesTests(FeesApp app) : IClassFixture<FeesApp>
{
    private const string MemberPage = "/dang-phi/thu-nhap";
    private string QueuePage => $"/to-chuc/{app.Demo.CellCode}/ke-khai-thu-nhap";

    private async Task<HttpClient> SignedIn(string username, string password)
    {
        var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        string form = await client.GetStringAsync("/dang-nhap");
        var response = await client.PostAsync("/dang-nhap", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["username"] = username, ["password"] = password, ["__RequestVerificationToken"] = SameAnswerTests.AntiforgeryToken(form),
        }));
        Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect, response.StatusCode.ToString());
        return client;
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string page, string handler, Dictionary<string, string> fields, bool withToken = true)
    {
        if (withToken)
        {
            fields["__RequestVerificationToken"] = SameAnswerTests.AntiforgeryToken(await client.GetStringAsync(page));
        }
        return await client.PostAsync($"{page}?handler={handler}", new FormUrlEncodedContent(fields));
    }

    private Task<long> Declarations() =>
        app.Scalar($"select count(*) from income_declarations d join members m on m.id = d.member_id where m.member_no = '{app.Demo.CellMemberNo}'");

    [Fact]
    public async Task ThePages_AreForTheMember_AndForStaffInScope()
    {
        var anonymous = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var redirect = await anonymous.GetAsync(MemberPage);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/dang-nhap", redirect.Headers.Location?.OriginalString, StringComparison.Ordinal);

        var member = await SignedIn("dangvien", "dangvien-demo");
        var own = await member.GetAsync(MemberPage);
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        string html = WebUtility.HtmlDecode(await own.Content.ReadAsStringAsync());
        Assert.Contains("Kê khai thu nhập", html, StringComparison.Ordinal);
        Assert.Contains(app.Demo.CellMemberNo, html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, (await member.GetAsync(QueuePage)).StatusCode);

        var treasurer = await SignedIn("thuquy", "thuquy-demo");
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.GetAsync(MemberPage)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await treasurer.GetAsync(QueuePage)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await treasurer.GetAsync("/to-chuc/KHONG-CO/ke-khai-thu-nhap")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await treasurer.GetAsync($"/to-chuc/{app.Demo.SiblingCellCode}/ke-khai-thu-nhap")).StatusCode);
        var auditor = await SignedIn("kiemtra", "kiemtra-demo");
        string readOnly = await auditor.GetStringAsync(QueuePage);
        Assert.DoesNotContain("handler=Confirm", readOnly, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1000000001", "Số tiền phải là số nguyên đồng từ 0 đến 1.000.000.000")]
    [InlineData("-5", "Số tiền phải là số nguyên đồng từ 0 đến 1.000.000.000")]
    [InlineData("bảy triệu", "Số tiền phải là số nguyên đồng, không có dấu chấm hay chữ.")]
    [InlineData("99999999999999999999999", "Số tiền phải là số nguyên đồng, không có dấu chấm hay chữ.")]
    public async Task ADeclarationFormWithABadFigure_Is400_SayingWhy_AndStoresNothing(string siSalary, string message)
    {
        var member = await SignedIn("dangvien", "dangvien-demo");
        var response = await Post(member, MemberPage, "Propose", new() { ["from"] = "2026-12", ["siSalary"] = siSalary, ["note"] = "" });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, await Declarations());
    }

    [Fact]
    public async Task TheMemberDeclares_TheTreasurerConfirmsOnce_AndAFormWithoutItsTokenDoesNothing()
    {
        var member = await SignedIn("dangvien", "dangvien-demo");
        var forged = await Post(member, MemberPage, "Propose", new() { ["from"] = "2026-12", ["siSalary"] = "7000000" }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(0, await Declarations());

        var declared = await Post(member, MemberPage, "Propose", new() { ["from"] = "2026-12", ["siSalary"] = "7000000", ["note"] = "Nâng lương" });
        Assert.Equal(HttpStatusCode.OK, declared.StatusCode);
        Assert.Contains("Đã gửi bản kê khai thu nhập.", WebUtility.HtmlDecode(await declared.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(1, await Declarations());
        // A second one while the first is open: refused, saying what to do.
        var again = await Post(member, MemberPage, "Propose", new() { ["from"] = "2026-12", ["siSalary"] = "7100000" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(1, await Declarations());
        long id = await app.Scalar($"select d.id from income_declarations d join members m on m.id = d.member_id where m.member_no = '{app.Demo.CellMemberNo}'");

        var treasurer = await SignedIn("thuquy", "thuquy-demo");
        var noReason = await Post(treasurer, QueuePage, "Reject", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture), ["reason"] = " " });
        Assert.Equal(HttpStatusCode.BadRequest, noReason.StatusCode);
        var confirmed = await Post(treasurer, QueuePage, "Confirm", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        Assert.Contains($"Đã xác nhận bản kê khai số {id}", WebUtility.HtmlDecode(await confirmed.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        var twice = await Post(treasurer, QueuePage, "Confirm", new() { ["id"] = id.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
        Assert.Equal(1, await app.Scalar($"select count(*) from audit_log where action = 'income_declaration.confirm' and target_id = '{id}'"));
    }
}
