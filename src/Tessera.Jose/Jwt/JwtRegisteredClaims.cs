namespace Tessera.Jose.Jwt;

/// <summary>The registered claims (RFC 7519 §4.1), as read from a payload before policy checks.</summary>
internal struct JwtRegisteredClaims
{
    public string? Issuer;
    public string? Subject;
    public string? JwtId;

    /// <summary>A string or a string[].</summary>
    public object? Audience;
    public long? ExpiresAt;
    public long? NotBefore;
    public long? IssuedAt;

    /// <summary>Nested values, escaped or many names: duplicates must be checked on the slow path.</summary>
    public bool NeedsFullCheck;

    /// <summary>Which claim names were present, for required-claim checks (custom ones included).</summary>
    public bool Has(string name) => name switch
    {
        "iss" => Issuer is not null,
        "sub" => Subject is not null,
        "jti" => JwtId is not null,
        "aud" => Audience is not null,
        "exp" => ExpiresAt is not null,
        "nbf" => NotBefore is not null,
        "iat" => IssuedAt is not null,
        _ => false,
    };
}
