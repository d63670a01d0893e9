namespace Tessera.Jose.Jws;

/// <summary>The rules for verifying a JWS whose payload is not (or not yet) read as JWT claims.</summary>
public sealed record JwsVerificationOptions
{
    /// <summary>
    /// The algorithms accepted. Null means: whatever each key permits — its own <c>alg</c>, or
    /// else every algorithm of its key type and size. <c>none</c> can never be allowed.
    /// </summary>
    public IReadOnlyCollection<string>? AllowedAlgorithms { get; init; }

    /// <summary>The <c>typ</c> the header must carry (compared as RFC 7515 §4.1.9 says); null: not checked.</summary>
    public string? RequiredType { get; init; }

    /// <summary>The longest token accepted, in characters; longer ones fail with <c>too_large</c> before any work.</summary>
    public int MaxTokenLength { get; init; } = 16 * 1024;

    /// <summary>Extension header names the application processes and so accepts in <c>crit</c>.</summary>
    public IReadOnlyCollection<string>? UnderstoodCriticalHeaders { get; init; }
}
