using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.OAuth;
using Tessera.AspNetCore.Tokens;
using Tessera.Sessions;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Endpoints;

/// <summary>
/// RFC 7662 token introspection for resource servers that want revocation-aware answers: an access
/// token is active while its signature, claims and session are; a refresh token while it is its
/// session's current one. Callers authenticate with HTTP Basic (RFC 7617, read by
/// <see cref="CredentialReader"/>) against the configured clients; errors take the RFC 6749 §5.2 shape.
/// <para>
/// How current an answer is (RFC 7662 §4 leaves it to the server): the session is read through the
/// configured <c>ISessionStore</c>. On one instance, or on SQLite, a revocation is seen by the very next
/// call. On PostgreSQL with <c>Tessera:Postgres:ChangeFeed</c> and <c>Tessera:Postgres:NearCache</c> on
/// (issue #13: a round trip per call cannot reach the introspection goal), the session comes from the
/// instance's near cache: a revocation made on this instance is seen on the very next call (the write
/// drops the copy), one made on another instance once its LISTEN/NOTIFY change arrives, and while the
/// feed has not connected or has been lost for longer than its <c>Staleness</c> every call reads the
/// store. Worst case, after a silent network failure, 2 × Heartbeat + Staleness; never longer than the
/// cache's <c>EntryLifetime</c> (docs/scaling.md, "Introspection on PostgreSQL").
/// </para>
/// </summary>
internal static class IntrospectionEndpoint
{
    public static async Task<IResult> IntrospectAsync(HttpContext http, TokenService tokens, IOptions<TesseraIntrospectionOptions> options, ClientAuthenticator authenticator, CancellationToken cancellationToken)
    {
        http.Response.Headers.CacheControl = "no-store";
        bool configuredCaller = IsAuthorizedCaller(http.Request, options.Value);
        if (!http.Request.HasFormContentType)
        {
            return configuredCaller
                ? OAuthErrors.Result(OAuthErrorCodes.InvalidRequest, "The request must be application/x-www-form-urlencoded.")
                : Unauthorized(http);
        }

        IFormCollection form = await http.Request.ReadFormAsync(cancellationToken).ConfigureAwait(false);
        if (!configuredCaller)
        {
            ClientAuthenticationResult caller = await authenticator.AuthenticateAsync(http.Request, form, cancellationToken).ConfigureAwait(false);
            if (caller.Error is { } refused)
            {
                return ClientAuthenticationFailure.Answer(http.Response, refused, caller.UsedBasic);
            }

            if (!caller.IsConfidential)
            {
                // RFC 7662 §2.1: the endpoint is protected; a public client proves nothing.
                return Unauthorized(http);
            }
        }

        string? token = form.TryGetValue("token", out Microsoft.Extensions.Primitives.StringValues values) && values.Count == 1 ? values[0] : null;
        if (string.IsNullOrEmpty(token))
        {
            return OAuthErrors.Result(OAuthErrorCodes.InvalidRequest, "token is required, once.");
        }

        // A JWS has two dots; a refresh token has none.
        if (token.Contains('.', StringComparison.Ordinal))
        {
            Outcome<InspectedAccessToken> access = await tokens.InspectAnyAccessTokenAsync(token, TokenIssuer.For(http.Request, tokens.Options), cancellationToken).ConfigureAwait(false);
            return access.Succeeded ? IntrospectionAnswer.ForAccessToken(access.Value, tokens.Options.Audience) : IntrospectionAnswer.Inactive();
        }

        SessionRecord? session = await tokens.InspectRefreshTokenAsync(token, cancellationToken).ConfigureAwait(false);
        return session is null ? IntrospectionAnswer.Inactive() : IntrospectionAnswer.ForRefreshToken(session, tokens.Options);
    }

    private static Microsoft.AspNetCore.Http.HttpResults.JsonHttpResult<OAuthErrorResponse> Unauthorized(HttpContext http)
    {
        http.Response.Headers[HeaderNames.WWWAuthenticate] = "Basic realm=\"Tessera introspection\"";
        return OAuthErrors.Result(OAuthErrorCodes.InvalidClient, "Introspection is open only to configured callers and confidential clients.");
    }

    private static bool IsAuthorizedCaller(HttpRequest request, TesseraIntrospectionOptions options)
    {
        if (options.Clients.Count == 0 || CredentialReader.ReadBasic(request.Headers.Authorization) is not { } basic)
        {
            return false;
        }

        // RFC 6749 §2.3.1: the id and secret are form-urlencoded before Basic encoding.
        string id = FormDecode(basic.UserId);
        string secret = FormDecode(basic.Password);
        if (id.Length == 0 || !options.Clients.TryGetValue(id, out string? expected))
        {
            return false;
        }

        // Compare digests so the comparison takes the same time whatever the lengths.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));
    }

    private static string FormDecode(string value) => Uri.UnescapeDataString(value.Replace('+', ' '));
}
