using System.Diagnostics.CodeAnalysis;

namespace Tessera;

/// <summary>Either a value or an expected failure with a stable code.</summary>
public readonly record struct Outcome<T>(T? Value, TesseraError? Error)
{
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;
}

/// <summary>Factories for <see cref="Outcome{T}"/>.</summary>
public static class Outcome
{
    public static Outcome<T> Success<T>(T value) => new(value, null);

    public static Outcome<T> Failure<T>(string code, string message) => new(default, new TesseraError(code, message));

    public static Outcome<T> Failure<T>(TesseraError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
}
