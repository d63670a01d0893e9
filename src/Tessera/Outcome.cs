using System.Diagnostics.CodeAnalysis;

namespace Tessera;

/// <summary>Either a value or an expected failure with a stable code.</summary>
public readonly record struct Outcome<T>(T? Value, TesseraError? Error)
{
    /// <summary>True when the operation succeeded; otherwise <see cref="Error"/> says why.</summary>
    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Succeeded => Error is null;
}

/// <summary>Factories for <see cref="Outcome{T}"/>.</summary>
public static class Outcome
{
    /// <summary>A success carrying <paramref name="value"/>.</summary>
    public static Outcome<T> Success<T>(T value) => new(value, null);

    /// <summary>A failure with the stable <paramref name="code"/> (a <see cref="TesseraErrorCodes"/> value) and <paramref name="message"/> for people.</summary>
    public static Outcome<T> Failure<T>(string code, string message) => new(default, new TesseraError(code, message));

    /// <summary>A failure carrying <paramref name="error"/>.</summary>
    public static Outcome<T> Failure<T>(TesseraError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
}
