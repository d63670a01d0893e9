namespace Tessera.Jose.Jwt;

/// <summary>
/// What makes a JWT acceptable (RFC 7519 §7.2, RFC 8725): algorithms, type, issuer, audience,
/// time, required claims, size. Immutable; build a <see cref="JwtValidator"/> from it once.
/// </summary>
public sealed record JwtValidationPolicy
{
    /// <summary>
    /// The algorithms accepted. Null: whatever each key permits (its own <c>alg</c>, else its key
    /// type's algorithms). The key always decides the family: an RSA public key is never an HMAC secret.
    /// </summary>
    public IReadOnlyCollection<string>? AllowedAlgorithms { get; init; }

    /// <summary>Accepted <c>iss</c> values (exact, case-sensitive). Null: not checked.</summary>
    public IReadOnlyCollection<string>? ValidIssuers { get; init; }

    /// <summary>Accepted <c>aud</c> values; one match among the token's audiences suffices. Null: not checked.</summary>
    public IReadOnlyCollection<string>? ValidAudiences { get; init; }

    /// <summary>The <c>typ</c> the header must carry, e.g. <c>at+jwt</c> (RFC 9068 §2.1); null: not checked.</summary>
    public string? RequiredType { get; init; }

    /// <summary>Claims that must be present. By default <c>exp</c>: a token that never expires is refused.</summary>
    public IReadOnlyCollection<string> RequiredClaims { get; init; } = ["exp"];

    /// <summary>Tolerance for clock differences when checking <c>exp</c>, <c>nbf</c> and <c>iat</c>.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>When set, tokens whose <c>iat</c> is older than this are expired (and <c>iat</c> is required).</summary>
    public TimeSpan? MaxTokenAge { get; init; }

    /// <summary>The longest token accepted, in characters.</summary>
    public int MaxTokenLength { get; init; } = 16 * 1024;

    /// <summary>Extension header names the application processes and so accepts in <c>crit</c>.</summary>
    public IReadOnlyCollection<string>? UnderstoodCriticalHeaders { get; init; }

    /// <summary>The clock. Tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
