using System.Diagnostics.CodeAnalysis;
using Fees.Domain.Outcomes;
using Fees.Domain.Rules;

namespace Fees.RuleChecks;

/// <summary>
/// What an auditor asked to run, validated: the laws (one, or all), the seed the cases are generated from, and the
/// number of cases per law. The same plan on the same rule book tries exactly the same cases again.
/// </summary>
/// <param name="SeedChosen">False when the seed was drawn at random for this run (it is still reported, for a replay).</param>
public sealed record RuleCheckPlan(IReadOnlyList<FeeLaw> Laws, ulong Seed, int Cases, bool SeedChosen)
{
    /// <summary>The fewest cases per law an auditor may ask for.</summary>
    public const int MinCases = 1;

    /// <summary>The most cases per law an auditor may ask for.</summary>
    public const int MaxCases = 100_000;

    /// <summary>Cases per law when the auditor does not say.</summary>
    public const int DefaultCases = 500;

    /// <summary>The word that asks for every law (as does no law at all).</summary>
    public const string AllLaws = "all";

    /// <summary>The law id as the audit log records it: the law's id, or <see cref="AllLaws"/>.</summary>
    public string LawId => Laws.Count == 1 ? Laws[0].Id : AllLaws;
}

/// <summary>The results of one run: per law, in the catalogue's order, with the seed and the cases asked for.</summary>
public sealed record RuleCheckReport(ulong Seed, int Cases, IReadOnlyList<LawResult> Results)
{
    public bool Passed => Results.All(r => r.Passed);

    /// <summary><c>failed</c> when a law broke, else <c>stopped</c> when the time budget cut the run short, else <c>passed</c>.</summary>
    public string OutcomeCode =>
        Results.Any(r => r.Outcome == LawOutcome.Failed) ? "failed"
        : Results.Any(r => r.Outcome == LawOutcome.Stopped) ? "stopped"
        : "passed";
}

/// <summary>
/// Runs the fee laws (<see cref="FeeLaws.All"/>, or the laws given) against a rule book (the one in force:
/// <see cref="FeeRuleBook.Default"/>) with the auditor's seed and number of cases, within a time budget. CPU-bound and
/// synchronous; at most <see cref="MaxConcurrentRuns"/> runs at a time in one process, so a crowd of auditors cannot
/// take every core.
/// </summary>
public sealed class RuleCheckRunner
{
    /// <summary>The time a run may take when the caller does not say; then the remaining laws are reported stopped.</summary>
    public static readonly TimeSpan DefaultBudget = TimeSpan.FromSeconds(30);

    private readonly TimeProvider _clock;
    private readonly SemaphoreSlim _gate;

    public RuleCheckRunner(FeeRuleBook rules, TimeProvider clock, IReadOnlyList<FeeLaw>? laws = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(clock);
        Rules = rules;
        _clock = clock;
        Laws = laws ?? FeeLaws.All;
        if (Laws.Select(l => l.Id).Distinct(StringComparer.Ordinal).Count() != Laws.Count)
        {
            throw new ArgumentException("Two laws share an id.", nameof(laws));
        }
        MaxConcurrentRuns = Math.Max(1, Environment.ProcessorCount / 2);
        _gate = new SemaphoreSlim(MaxConcurrentRuns, MaxConcurrentRuns);
    }

    /// <summary>The rule book the laws are checked against.</summary>
    public FeeRuleBook Rules { get; }

    /// <summary>The laws this runner knows, in the order it reports them.</summary>
    public IReadOnlyList<FeeLaw> Laws { get; }

    /// <summary>How many runs may use the processor at once (half the cores, at least one).</summary>
    public int MaxConcurrentRuns { get; }

    /// <summary>
    /// Validates a request. <paramref name="law"/>: a law id, <see cref="RuleCheckPlan.AllLaws"/> or nothing (every law);
    /// <paramref name="seed"/>: any 64-bit value, or nothing for a random one; <paramref name="cases"/>:
    /// <see cref="RuleCheckPlan.MinCases"/>..<see cref="RuleCheckPlan.MaxCases"/>, or nothing for
    /// <see cref="RuleCheckPlan.DefaultCases"/>. A refusal names each bad field (<c>law</c>, <c>cases</c>).
    /// </summary>
    public Outcome<RuleCheckPlan> Plan(string? law, ulong? seed, long? cases)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        IReadOnlyList<FeeLaw> laws = Laws;
        if (!string.IsNullOrWhiteSpace(law) && law != RuleCheckPlan.AllLaws)
        {
            if (FindLaw(law) is { } one)
            {
                laws = [one];
            }
            else
            {
                errors["law"] = [$"Không có quy luật \"{Cut(law)}\". Chọn một trong: {string.Join(", ", Laws.Select(l => l.Id))}, hoặc {RuleCheckPlan.AllLaws}."];
            }
        }
        if (cases is < RuleCheckPlan.MinCases or > RuleCheckPlan.MaxCases)
        {
            errors["cases"] = [$"Số trường hợp của mỗi quy luật phải từ {FeeText.Number(RuleCheckPlan.MinCases)} đến {FeeText.Number(RuleCheckPlan.MaxCases)}."];
        }
        if (errors.Count > 0)
        {
            return Refusal.Invalid(errors);
        }
        return new RuleCheckPlan(laws, seed ?? NewSeed(), (int)(cases ?? RuleCheckPlan.DefaultCases), seed is not null);
    }

    /// <summary>The law with this id, if any.</summary>
    public FeeLaw? FindLaw(string id) => Laws.FirstOrDefault(l => string.Equals(l.Id, id, StringComparison.Ordinal));

    /// <summary>
    /// Runs the plan, waiting for a free slot for at most <paramref name="budget"/> (then a 429 refusal: another run is
    /// using the processor). Within the budget every law of the plan is checked in turn; when it runs out, the law under
    /// way and the ones after it are reported <see cref="LawOutcome.Stopped"/> with the cases they ran.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="ct"/> was cancelled (the caller went away): nobody to report to.</exception>
    public async Task<Outcome<RuleCheckReport>> Run(RuleCheckPlan plan, TimeSpan budget, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        long start = _clock.GetTimestamp();
        if (!await Enter(budget, ct))
        {
            return new Refusal(RefusalKind.TooManyAttempts, "rule_checks_busy",
                "Đang có lượt kiểm tra quy tắc khác; vui lòng thử lại sau ít phút.",
                Details: new Dictionary<string, object?> { ["retryAfterSeconds"] = (int)Math.Ceiling(budget.TotalSeconds) });
        }
        try
        {
            return RunNow(plan, budget, start, ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Takes a slot, waiting at most <paramref name="wait"/> on the injected clock; false when none came free.</summary>
    private async Task<bool> Enter(TimeSpan wait, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(wait, _clock);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            await _gate.WaitAsync(either.Token);
            return true;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Runs the plan on the calling thread, without waiting for a slot (the tests' way).</summary>
    public RuleCheckReport RunNow(RuleCheckPlan plan, TimeSpan budget, CancellationToken ct) => RunNow(plan, budget, _clock.GetTimestamp(), ct);

    private RuleCheckReport RunNow(RuleCheckPlan plan, TimeSpan budget, long start, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plan);
        bool ShouldStop() => ct.IsCancellationRequested || _clock.GetElapsedTime(start) >= budget;
        var results = new List<LawResult>(plan.Laws.Count);
        foreach (var law in plan.Laws)
        {
            results.Add(ShouldStop()
                ? new LawResult(law, LawOutcome.Stopped, 0, plan.Seed, null)
                : law.Run(Rules, plan.Seed, plan.Cases, ShouldStop));
        }
        ct.ThrowIfCancellationRequested();
        return new RuleCheckReport(plan.Seed, plan.Cases, results);
    }

    /// <summary>A random seed over the whole 64-bit range.</summary>
    [SuppressMessage("Security", "CA5394", Justification = "A test seed, not a secret.")]
    private static ulong NewSeed() => unchecked((ulong)Random.Shared.NextInt64(long.MinValue, long.MaxValue));

    private static string Cut(string value) => value.Length <= 60 ? value : string.Concat(value.AsSpan(0, 60), "…");
}
