namespace Tessera.Jose;

/// <summary>
/// An expected failure: a stable <see cref="Code"/> (one of <see cref="JoseErrorCodes"/>), a message
/// for people, and for claim failures the claim's name. Failures are values, not exceptions.
/// </summary>
public sealed record JoseError(string Code, string Message, string? Claim = null)
{
    /// <summary>The code, the message and the claim concerned, if any, on one line (for logs and the CLI).</summary>
    public override string ToString() => Claim is null ? $"{Code}: {Message}" : $"{Code}: {Message} (claim '{Claim}')";

    // Common failures are cached so that rejecting a token allocates nothing.
    internal static readonly JoseError Malformed = new(JoseErrorCodes.Malformed, "not a compact JWS: expected three base64url parts separated by '.'");
    internal static readonly JoseError MalformedBase64 = new(JoseErrorCodes.Malformed, "a part is not canonical unpadded base64url");
    internal static readonly JoseError MalformedHeader = new(JoseErrorCodes.Malformed, "the protected header is not a valid JSON object");
    internal static readonly JoseError MalformedPayload = new(JoseErrorCodes.Malformed, "the payload is not a valid JSON object");
    internal static readonly JoseError DuplicateMember = new(JoseErrorCodes.Malformed, "a JSON object repeats a member name");
    internal static readonly JoseError MissingAlg = new(JoseErrorCodes.Malformed, "the protected header has no 'alg' string");
    internal static readonly JoseError TooLarge = new(JoseErrorCodes.TooLarge, "the token is longer than the allowed maximum");
    internal static readonly JoseError TooDeep = new(JoseErrorCodes.TooLarge, "the JSON nests deeper than allowed");
    internal static readonly JoseError AlgNone = new(JoseErrorCodes.AlgorithmNotAllowed, "unsecured JWS (alg 'none') is never accepted");
    internal static readonly JoseError AlgUnsupported = new(JoseErrorCodes.AlgorithmUnsupported, "the algorithm is not supported");
    internal static readonly JoseError AlgNotAllowed = new(JoseErrorCodes.AlgorithmNotAllowed, "the algorithm is not in the allow-list");
    internal static readonly JoseError AlgKeyMismatch = new(JoseErrorCodes.AlgorithmNotAllowed, "the algorithm does not fit the key's type, curve or declared 'alg'");
    internal static readonly JoseError KeyNotFound = new(JoseErrorCodes.KeyNotFound, "no key matches the token's 'kid' and algorithm");
    internal static readonly JoseError SignatureInvalid = new(JoseErrorCodes.SignatureInvalid, "the signature does not verify");
    internal static readonly JoseError CritUnsupported = new(JoseErrorCodes.CritUnsupported, "the 'crit' header names an extension that is not understood");
    internal static readonly JoseError CritInvalid = new(JoseErrorCodes.CritUnsupported, "the 'crit' header must be a non-empty array of distinct extension names present in the header");
    internal static readonly JoseError B64Unsupported = new(JoseErrorCodes.CritUnsupported, "unencoded payloads (RFC 7797 'b64') are not supported");
    internal static readonly JoseError TypeInvalid = new(JoseErrorCodes.TypeInvalid, "the 'typ' header is not the expected type");
    internal static readonly JoseError Expired = new(JoseErrorCodes.Expired, "the token has expired", "exp");
    internal static readonly JoseError TooOld = new(JoseErrorCodes.Expired, "the token is older than the allowed maximum age", "iat");
    internal static readonly JoseError NotYetValid = new(JoseErrorCodes.NotYetValid, "the token is not valid yet", "nbf");
    internal static readonly JoseError IssuedInFuture = new(JoseErrorCodes.NotYetValid, "the token was issued in the future", "iat");
    internal static readonly JoseError IssuerInvalid = new(JoseErrorCodes.IssuerInvalid, "the issuer is not accepted", "iss");
    internal static readonly JoseError AudienceInvalid = new(JoseErrorCodes.AudienceInvalid, "no audience is accepted", "aud");

    internal static JoseError ClaimMissing(string claim) => new(JoseErrorCodes.ClaimMissing, $"the required claim '{claim}' is missing", claim);

    internal static JoseError ClaimMalformed(string claim, string reason) => new(JoseErrorCodes.Malformed, reason, claim);

    internal static JoseError KeyInvalid(string reason) => new(JoseErrorCodes.KeyInvalid, reason);
}
