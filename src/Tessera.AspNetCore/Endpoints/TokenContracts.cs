using System.Text.Json.Serialization;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>
/// The token response (RFC 6749 §5.1): always with <c>scope</c> (§5.1 requires it when it differs from
/// the request; it is always sent, so a client never has to guess), the ID token when <c>openid</c> was
/// granted (OIDC Core §3.1.3.3), plus the session's public handle (absent for a client's own token).
/// </summary>
public sealed record TokenResponse(
    [property: JsonPropertyName("access_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] long ExpiresIn,
    [property: JsonPropertyName("refresh_token"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RefreshToken,
    [property: JsonPropertyName("session_id"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? SessionId)
{
    /// <summary>The granted scope, space-separated (RFC 6749 §5.1).</summary>
    [JsonPropertyName("scope")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Scope { get; init; }

    /// <summary>The OpenID Connect ID token, when <c>openid</c> was granted.</summary>
    [JsonPropertyName("id_token")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? IdToken { get; init; }

    // Records print their members; tokens must never reach a log through ToString.
    /// <summary>Names the session only: the tokens are secrets and never printed.</summary>
    public override string ToString() => $"TokenResponse {{ SessionId = {SessionId} }}";
}

/// <summary>A refresh with the JSON body <c>{"refresh_token": "…"}</c>.</summary>
/// <param name="RefreshToken">The current refresh token.</param>
public sealed record RefreshTokenRequest([property: JsonPropertyName("refresh_token")] string? RefreshToken)
{
    /// <summary>No member: the refresh token is a secret, never printed.</summary>
    public override string ToString() => "RefreshTokenRequest";
}

/// <summary>An error of the OAuth endpoints (RFC 6749 §5.2), with Tessera's finer code beside it.</summary>
public sealed record OAuthErrorResponse(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription,
    [property: JsonPropertyName("tessera_error")] string Code);
