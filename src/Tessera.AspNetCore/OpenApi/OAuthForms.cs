using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Tessera.AspNetCore.Endpoints;

namespace Tessera.AspNetCore.OpenApi;

// The records below describe bodies in the OpenAPI document only: nothing constructs them.
#pragma warning disable CA1812

/// <summary>
/// The shapes of requests and answers that the endpoints read or write by hand (form posts, JSON
/// built as nodes), so that the document can describe them. Nothing binds to these types.
/// </summary>
internal static class OAuthForms
{
    public const string ContentType = "application/x-www-form-urlencoded";

    /// <summary>RFC 6749 §5.2: an OAuth error object (400, or 401 <c>invalid_client</c>), as JSON.</summary>
    public static RouteHandlerBuilder ProducesOAuthErrors(this RouteHandlerBuilder builder) =>
        builder.Produces<OAuthErrorResponse>(StatusCodes.Status400BadRequest).Produces<OAuthErrorResponse>(StatusCodes.Status401Unauthorized);

    /// <summary>
    /// Says that the endpoint reads a form of <typeparamref name="TForm"/>'s fields. Not
    /// <c>Accepts</c>: that would make routing answer 415 to another content type, where the OAuth
    /// endpoints answer RFC 6749 §5.2 <c>invalid_request</c> and the pages their own error page.
    /// </summary>
    public static RouteHandlerBuilder WithFormBody<TForm>(this RouteHandlerBuilder builder) =>
        builder.WithMetadata(new FormBodyMetadata(typeof(TForm)));

    /// <summary>An HTML page (the provider's sign-in, consent and error pages).</summary>
    public static RouteHandlerBuilder ProducesHtml(this RouteHandlerBuilder builder, params int[] statuses)
    {
        foreach (int status in statuses)
        {
            builder.Produces<string>(status, "text/html");
        }

        return builder;
    }
}

/// <summary>The form of <c>POST /oauth2/token</c> (RFC 6749 §4.1.3, §6, §4.4; RFC 7636 §4.5; RFC 7523 §2.2 client assertions).</summary>
internal sealed record OAuthTokenForm(
    [property: JsonPropertyName("grant_type")] string GrantType,
    [property: JsonPropertyName("code")] string? Code = null,
    [property: JsonPropertyName("redirect_uri")] string? RedirectUri = null,
    [property: JsonPropertyName("code_verifier")] string? CodeVerifier = null,
    [property: JsonPropertyName("refresh_token")] string? RefreshToken = null,
    [property: JsonPropertyName("scope")] string? Scope = null,
    [property: JsonPropertyName("client_id")] string? ClientId = null,
    [property: JsonPropertyName("client_secret")] string? ClientSecret = null,
    [property: JsonPropertyName("client_assertion_type")] string? ClientAssertionType = null,
    [property: JsonPropertyName("client_assertion")] string? ClientAssertion = null);

/// <summary>The form of <c>POST /oauth2/revoke</c> (RFC 7009 §2.1) with the client's authentication.</summary>
internal sealed record OAuthRevocationForm(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("token_type_hint")] string? TokenTypeHint = null,
    [property: JsonPropertyName("client_id")] string? ClientId = null,
    [property: JsonPropertyName("client_secret")] string? ClientSecret = null);

/// <summary>The form of <c>POST /oauth2/introspect</c> (RFC 7662 §2.1).</summary>
internal sealed record OAuthIntrospectionForm(
    [property: JsonPropertyName("token")] string Token,
    [property: JsonPropertyName("token_type_hint")] string? TokenTypeHint = null);

/// <summary>The answer of <c>POST /oauth2/introspect</c> (RFC 7662 §2.2): only <c>active</c> for a token that is not.</summary>
internal sealed record OAuthIntrospectionResponse(
    [property: JsonPropertyName("active")] bool Active,
    [property: JsonPropertyName("token_type")] string? TokenType = null,
    [property: JsonPropertyName("scope")] string? Scope = null,
    [property: JsonPropertyName("client_id")] string? ClientId = null,
    [property: JsonPropertyName("sub")] string? Subject = null,
    [property: JsonPropertyName("sid")] string? SessionId = null,
    [property: JsonPropertyName("iss")] string? Issuer = null,
    [property: JsonPropertyName("aud")] string? Audience = null,
    [property: JsonPropertyName("jti")] string? JwtId = null,
    [property: JsonPropertyName("exp")] long? ExpiresAt = null,
    [property: JsonPropertyName("iat")] long? IssuedAt = null);

/// <summary>A JWK Set (RFC 7517 §5): public keys only.</summary>
internal sealed record JwkSetDocument([property: JsonPropertyName("keys")] IReadOnlyList<JsonElement> Keys);

/// <summary>The provider metadata (OpenID Connect Discovery 1.0 §3, RFC 8414 §2); the members named here are always there.</summary>
internal sealed record ProviderMetadataDocument(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("jwks_uri")] string JwksUri);

/// <summary>The parameters of <c>/oauth2/authorize</c> (RFC 6749 §4.1.1, RFC 7636 §4.3, OpenID Connect Core §3.1.2.1), as a query or a form.</summary>
internal sealed record AuthorizeForm(
    [property: JsonPropertyName("response_type")] string ResponseType,
    [property: JsonPropertyName("client_id")] string ClientId,
    [property: JsonPropertyName("redirect_uri")] string? RedirectUri = null,
    [property: JsonPropertyName("scope")] string? Scope = null,
    [property: JsonPropertyName("state")] string? State = null,
    [property: JsonPropertyName("nonce")] string? Nonce = null,
    [property: JsonPropertyName("code_challenge")] string? CodeChallenge = null,
    [property: JsonPropertyName("code_challenge_method")] string? CodeChallengeMethod = null,
    [property: JsonPropertyName("response_mode")] string? ResponseMode = null,
    [property: JsonPropertyName("prompt")] string? Prompt = null,
    [property: JsonPropertyName("max_age")] string? MaxAge = null,
    [property: JsonPropertyName("login_hint")] string? LoginHint = null);

/// <summary>
/// The sign-in page's form: the pending request it continues, the credentials; or, from the page's
/// "Sign in with a passkey" (#16), the passkey options' state and <c>credential.toJSON()</c> as JSON text instead.
/// </summary>
internal sealed record SignInForm(
    [property: JsonPropertyName("request")] string Request,
    [property: JsonPropertyName("username")] string Username,
    [property: JsonPropertyName("password")] string Password,
    [property: JsonPropertyName("passkey_state")] string? PasskeyState = null,
    [property: JsonPropertyName("passkey_credential")] string? PasskeyCredential = null);

/// <summary>The consent page's form: the pending request and the user's decision.</summary>
internal sealed record ConsentForm(
    [property: JsonPropertyName("request")] string Request,
    [property: JsonPropertyName("decision")] string Decision);

/// <summary>The parameters of <c>/oauth2/logout</c> (OpenID Connect RP-Initiated Logout 1.0 §2), as a query or a form.</summary>
internal sealed record LogoutForm(
    [property: JsonPropertyName("id_token_hint")] string? IdTokenHint = null,
    [property: JsonPropertyName("client_id")] string? ClientId = null,
    [property: JsonPropertyName("post_logout_redirect_uri")] string? PostLogoutRedirectUri = null,
    [property: JsonPropertyName("state")] string? State = null,
    [property: JsonPropertyName("confirm")] string? Confirm = null);

/// <summary>The claims of <c>/oauth2/userinfo</c> (OpenID Connect Core §5.3.2): <c>sub</c> always, the rest by scope.</summary>
internal sealed record UserInfoDocument(
    [property: JsonPropertyName("sub")] string Subject,
    [property: JsonPropertyName("preferred_username")] string? PreferredUsername = null);

/// <summary>The form an endpoint reads by hand (<see cref="OAuthForms.WithFormBody"/>), for the document's request body.</summary>
internal sealed record FormBodyMetadata(Type FormType);

/// <summary>An RFC 6750 §3 bearer error body (<c>/oauth2/userinfo</c>): no Tessera code beside it.</summary>
internal sealed record BearerErrorDocument(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string ErrorDescription);

