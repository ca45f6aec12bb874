using Fees.Domain.Rules;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.FSharp.Core;

namespace Fees.RuleChecks;

/// <summary>How one case broke a law: what the law expected, what the calculator gave, and the rules that took part.</summary>
public sealed record LawBreach(string Expected, string Actual, IReadOnlyList<string> RuleIds)
{
    /// <summary>The calculator (or the law's own arithmetic) threw: that breaks every law.</summary>
    public static LawBreach Threw(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new("Tính được kết quả, không lỗi", $"lỗi {error.GetType().Name}: {error.Message}", []);
    }
}

/// <summary>
/// The smallest failing case FsCheck found, in Vietnamese: the case's inputs with their labels, what the law expected
/// and what the calculator gave, the rule ids that took part, and how many shrinking steps led to it.
/// </summary>
public sealed record Counterexample(IReadOnlyList<CaseValue> Inputs, string Expected, string Actual, IReadOnlyList<string> RuleIds, int Shrinks)
{
    /// <summary>One paragraph: <c>Với Kỳ đảng phí: tháng 8/2026; …: cần …; thực tế … (quy định FR-01, FR-12).</c></summary>
    public string ToText() =>
        "Với " + string.Join("; ", Inputs.Select(i => $"{i.Label}: {i.Value}")) + $": cần {Expected}; thực tế {Actual}"
        + (RuleIds.Count > 0 ? $" (quy định {string.Join(", ", RuleIds)})." : ".");
}

/// <summary>What a run of one law concluded.</summary>
public enum LawOutcome
{
    /// <summary>Every case asked for held.</summary>
    Passed,
    /// <summary>A case broke the law; the result carries the smallest counterexample.</summary>
    Failed,
    /// <summary>The time budget ran out before every case was tried: neither proven over the cases asked for, nor broken.</summary>
    Stopped,
}

/// <summary>The result of checking one law: the outcome, the cases actually run, the seed, and for a failure the counterexample.</summary>
public sealed record LawResult(FeeLaw Law, LawOutcome Outcome, int Cases, ulong Seed, Counterexample? Counterexample)
{
    public bool Passed => Outcome == LawOutcome.Passed;

    /// <summary><c>passed</c>, <c>failed</c> or <c>stopped</c>.</summary>
    public string OutcomeCode => Outcome switch
    {
        LawOutcome.Passed => "passed",
        LawOutcome.Failed => "failed",
        _ => "stopped",
    };
}

/// <summary>
/// A law every fee quote obeys, stated in plain words in Vietnamese (<see cref="Statement"/>) and English
/// (<see cref="StatementEn"/>), with a check that FsCheck runs on generated cases (<see cref="FeeArbitraries"/>).
/// The catalogue is <see cref="FeeLaws.All"/>; <see cref="RuleCheckRunner"/> runs them.
/// </summary>
public abstract class FeeLaw
{
    /// <summary>How many further cases are drawn (and set aside) once a run must stop, before FsCheck gives up.</summary>
    private const int RejectedWhenStopping = 20;

    private protected FeeLaw(string id, string title, string statement, string statementEn, IReadOnlyList<string> ruleIds)
    {
        Id = id;
        Title = title;
        Statement = statement;
        StatementEn = statementEn;
        RuleIds = ruleIds;
    }

    /// <summary>A stable id for the API, the audit log and the page: <c>fee-never-negative</c>.</summary>
    public string Id { get; }

    /// <summary>A short Vietnamese name: <c>Đảng phí không âm</c>.</summary>
    public string Title { get; }

    /// <summary>The law in plain Vietnamese words.</summary>
    public string Statement { get; }

    /// <summary>The law in plain English words.</summary>
    public string StatementEn { get; }

    /// <summary>The rules (docs/fee-rules.md) the law is about.</summary>
    public IReadOnlyList<string> RuleIds { get; }

    /// <summary>
    /// Checks the law on <paramref name="cases"/> cases generated from <paramref name="seed"/> under
    /// <paramref name="rules"/>. Once <paramref name="shouldStop"/> says so, the remaining cases (and shrinking steps) are
    /// set aside and the law is reported <see cref="LawOutcome.Stopped"/> (or failed with the smallest case found so far).
    /// </summary>
    public LawResult Run(FeeRuleBook rules, ulong seed, int cases, Func<bool> shouldStop)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(shouldStop);
        ArgumentOutOfRangeException.ThrowIfLessThan(cases, 1);
        var runner = new CapturingRunner();
        var config = Config.Quick
            .WithName(Id)
            .WithMaxTest(cases)
            .WithMaxRejected(RejectedWhenStopping)
            .WithReplay(FSharpOption<Replay>.Some(new Replay(new Rnd(seed), FSharpOption<int>.None)))
            .WithRunner(runner);
        Check.One(config, Property(rules, shouldStop));
        return runner.Result switch
        {
            TestResult.Passed passed => new LawResult(this, LawOutcome.Passed, passed.Item1.NumberOfTests, seed, null),
            TestResult.Exhausted exhausted => new LawResult(this, LawOutcome.Stopped, exhausted.Item.NumberOfTests, seed, null),
            TestResult.Failed failed => new LawResult(this, LawOutcome.Failed, failed.Item1.NumberOfTests, seed,
                Explain(failed.Item3.Head, rules, failed.Item1.NumberOfShrinks, failed.Item4)),
            _ => throw new InvalidOperationException($"FsCheck reported nothing for {Id}."),
        };
    }

    /// <summary>The FsCheck property: every case not set aside holds.</summary>
    private protected abstract Property Property(FeeRuleBook rules, Func<bool> shouldStop);

    /// <summary>The failing case in Vietnamese.</summary>
    private protected abstract Counterexample Explain(object failingCase, FeeRuleBook rules, int shrinks, Outcome outcome);

    /// <summary>Keeps FsCheck's verdict instead of printing it.</summary>
    private sealed class CapturingRunner : IRunner
    {
        public TestResult? Result { get; private set; }

        public void OnStartFixture(Type t)
        {
        }

        public void OnArguments(int ntest, Microsoft.FSharp.Collections.FSharpList<object> args, FSharpFunc<int, FSharpFunc<Microsoft.FSharp.Collections.FSharpList<object>, string>> every)
        {
        }

        public void OnShrink(Microsoft.FSharp.Collections.FSharpList<object> args, FSharpFunc<Microsoft.FSharp.Collections.FSharpList<object>, string> everyShrink)
        {
        }

        public void OnFinished(string name, TestResult testResult) => Result = testResult;
    }
}

/// <summary>A law over cases of type <typeparamref name="TCase"/>.</summary>
public sealed class FeeLaw<TCase> : FeeLaw
    where TCase : notnull
{
    private readonly Func<TCase, FeeRuleBook, LawBreach?> _check;
    private readonly Func<TCase, IReadOnlyList<CaseValue>> _describe;

    /// <param name="cases">The generator (and shrinker) of the cases the law is tried on.</param>
    /// <param name="check">Null when the law holds for the case under the rule book; else how it broke.</param>
    /// <param name="describe">The case's inputs with Vietnamese labels.</param>
    public FeeLaw(string id, string title, string statement, string statementEn, IReadOnlyList<string> ruleIds,
        Arbitrary<TCase> cases, Func<TCase, FeeRuleBook, LawBreach?> check, Func<TCase, IReadOnlyList<CaseValue>> describe)
        : base(id, title, statement, statementEn, ruleIds)
    {
        Cases = cases;
        _check = check;
        _describe = describe;
    }

    /// <summary>What the law is tried on.</summary>
    public Arbitrary<TCase> Cases { get; }

    /// <summary>Null when the law holds for <paramref name="c"/>; else how it broke (an exception is a breach too).</summary>
    public LawBreach? Check(TCase c, FeeRuleBook rules)
    {
        try
        {
            return _check(c, rules);
        }
        catch (Exception e) when (e is not (OutOfMemoryException or StackOverflowException))
        {
            return LawBreach.Threw(e);
        }
    }

    /// <summary>The case's inputs with Vietnamese labels.</summary>
    public IReadOnlyList<CaseValue> Describe(TCase c) => _describe(c);

    private protected override Property Property(FeeRuleBook rules, Func<bool> shouldStop) =>
        Prop.ForAll(Cases, c => Prop.When(!shouldStop(), () => Check(c, rules) is null));

    private protected override Counterexample Explain(object failingCase, FeeRuleBook rules, int shrinks, Outcome outcome)
    {
        var c = (TCase)failingCase;
        var breach = Check(c, rules)
            ?? (outcome is Outcome.Failed { Item: { } error } ? LawBreach.Threw(error) : new LawBreach("Luật đúng", "sai ở lần chạy, đúng khi kiểm tra lại", []));
        return new Counterexample(Describe(c), breach.Expected, breach.Actual, breach.RuleIds, shrinks);
    }
}
