namespace Tessera.AspNetCore.Http;

/// <summary>
/// The protocol error codes of RFC 6749 §5.2 (and RFC 6750 §3.1 for <c>invalid_request</c>) that
/// no other catalog defines. <c>invalid_grant</c> is <see cref="TesseraErrorCodes.InvalidGrant"/>,
/// <c>invalid_token</c> is <see cref="TesseraErrorCodes.InvalidToken"/>; how each code answers over
/// HTTP is in <see cref="TesseraErrorCatalog"/>.
/// </summary>
public static class OAuthErrorCodes
{
    /// <summary>RFC 6749 §5.2 / RFC 6750 §3.1: a parameter is missing, repeated or malformed.</summary>
    public const string InvalidRequest = "invalid_request";

    /// <summary>RFC 6749 §5.2: the client could not be authenticated (401 with a challenge).</summary>
    public const string InvalidClient = "invalid_client";

    /// <summary>RFC 6749 §5.2: this server does not support the <c>grant_type</c>.</summary>
    public const string UnsupportedGrantType = "unsupported_grant_type";
}
