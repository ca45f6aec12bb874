using Fees.Domain.Amounts;
using Fees.Domain.Outcomes;
using Fees.Domain.Rules;
using Fees.Domain.Time;
using Stateless;

namespace Fees.Domain.Members;

/// <summary>Where an <see cref="IncomeDeclaration"/> is in its life. Stored as the lower-case code.</summary>
public enum IncomeDeclarationStatus
{
    /// <summary><c>proposed</c>: the member declared it; it waits for the cell. At most one per member (a unique partial index).</summary>
    Proposed,
    /// <summary><c>confirmed</c>: the treasurer (or office staff in scope) confirmed it; its figures are the member's income data.</summary>
    Confirmed,
    /// <summary><c>rejected</c>: the treasurer did not confirm it, and said why.</summary>
    Rejected,
    /// <summary><c>withdrawn</c>: the member took it back before anyone decided.</summary>
    Withdrawn,
}

public static class IncomeDeclarationStatusCodes
{
    public static string ToCode(this IncomeDeclarationStatus status) => status switch
    {
        IncomeDeclarationStatus.Proposed => "proposed",
        IncomeDeclarationStatus.Confirmed => "confirmed",
        IncomeDeclarationStatus.Rejected => "rejected",
        IncomeDeclarationStatus.Withdrawn => "withdrawn",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToVietnamese(this IncomeDeclarationStatus status) => status switch
    {
        IncomeDeclarationStatus.Proposed => "Chờ chi ủy xác nhận",
        IncomeDeclarationStatus.Confirmed => "Đã xác nhận",
        IncomeDeclarationStatus.Rejected => "Không được xác nhận",
        IncomeDeclarationStatus.Withdrawn => "Đã rút lại",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static IncomeDeclarationStatus Parse(string code) => code switch
    {
        "proposed" => IncomeDeclarationStatus.Proposed,
        "confirmed" => IncomeDeclarationStatus.Confirmed,
        "rejected" => IncomeDeclarationStatus.Rejected,
        "withdrawn" => IncomeDeclarationStatus.Withdrawn,
        _ => throw new InvalidOperationException($"Unknown income declaration status '{code}'"),
    };
}

/// <summary>
/// Income a member declares to their cell (Quy định 01-QĐ/TW: members report their income honestly to the cell): the SI
/// salary, SI benefit and pension of the month <see cref="From"/> and every month after it, with a note. The member
/// proposes; the treasurer of the member's cell (or office staff in scope) confirms or rejects it, giving a reason; the
/// member may withdraw it until then. A confirmed declaration becomes the member's income data from
/// <see cref="From"/> on (as an import row would, with its source recorded), so dues generated from then on use it;
/// a statement already issued never changes.
/// </summary>
/// <remarks>
/// The figures are the whole picture of the month, as one row of the income import is: a figure left out means
/// "none". At least one is given; each is 0 … <see cref="FeeLimits.MaxMonthlyIncome"/> đồng.
/// </remarks>
public sealed class IncomeDeclaration
{
    /// <summary>The longest note or rejection reason kept (characters).</summary>
    public const int MaxTextLength = 500;

    private StateMachine<IncomeDeclarationStatus, Trigger>? _machine;

    private IncomeDeclaration()
    {
    }

    private enum Trigger
    {
        Confirm,
        Reject,
        Withdraw,
    }

    public long Id { get; private set; }
    public long MemberId { get; private set; }
    /// <summary>The first month the figures are the member's income for (the dues of the month after it use them).</summary>
    public Period From { get; private set; }
    public Money? SiSalary { get; private set; }
    public Money? SiBenefit { get; private set; }
    public Money? Pension { get; private set; }
    /// <summary>The member's note (why the income changed), trimmed; null when none.</summary>
    public string? Note { get; private set; }
    public IncomeDeclarationStatus Status { get; private set; }
    public string ProposedBy { get; private set; } = "";
    public DateTimeOffset ProposedAt { get; private set; }
    /// <summary>Who confirmed, rejected or withdrew it.</summary>
    public string? DecidedBy { get; private set; }
    public DateTimeOffset? DecidedAt { get; private set; }
    public string? RejectionReason { get; private set; }

    public bool CanConfirm => Machine.CanFire(Trigger.Confirm);
    public bool CanReject => Machine.CanFire(Trigger.Reject);
    public bool CanWithdraw => Machine.CanFire(Trigger.Withdraw);

    /// <summary>The income data source a confirmed declaration leaves on the months it set: <c>declared:{id}</c>.</summary>
    public string Source => SourceOf(Id);

    private StateMachine<IncomeDeclarationStatus, Trigger> Machine => _machine ??= Configure(new(() => Status, s => Status = s));

    /// <summary>The source code of declaration <paramref name="id"/>'s figures in the income data.</summary>
    public static string SourceOf(long id) => "declared:" + id.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// A member's proposal, checked: <paramref name="from"/> is <c>yyyy-MM</c>, not before <see cref="Period.FirstOnSystem"/>
    /// and not after the month after <paramref name="current"/>; each figure is whole đồng within bounds and at least one is
    /// given; the note is at most <see cref="MaxTextLength"/> characters without control characters. A bad field is
    /// refused (400), naming it.
    /// </summary>
    public static Outcome<IncomeDeclaration> Propose(long memberId, string? from, long? siSalary, long? siBenefit, long? pension, string? note,
        string proposedBy, Period current, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(proposedBy);
        var errors = new Dictionary<string, string[]>();
        var latest = current.Next;
        if (!Period.TryParse(from, out var period))
        {
            errors["from"] = ["Tháng áp dụng phải có dạng yyyy-MM (ví dụ 2026-12)."];
        }
        else if (period < Period.FirstOnSystem || period > latest)
        {
            errors["from"] = [$"Tháng áp dụng phải từ {Period.FirstOnSystem} đến {latest}."];
        }
        CheckAmount(errors, "siSalary", siSalary);
        CheckAmount(errors, "siBenefit", siBenefit);
        CheckAmount(errors, "pension", pension);
        if (siSalary is null && siBenefit is null && pension is null)
        {
            errors["siSalary"] = ["Cần kê khai ít nhất một khoản: tiền lương làm căn cứ đóng BHXH, trợ cấp BHXH hoặc lương hưu."];
        }
        if (CheckText(note, "Ghi chú") is { } bad)
        {
            errors["note"] = [bad];
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        return new IncomeDeclaration
        {
            MemberId = memberId, From = period, SiSalary = Dong(siSalary), SiBenefit = Dong(siBenefit), Pension = Dong(pension), Note = Tidy(note),
            Status = IncomeDeclarationStatus.Proposed, ProposedBy = proposedBy, ProposedAt = now,
        };
    }

    /// <summary>A declaration as stored (no checks: the database's constraints hold the same bounds).</summary>
    public static IncomeDeclaration Restore(long id, long memberId, Period from, Money? siSalary, Money? siBenefit, Money? pension, string? note,
        IncomeDeclarationStatus status, string proposedBy, DateTimeOffset proposedAt, string? decidedBy, DateTimeOffset? decidedAt, string? rejectionReason) =>
        new()
        {
            Id = id, MemberId = memberId, From = from, SiSalary = siSalary, SiBenefit = siBenefit, Pension = pension, Note = note, Status = status,
            ProposedBy = proposedBy, ProposedAt = proposedAt, DecidedBy = decidedBy, DecidedAt = decidedAt, RejectionReason = rejectionReason,
        };

    /// <summary>The cell confirms it: its figures become the member's income data from <see cref="From"/> on.</summary>
    public Outcome<Done> Confirm(string by, DateTimeOffset now) => Decide(Trigger.Confirm, by, now, null);

    /// <summary>The cell does not confirm it; <paramref name="reason"/> is required (the member reads it).</summary>
    public Outcome<Done> Reject(string by, string? reason, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(reason))
        {
            return Refusal.Field("reason", "Cần ghi lý do không xác nhận để đảng viên biết.");
        }
        if (CheckText(reason, "Lý do") is { } bad)
        {
            return Refusal.Field("reason", bad);
        }
        return Decide(Trigger.Reject, by, now, Tidy(reason));
    }

    /// <summary>The member takes it back before the cell decides.</summary>
    public Outcome<Done> Withdraw(string by, DateTimeOffset now) => Decide(Trigger.Withdraw, by, now, null);

    private Outcome<Done> Decide(Trigger trigger, string by, DateTimeOffset now, string? reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(by);
        if (!Machine.CanFire(trigger))
        {
            return Refusal.Conflict("declaration_closed", $"Bản kê khai này đã ở trạng thái \"{Status.ToVietnamese()}\": không thể {Verb(trigger)} nữa.");
        }
        Machine.Fire(trigger);
        DecidedBy = by;
        DecidedAt = now;
        RejectionReason = reason;
        return Done.Value;
    }

    private static string Verb(Trigger trigger) => trigger switch
    {
        Trigger.Confirm => "xác nhận",
        Trigger.Reject => "từ chối",
        _ => "rút lại",
    };

    /// <summary>Every move the lifecycle allows, as (from, to) pairs: the table the tests and the docs read.</summary>
    public static IReadOnlyList<(IncomeDeclarationStatus From, IncomeDeclarationStatus To)> Transitions { get; } =
        Configure(new StateMachine<IncomeDeclarationStatus, Trigger>(IncomeDeclarationStatus.Proposed)).GetInfo().States
            .SelectMany(state => state.FixedTransitions.Select(t =>
                ((IncomeDeclarationStatus)state.UnderlyingState, (IncomeDeclarationStatus)t.DestinationState.UnderlyingState)))
            .ToList();

    private static StateMachine<IncomeDeclarationStatus, Trigger> Configure(StateMachine<IncomeDeclarationStatus, Trigger> m)
    {
        m.Configure(IncomeDeclarationStatus.Proposed)
            .Permit(Trigger.Confirm, IncomeDeclarationStatus.Confirmed)
            .Permit(Trigger.Reject, IncomeDeclarationStatus.Rejected)
            .Permit(Trigger.Withdraw, IncomeDeclarationStatus.Withdrawn);
        // Confirmed, rejected and withdrawn are final: a changed income is a new declaration.
        m.Configure(IncomeDeclarationStatus.Confirmed);
        m.Configure(IncomeDeclarationStatus.Rejected);
        m.Configure(IncomeDeclarationStatus.Withdrawn);
        m.OnUnhandledTrigger((state, trigger) => throw new InvalidOperationException(
            $"An income declaration in status '{state.ToCode()}' cannot take '{trigger}'."));
        return m;
    }

    private static void CheckAmount(Dictionary<string, string[]> errors, string field, long? dong)
    {
        if (dong is { } d && (d < 0 || d > FeeLimits.MaxMonthlyIncome.Dong))
        {
            errors[field] = [$"Số tiền phải là số nguyên đồng từ 0 đến {FeeLimits.MaxMonthlyIncome.ToDisplayString()}."];
        }
    }

    /// <summary>Why a free text is refused, or null when it is fine (empty is fine: required-ness is the caller's).</summary>
    private static string? CheckText(string? text, string label)
    {
        if (text is null)
        {
            return null;
        }
        if (text.Length > MaxTextLength)
        {
            return $"{label} tối đa {MaxTextLength} ký tự.";
        }
        return text.Any(char.IsControl) ? $"{label} không được chứa ký tự điều khiển (xuống dòng, tab…)." : null;
    }

    private static string? Tidy(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    private static Money? Dong(long? dong) => dong is { } d ? Money.Vnd(d) : null;
}
