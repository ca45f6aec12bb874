using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using FakeBank.Banking;
using FakeBank.Time;

namespace FakeBank.Endpoints;

/// <summary>The page a person sees at <c>/</c> in the demo: the bank's accounts, its latest transactions and webhook attempts, in Vietnamese.</summary>
internal static class HomePage
{
    private const int Shown = 50;

    // Escapes markup characters only: Vietnamese letters stay readable in the page source (WebUtility would turn ã into &#227;).
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    public static void MapHomePage(this WebApplication app) =>
        app.MapGet("/", (Ledger ledger, BankClock clock) => Results.Content(Render(ledger, clock), "text/html; charset=utf-8"));

    private static string Render(Ledger ledger, BankClock clock)
    {
        var html = new StringBuilder();
        html.Append("""
            <!DOCTYPE html>
            <html lang="vi">
            <head>
            <meta charset="utf-8">
            <meta http-equiv="refresh" content="5">
            <title>Ngân hàng giả lập</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem; color: #1d2733; }
            h1 { margin-bottom: 0.2rem; }
            p.note { color: #5a6b7d; margin-top: 0; }
            table { border-collapse: collapse; margin: 0.5rem 0 2rem; width: 100%; }
            th, td { border: 1px solid #d5dde6; padding: 0.35rem 0.6rem; text-align: left; vertical-align: top; }
            th { background: #eef3f8; }
            td.amount { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
            td.nowrap { white-space: nowrap; }
            td.in { color: #1a7f37; }
            td.out { color: #b42318; }
            code { font-size: 0.9em; }
            .empty { color: #5a6b7d; font-style: italic; }
            </style>
            </head>
            <body>
            <h1>Ngân hàng giả lập</h1>
            """);
        html.Append(CultureInfo.InvariantCulture,
            $"<p class=\"note\">Dùng cho thử nghiệm và trình diễn: không có tiền thật. Giờ ngân hàng: {E(VietnamTime.Wall(clock.UtcNow))} (giờ Việt Nam). Trang tự làm mới sau 5 giây.</p>");
        ledger.Read(v =>
        {
            html.Append("<h2>Tài khoản</h2>");
            var accounts = v.Accounts.OrderBy(a => a.Id).ToList();
            if (accounts.Count == 0)
            {
                html.Append("<p class=\"empty\">Chưa có tài khoản nào.</p>");
            }
            else
            {
                html.Append("<table><tr><th>Ngân hàng</th><th>Số tài khoản</th><th>Chủ tài khoản</th><th>Số dư</th><th>Được theo dõi bởi</th></tr>");
                foreach (var a in accounts)
                {
                    html.Append(CultureInfo.InvariantCulture,
                        $"<tr><td>{E(BankDirectory.Find(a.Bin).ShortName)} ({E(a.Bin)})</td><td><code>{E(a.Number)}</code></td><td>{E(a.Name)}</td><td class=\"amount\">{Dong(a.Balance)}</td><td>{E(string.Join(", ", a.WatchedBy.Select(p => p.Name())))}</td></tr>");
                }
                html.Append("</table>");
            }

            html.Append("<h2>Giao dịch gần đây</h2>");
            var transactions = v.Transactions.Reverse().Take(Shown).ToList();
            if (transactions.Count == 0)
            {
                html.Append("<p class=\"empty\">Chưa có giao dịch nào.</p>");
            }
            else
            {
                html.Append("<table><tr><th>Thời gian</th><th>Mã tham chiếu</th><th>Tài khoản</th><th>Số tiền</th><th>Số dư sau</th><th>Nội dung người chuyển gửi</th><th>Nội dung ngân hàng ghi</th><th>Gửi thông báo</th></tr>");
                foreach (var t in transactions)
                {
                    string chains = string.Join("<br>", v.Chains[t.Sequence].Select(c => $"{E(c.Provider)}: {E(ChainState(c.State))} ({c.Attempts} lần)"));
                    string sign = t.Direction == BankTransaction.Out ? "out" : "in";
                    html.Append(CultureInfo.InvariantCulture,
                        $"<tr><td class=\"nowrap\">{E(VietnamTime.Wall(t.BookedAt))}</td><td><code>{E(t.BankReference)}</code></td><td><code>{E(t.AccountNumber)}</code></td><td class=\"amount {sign}\">{(t.Direction == BankTransaction.Out ? "−" : "+")}{Dong(t.Amount)}</td><td class=\"amount\">{Dong(t.BalanceAfter)}</td><td>{E(t.OriginalContent)}</td><td><code>{E(t.Content)}</code></td><td class=\"nowrap\">{(chains.Length == 0 ? "không gửi" : chains)}</td></tr>");
                }
                html.Append("</table>");
            }

            html.Append("<h2>Các lần gửi thông báo (webhook) gần đây</h2>");
            var attempts = v.Attempts.Reverse().Take(Shown).ToList();
            if (attempts.Count == 0)
            {
                html.Append("<p class=\"empty\">Chưa gửi thông báo nào.</p>");
            }
            else
            {
                html.Append("<table><tr><th>Lúc</th><th>Bên gửi</th><th>Mã giao dịch</th><th>Bản</th><th>Lần</th><th>Kết quả</th><th>Địa chỉ</th></tr>");
                foreach (var a in attempts)
                {
                    string result = a.StatusCode is { } status
                        ? $"HTTP {status.ToString(CultureInfo.InvariantCulture)} — {Outcome(a.Outcome)}"
                        : $"{Outcome(a.Outcome)}: {a.Error}";
                    html.Append(CultureInfo.InvariantCulture,
                        $"<tr><td>{E(VietnamTime.Wall(a.StartedAt))}</td><td>{E(a.Provider)}</td><td><code>{E(a.TransactionId)}</code></td><td>{a.Copy}</td><td>{a.Attempt}</td><td>{E(result)}</td><td><code>{E(a.Url)}</code></td></tr>");
                }
                html.Append("</table>");
            }
            return 0;
        });
        html.Append("</body></html>");
        return html.ToString();
    }

    private static string ChainState(string state) => state switch
    {
        "scheduled" => "đang gửi",
        "delivered" => "đã nhận",
        "gaveUp" => "bỏ cuộc",
        "cancelled" => "đã hủy",
        "noTarget" => "chưa cấu hình địa chỉ",
        _ => state,
    };

    private static string Outcome(string outcome) => outcome switch
    {
        "delivered" => "thành công",
        "failed" => "thất bại",
        "dropped" => "cố ý không gửi",
        "ignored" => "cố ý bỏ qua trả lời",
        _ => outcome,
    };

    /// <summary>Vietnamese money: dots between thousands, then <c>₫</c> (<c>1.234.567 ₫</c>).</summary>
    private static string Dong(long amount) =>
        amount.ToString("#,0", CultureInfo.InvariantCulture).Replace(',', '.') + " ₫";

    private static string E(string? text) => Html.Encode(text ?? "");
}
