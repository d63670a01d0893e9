namespace Tessera.Jose;

/// <summary>
/// The stable error codes of the JOSE core. Callers, the CLI and the HTTP layer match on these;
/// messages are for people and may change.
/// </summary>
public static class JoseErrorCodes
{
    /// <summary>Not a well-formed compact JWS/JWT, JSON or base64url, or a claim of the wrong type.</summary>
    public const string Malformed = "malformed";

    /// <summary>The input is longer than the configured maximum, or nests deeper than allowed.</summary>
    public const string TooLarge = "too_large";

    /// <summary>The algorithm is known but outside the caller's allow-list, does not fit the key, or is <c>none</c>.</summary>
    public const string AlgorithmNotAllowed = "alg_not_allowed";

    /// <summary>The algorithm name is not one Tessera implements.</summary>
    public const string AlgorithmUnsupported = "alg_unsupported";

    /// <summary>No key in the set matches the token's <c>kid</c> and algorithm.</summary>
    public const string KeyNotFound = "key_not_found";

    /// <summary>A JWK is malformed, too weak, or unusable for the requested operation.</summary>
    public const string KeyInvalid = "key_invalid";

    /// <summary>The signature does not verify.</summary>
    public const string SignatureInvalid = "signature_invalid";

    /// <summary>The <c>crit</c> header names an extension this validator does not understand, or is itself invalid.</summary>
    public const string CritUnsupported = "crit_unsupported";

    /// <summary>The token's <c>exp</c> (or its maximum age) has passed.</summary>
    public const string Expired = "expired";

    /// <summary>The token's <c>nbf</c> (or <c>iat</c>) lies in the future.</summary>
    public const string NotYetValid = "not_yet_valid";

    /// <summary>The <c>iss</c> claim is missing or not an accepted issuer.</summary>
    public const string IssuerInvalid = "issuer_invalid";

    /// <summary>No <c>aud</c> value is an accepted audience.</summary>
    public const string AudienceInvalid = "audience_invalid";

    /// <summary>The <c>typ</c> header does not match the expected type.</summary>
    public const string TypeInvalid = "type_invalid";

    /// <summary>A claim the policy requires is absent.</summary>
    public const string ClaimMissing = "claim_missing";
}
