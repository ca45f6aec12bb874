using System.Globalization;
using Fees.Api.Hosting;
using Fees.Api.RuleChecks;
using Fees.Api.Security;
using Fees.Domain.Accounts;
using Fees.Domain.Ledger;
using Fees.Domain.Outcomes;
using Fees.Domain.Time;
using Fees.Persistence;
using Fees.Persistence.AccessTrace;
using Fees.Persistence.Auditing;
using Fees.Persistence.Ledger;
using Fees.Persistence.Queries;
using Fees.RuleChecks;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Fees.Api.Pages;

/// <summary>
/// The auditor's page (Ủy ban kiểm tra): the checks of the live books of an organization in scope, the fee laws run
/// with a chosen seed and number of cases, the change audit log with filters, and the access trace (who read which
/// member's records, exported what, signed in) with filters, newest first.
/// </summary>
[Authorize(Policy = Policies.Auditors)]
public sealed class AuditorModel(FeesDbContext db, ScopedLookup lookup, AuditCheckRunner checks, RuleCheckRuns ruleChecks, AuditLogReader auditLog,
    AccessTraceQuery accessTrace) : PageModel
{
    public const string BooksTab = "so-sach";
    public const string LawsTab = "quy-tac";
    public const string LogTab = "nhat-ky";
    public const string AccessTab = "truy-cap";

    /// <summary>Records per page of the audit log.</summary>
    public const int LogPageSize = 50;

    /// <summary>The longest filter value accepted (target type, target id, action).</summary>
    public const int MaxFilterLength = 100;

    /// <summary>The most rows of the access trace one look shows (the newest; narrower filters reach older ones).</summary>
    public const int AccessRowsShown = 200;

    /// <summary>The access trace's actions in Vietnamese, by code (a code missing here is shown as it is).</summary>
    public static readonly IReadOnlyDictionary<string, string> AccessActionTexts = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [AccessActions.MemberRead] = "Xem hồ sơ đảng viên",
        [AccessActions.MemberSearch] = "Tìm, xem danh sách đảng viên",
        [AccessActions.StatementsRead] = "Xem các khoản đảng phí",
        [AccessActions.FeeDecisionsRead] = "Xem quyết định miễn, giảm đảng phí",
        [AccessActions.PaymentQrRead] = "Xem mã QR nộp đảng phí",
        [AccessActions.StaticQrRead] = "Xem, in mã QR tĩnh",
        [AccessActions.DuesPageRead] = "Xem trang đảng phí của mình",
        [AccessActions.TransferRequestsRead] = "Xem đề nghị chuyển sinh hoạt đảng",
        [AccessActions.JournalExport] = "Xuất sổ nhật ký kế toán",
        [AccessActions.SignInSucceeded] = "Đăng nhập thành công",
        [AccessActions.SignInFailed] = "Đăng nhập không thành công",
    };

    public static readonly IReadOnlyList<(string Code, string Title)> Tabs =
    [
        (BooksTab, "Kiểm tra sổ sách"),
        (LawsTab, "Kiểm tra quy tắc tính đảng phí"),
        (LogTab, "Nhật ký thay đổi"),
        (AccessTab, "Nhật ký truy cập"),
    ];

    /// <summary>
    /// The live-book checks in Vietnamese: a name and the law in words, by the check's stable name. A check missing here
    /// is shown with its name and its English law.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, (string Title, string Law)> CheckTexts = new Dictionary<string, (string, string)>(StringComparer.Ordinal)
    {
        [LedgerInvariants.EntriesBalanceName] = ("Bút toán cân bằng",
            "Mỗi bút toán có từ hai dòng trở lên, cân bằng Nợ = Có đến từng đồng, trong sổ của một tổ chức và đúng ngày ghi sổ."),
        [LedgerInvariants.SourcesUniqueName] = ("Mỗi nghiệp vụ ghi sổ một lần",
            "Mỗi sự kiện nguồn (giao dịch ngân hàng, hoàn tiền, khóa sổ, nộp cấp trên) chỉ ghi sổ một lần dù gửi lại bao nhiêu lần; mỗi bút toán chỉ bị đảo tối đa một lần."),
        [BalancesMatchPostingsCheck.Name] = ("Số dư khớp với các dòng ghi sổ",
            "Số dư lũy kế đã lưu của mọi tài khoản bằng tổng các dòng ghi sổ của tài khoản đó."),
        [LedgerInvariants.ReversalsNetToZeroName] = ("Bút toán đảo triệt tiêu",
            "Một bút toán cộng với bút toán đảo của nó bằng 0 trên mọi tài khoản."),
        [LedgerInvariants.ClosesSplitExactlyName] = ("Khóa sổ chia đúng",
            "Với mọi tổ chức và kỳ đã khóa sổ: số đã thu = số được để lại + số nộp cấp trên, đến từng đồng."),
        [LedgerInvariants.MoneyConservedName] = ("Tiền được bảo toàn",
            "Trong toàn bộ phạm vi: số đảng viên đã nộp = số để lại ở các cấp + số phải nộp hoặc đang chuyển lên cấp trên + tiền nộp thừa + tiền chờ xử lý + số chưa khóa sổ; tài khoản ngân hàng chỉ biến động khi nhận tiền, hoàn tiền hoặc nộp cấp trên."),
        [LedgerInvariants.PostingsFollowTheChartName] = ("Ghi đúng hệ thống tài khoản",
            "Mỗi loại nghiệp vụ chỉ ghi vào các tài khoản của loại đó (tiền nhận không ghi vào khoản phải thu, khóa sổ không ghi vào tài khoản ngân hàng)."),
        [Persistence.Dues.StatementsCheck.Name] = ("Sổ đảng phí từng tháng",
            "Số đã nộp của mỗi khoản đảng phí từ 0 đến số phải nộp; khoản đã chuyển đi (chuyển sinh hoạt đảng) được tiếp nối đúng một lần, bằng đúng số còn thiếu; "
            + "khoản bị hủy do lập nhầm có đúng một quyết định hủy và chưa nộp đồng nào."),
        // The bank feed's check (receipts), being merged from main: keyed by its name so this page needs no reference to it.
        ["receipts-booked-once"] = ("Mỗi khoản tiền nhận ghi sổ một lần",
            "Tổng các khoản phân bổ của một giao dịch nhận tiền bằng số đã ghi là đã phân bổ; mỗi giao dịch ngân hàng chỉ ghi sổ một lần, ghi Nợ tài khoản ngân hàng đúng số tiền."),
    };

    public string Tab { get; private set; } = BooksTab;

    /// <summary>Bad inputs of the form shown, by field, in Vietnamese.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    /// <summary>A refusal (not found, outside scope, busy) to show above the tab.</summary>
    public string? Problem { get; private set; }

    // The live books.
    public string? OrgCode { get; private set; }
    public string? CheckedName { get; private set; }
    public IReadOnlyList<AuditCheckResult>? CheckResults { get; private set; }

    // The fee laws.
    public IReadOnlyList<FeeLaw> Laws => ruleChecks.Runner.Laws;
    public string Law { get; private set; } = RuleCheckPlan.AllLaws;
    public string? SeedText { get; private set; }
    public string CasesText { get; private set; } = RuleCheckPlan.DefaultCases.ToString(CultureInfo.InvariantCulture);
    public RuleCheckReport? Report { get; private set; }
    public bool SeedChosen { get; private set; }

    // The change audit log.
    public AuditFilterForm Filter { get; private set; } = new(null, null, null, null, null);
    public AuditLogPage? Log { get; private set; }

    public sealed record AuditFilterForm(string? TargetType, string? TargetId, string? Action, string? From, string? To);

    // The access trace.
    public AccessFilterForm AccessFilter { get; private set; } = new(null, null, null, null, null);
    public IReadOnlyList<AccessTraceRow>? AccessRows { get; private set; }

    public sealed record AccessFilterForm(string? Member, string? User, string? Action, string? From, string? To);

    public async Task<IActionResult> OnGet(string? tab, string? org, bool run, string? targetType, string? targetId, string? action, string? from, string? to,
        int? trang, string? member, string? user, CancellationToken ct)
    {
        var me = User.ToActor()!;
        Tab = Tabs.Any(t => t.Code == tab) ? tab! : BooksTab;
        switch (Tab)
        {
            case BooksTab:
                await Books(me, org, run, ct);
                break;
            case LogTab:
                await ReadLog(me, new AuditFilterForm(Trim(targetType), Trim(targetId), Trim(action), Trim(from), Trim(to)), trang ?? 1, ct);
                break;
            case AccessTab:
                await ReadAccess(me, new AccessFilterForm(Trim(member), Trim(user), Trim(action), Trim(from), Trim(to)), ct);
                break;
        }
        return Page();
    }

    /// <summary>Runs the fee laws (a POST: the run is recorded in the audit log).</summary>
    public async Task<IActionResult> OnPostLaws(string? law, string? seed, string? cases, CancellationToken ct)
    {
        Tab = LawsTab;
        Law = string.IsNullOrWhiteSpace(law) ? RuleCheckPlan.AllLaws : law.Trim();
        SeedText = Trim(seed);
        CasesText = Trim(cases) ?? "";
        ulong? chosenSeed = null;
        if (SeedText is not null)
        {
            if (SeedText.Length <= 20 && ulong.TryParse(SeedText, NumberStyles.None, CultureInfo.InvariantCulture, out ulong s))
            {
                chosenSeed = s;
            }
            else
            {
                Errors["seed"] = "Hạt giống là một số nguyên từ 0 đến 18446744073709551615, hoặc để trống để chọn ngẫu nhiên.";
            }
        }
        long? chosenCases = null;
        if (CasesText.Length > 0)
        {
            if (CasesText.Length <= 9 && long.TryParse(CasesText, NumberStyles.None, CultureInfo.InvariantCulture, out long c))
            {
                chosenCases = c;
            }
            else
            {
                Errors["cases"] = $"Số trường hợp là một số nguyên từ {RuleCheckPlan.MinCases} đến {FeeText.Number(RuleCheckPlan.MaxCases)}.";
            }
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
        }
        else
        {
            var plan = ruleChecks.Runner.Plan(Law, chosenSeed, chosenCases);
            if (!plan.TryGet(out var valid, out var refusal))
            {
                Refused(refusal);
            }
            else
            {
                var outcome = await ruleChecks.Run(User.ToActor()!, valid, ct);
                if (outcome.TryGet(out var report, out var busy))
                {
                    Report = report;
                    SeedChosen = valid.SeedChosen;
                }
                else
                {
                    Refused(busy);
                }
            }
        }
        return Page();
    }

    /// <summary><c>Đạt</c>, <c>Không đạt</c>, <c>Dừng do hết thời gian</c>.</summary>
    public static string OutcomeText(LawOutcome outcome) => outcome switch
    {
        LawOutcome.Passed => "Đạt",
        LawOutcome.Failed => "Không đạt",
        _ => "Dừng do hết thời gian",
    };

    /// <summary>An audit record's time in Vietnam: <c>02/12/2026 10:00:00</c>.</summary>
    public static string Time(DateTimeOffset at) => VietnamTime.ToVietnam(at).ToString("dd/MM/yyyy HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>A role code in Vietnamese, or the code itself when unknown.</summary>
    public static string RoleText(string code) => RoleCodes.TryParse(code, out var role) ? role.ToVietnamese() : code;

    /// <summary>The link to another page of the audit log with the same filters (<c>trang</c>: Razor Pages keeps <c>page</c> for itself).</summary>
    public string LogPageUrl(int page) =>
        Url.Page("/Auditor", new { tab = LogTab, targetType = Filter.TargetType, targetId = Filter.TargetId, action = Filter.Action, from = Filter.From, to = Filter.To, trang = page })!;

    private async Task Books(Actor me, string? org, bool run, CancellationToken ct)
    {
        OrgCode = Trim(org);
        if (OrgCode is null && me.OrgId is { } scopeId)
        {
            OrgCode = await db.Orgs.AsNoTracking().Where(o => o.Id == scopeId).Select(o => o.Code).FirstOrDefaultAsync(ct);
        }
        if (!run)
        {
            return;
        }
        string prefix = me.ScopePrefix;
        CheckedName = "Toàn hệ thống";
        if (OrgCode is not null)
        {
            if (OrgCode.Length > MaxFilterLength)
            {
                Errors["org"] = "Mã tổ chức quá dài.";
                return;
            }
            var found = await lookup.Org(OrgCode, me, ct);
            if (!found.TryGet(out var unit, out var refusal))
            {
                Refused(refusal);
                return;
            }
            prefix = unit.Path;
            CheckedName = unit.Name;
        }
        CheckResults = await checks.RunAll(prefix, ct);
    }

    private async Task ReadLog(Actor me, AuditFilterForm form, int page, CancellationToken ct)
    {
        Filter = new AuditFilterForm(Shown(form.TargetType), Shown(form.TargetId), Shown(form.Action), Shown(form.From), Shown(form.To));
        foreach (var (field, value) in new[] { ("targetType", form.TargetType), ("targetId", form.TargetId), ("action", form.Action) })
        {
            if (value is { Length: > MaxFilterLength })
            {
                Errors[field] = $"Tối đa {MaxFilterLength} ký tự.";
            }
        }
        DateTimeOffset? from = Date(form.From, "from");
        DateTimeOffset? to = Date(form.To, "to") is { } toDay ? toDay.AddDays(1) : null;
        if (page is < 1 or > Paging.MaxPage)
        {
            Errors["trang"] = $"Số trang phải từ 1 đến {Paging.MaxPage}.";
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        Log = await auditLog.Page(me, new AuditLogFilter(form.TargetType, form.TargetId, form.Action, from, to), page, LogPageSize, ct);
    }

    /// <summary>
    /// The access trace within the auditor's scope (an admin's: all of it), newest first, at most
    /// <see cref="AccessRowsShown"/> rows; the filters are checked as <c>GET /api/audit/access</c> checks them, the
    /// days are Vietnam days.
    /// </summary>
    private async Task ReadAccess(Actor me, AccessFilterForm form, CancellationToken ct)
    {
        // Shown back in the form: a value far beyond its bound is cut, never echoed whole.
        AccessFilter = new AccessFilterForm(Shown(form.Member), Shown(form.User), Shown(form.Action), Shown(form.From), Shown(form.To));
        if (form.Member is { } member && (member.Length > 20 || !member.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-')))
        {
            Errors["member"] = "Số thẻ đảng viên có tối đa 20 ký tự: chữ số, chữ cái, dấu chấm hoặc gạch ngang.";
        }
        if (form.User is { } user && (user.Length > MaxFilterLength || user.Any(char.IsControl)))
        {
            Errors["user"] = $"Tên đăng nhập có tối đa {MaxFilterLength} ký tự.";
        }
        if (form.Action is { } action && (action.Length > 50 || !action.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_')))
        {
            Errors["action"] = "Mã thao tác có tối đa 50 ký tự: chữ thường, chữ số, dấu chấm hoặc gạch dưới (ví dụ statements.read).";
        }
        DateTimeOffset? from = Date(form.From, "from");
        DateTimeOffset? to = Date(form.To, "to") is { } toDay ? toDay.AddDays(1) : null;
        if (from is not null && to is not null && to <= from)
        {
            Errors["to"] = "Ngày kết thúc không được trước ngày bắt đầu.";
        }
        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        AccessRows = await accessTrace.Read(new AccessTraceFilter(form.Member, form.User, form.Action, from, to, AccessRowsShown), me, ct);
    }

    /// <summary>An access-trace target type in Vietnamese (đảng viên, tổ chức đảng, tài khoản), or as stored when unknown.</summary>
    public static string? AccessTargetText(string? type) => type switch
    {
        AccessTargetTypes.Member => "Đảng viên",
        AccessTargetTypes.Org => "Tổ chức đảng",
        AccessTargetTypes.User => "Tài khoản",
        _ => type,
    };

    /// <summary>An access-trace action in Vietnamese, or its code when unknown.</summary>
    public static string AccessActionText(string code) => AccessActionTexts.TryGetValue(code, out string? text) ? text : code;

    /// <summary>A <c>yyyy-MM-dd</c> day as the instant it starts in Vietnam; a bad one is an error on <paramref name="field"/>.</summary>
    private DateTimeOffset? Date(string? text, string field)
    {
        if (text is null)
        {
            return null;
        }
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            return VietnamTime.StartOf(day);
        }
        Errors[field] = "Ngày phải có dạng yyyy-MM-dd.";
        return null;
    }

    /// <summary>Shows a refusal: its bad fields beside the form, anything else above it; the page answers with the refusal's status.</summary>
    private void Refused(Refusal refusal)
    {
        if (refusal.Errors is { Count: > 0 } errors)
        {
            foreach (var (field, messages) in errors)
            {
                Errors[field] = string.Join(" ", messages);
            }
        }
        else
        {
            Problem = refusal.Title;
        }
        Response.StatusCode = Problems.StatusOf(refusal.Kind);
    }

    private static string? Shown(string? value) => value is { Length: > MaxFilterLength } ? value[..MaxFilterLength] : value;

    private static string? Trim(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
