using System.Diagnostics.CodeAnalysis;

namespace Fees.Domain.Outcomes;

/// <summary>
/// The one shape of a domain operation's result: a value, or a <see cref="Refusal"/>. Implicit conversions let an
/// operation <c>return value;</c> or <c>return Refusal.NotFound("đảng viên");</c>. The default value is a refusal-less,
/// value-less outcome and must not be used.
/// </summary>
public readonly struct Outcome<T>
{
    private readonly T? _value;

    private Outcome(T? value, Refusal? refusal)
    {
        _value = value;
        Refusal = refusal;
    }

    /// <summary>Why it was refused; null on success.</summary>
    public Refusal? Refusal { get; }

    [MemberNotNullWhen(false, nameof(Refusal))]
    public bool Succeeded => Refusal is null;

    /// <summary>The value; throws <see cref="InvalidOperationException"/> on a refusal (a bug in the caller).</summary>
    public T Value => Refusal is null ? _value! : throw new InvalidOperationException($"Refused ({Refusal.Code}): no value.");

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Refusal refusal)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return new Outcome<T>(default, refusal);
    }

    /// <summary>The value, or the refusal, through the matching function.</summary>
    public TResult Match<TResult>(Func<T, TResult> value, Func<Refusal, TResult> refused)
    {
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(refused);
        return Refusal is null ? value(_value!) : refused(Refusal);
    }

    /// <summary>Transforms the value; a refusal passes through.</summary>
    public Outcome<TResult> Then<TResult>(Func<T, TResult> map)
    {
        ArgumentNullException.ThrowIfNull(map);
        return Refusal is null ? map(_value!) : Refusal;
    }

    public bool TryGet([NotNullWhen(true)] out T? value, [NotNullWhen(false)] out Refusal? refusal)
    {
        value = Refusal is null ? _value! : default;
        refusal = Refusal;
        return Refusal is null;
    }
}

/// <summary>Success with nothing to return (<c>Outcome&lt;Done&gt;</c>).</summary>
public readonly record struct Done
{
    public static Done Value => default;
}
