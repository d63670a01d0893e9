using System.Text.Json.Nodes;
using Tessera.Jose.Jwt;
using Tessera.Keys;
using Tessera.Sessions;

namespace Tessera.Tokens;

/// <summary>
/// Signs access tokens (RFC 9068: <c>typ</c> at+jwt, <c>sub</c>, <c>client_id</c>, <c>scope</c>) with
/// the current key of a key-ring snapshot the caller read, so one request reads the ring once. A
/// token session's tokens say what its grant says (<see cref="SessionRecord.ClientId"/>,
/// <see cref="SessionRecord.Scope"/>; the options for a first-party session), carry <c>sid</c> naming
/// the session and the user's <c>roles</c>. A client's own token (client_credentials, RFC 6749 §4.4)
/// has <c>sub</c> = <c>client_id</c> and no <c>sid</c>: there is no user and no session behind it.
/// </summary>
internal sealed class AccessTokenIssuer(TesseraTokenOptions options, TimeProvider time)
{
    /// <summary>The media type of access tokens in the <c>typ</c> header (RFC 9068 §2.1).</summary>
    public const string TokenType = "at+jwt";

    /// <summary>The client a session's tokens are issued to: its grant's, or the first-party client of the options.</summary>
    public string ClientOf(SessionRecord session) => session.ClientId ?? options.ClientId;

    /// <summary>The scope a session was granted: its grant's, or the first-party default of the options.</summary>
    public string GrantedScope(SessionRecord session) => session.Scope ?? options.Scope;

    /// <summary>
    /// An access token for <paramref name="session"/>, returned with the session's refresh token.
    /// <paramref name="scope"/> narrows the token below the session's grant (RFC 6749 §6); null: the whole grant.
    /// With <paramref name="keyThumbprint"/> the token is DPoP-bound: <c>cnf.jkt</c> (RFC 9449 §6.1).
    /// </summary>
    public IssuedTokens Pair(SessionRecord session, string refreshToken, string issuer, KeyRingSnapshot keys, IReadOnlyList<string> roles, string? scope = null, string? keyThumbprint = null)
    {
        string granted = scope ?? GrantedScope(session);
        var claims = new JsonObject
        {
            ["client_id"] = ClientOf(session),
            ["sid"] = session.Handle,
            ["scope"] = granted,
            ["roles"] = new JsonArray([.. roles.Select(static role => (JsonNode?)JsonValue.Create(role))]),
        };
        Confirm(claims, keyThumbprint);
        string access = Sign(session.UserId, claims, issuer, keys);
        return new IssuedTokens(access, options.AccessTokenLifetime, refreshToken, session) { Scope = granted, KeyThumbprint = keyThumbprint };
    }

    /// <summary>A client's own access token (RFC 6749 §4.4): <c>sub</c> and <c>client_id</c> the client, no <c>sid</c>, no roles.</summary>
    public string ForClient(string clientId, string scope, string issuer, KeyRingSnapshot keys, string? keyThumbprint = null)
    {
        var claims = new JsonObject { ["client_id"] = clientId, ["scope"] = scope };
        Confirm(claims, keyThumbprint);
        return Sign(clientId, claims, issuer, keys);
    }

    /// <summary>RFC 9449 §6.1 (RFC 7800 §3.1): a bound token confirms its key by <c>cnf: {"jkt": thumbprint}</c>.</summary>
    private static void Confirm(JsonObject claims, string? keyThumbprint)
    {
        if (keyThumbprint is not null)
        {
            claims["cnf"] = new JsonObject { ["jkt"] = keyThumbprint };
        }
    }

    public TimeSpan Lifetime => options.AccessTokenLifetime;

    private string Sign(string subject, JsonObject claims, string issuer, KeyRingSnapshot keys)
    {
        DateTimeOffset now = Clock.Now(time);
        var descriptor = new JwtDescriptor
        {
            Type = TokenType,
            Issuer = issuer,
            Subject = subject,
            Audiences = [options.Audience],
            IssuedAt = now,
            ExpiresAt = now + options.AccessTokenLifetime,
            JwtId = RandomIds.New128(),
            AdditionalClaims = claims,
        };
        return JwtSigner.Sign(descriptor, keys.SigningKey, options.Algorithm);
    }
}
