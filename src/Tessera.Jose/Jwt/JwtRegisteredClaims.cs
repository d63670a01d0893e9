namespace Tessera.Jose.Jwt;

/// <summary>The registered claims (RFC 7519 §4.1), as read from a payload before policy checks.</summary>
internal struct JwtRegisteredClaims
{
    public string? Issuer;
    public string? Subject;
    public string? JwtId;

    /// <summary>
    /// An unescaped <c>sub</c> / <c>jti</c> is not made into a string while validating: where its
    /// UTF-8 bytes sit in the payload is kept instead, and <see cref="JwtClaims"/> makes the
    /// string on first use (a cached token's principal, or a caller that never reads <c>jti</c>,
    /// then allocates nothing for it). Escaped values are read as strings at once.
    /// </summary>
    public RawClaimString SubjectRaw;

    /// <summary>As <see cref="SubjectRaw"/>, for <c>jti</c>.</summary>
    public RawClaimString JwtIdRaw;

    /// <summary>A string or a string[].</summary>
    public object? Audience;
    public long? ExpiresAt;
    public long? NotBefore;
    public long? IssuedAt;

    /// <summary>An object anywhere in the payload, escaped or many names: duplicates must be checked on the slow path.</summary>
    public bool NeedsFullCheck;

    /// <summary>Read by <see cref="JwtClaimsFastReader"/>: one flat object of scalars (so any <c>cnf</c> in it is not an object).</summary>
    public bool ReadFlat;

    /// <summary>Set with <see cref="ReadFlat"/>: a member named <c>cnf</c> was seen.</summary>
    public bool HasConfirmation;

    /// <summary>Which claim names were present, for required-claim checks (custom ones included).</summary>
    public bool Has(string name) => name switch
    {
        "iss" => Issuer is not null,
        "sub" => Subject is not null || SubjectRaw.IsPresent,
        "jti" => JwtId is not null || JwtIdRaw.IsPresent,
        "aud" => Audience is not null,
        "exp" => ExpiresAt is not null,
        "nbf" => NotBefore is not null,
        "iat" => IssuedAt is not null,
        _ => false,
    };
}

/// <summary>Where an unescaped JSON string value sits in the payload (its UTF-8 bytes, already checked to be valid UTF-8); default: absent.</summary>
internal readonly record struct RawClaimString(int Offset, int Length)
{
    // Length is stored plus one so that the default value means "absent" and an empty string is present.
    public static RawClaimString At(int offset, int length) => new(offset, length + 1);

    public bool IsPresent => Length > 0;

    public string? ToString(byte[] payload) =>
        IsPresent ? System.Text.Encoding.UTF8.GetString(payload, Offset, Length - 1) : null;
}
