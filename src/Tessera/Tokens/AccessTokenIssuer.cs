using System.Text.Json.Nodes;
using Tessera.Jose.Jwt;
using Tessera.Keys;
using Tessera.Sessions;

namespace Tessera.Tokens;

/// <summary>
/// Signs the access tokens of token sessions (RFC 9068: <c>typ</c> at+jwt, <c>sub</c>, <c>client_id</c>,
/// <c>scope</c>, and <c>sid</c> naming the session) with the current key of a key-ring snapshot the
/// caller read, so one request reads the ring once.
/// </summary>
internal sealed class AccessTokenIssuer(TesseraTokenOptions options, TimeProvider time)
{
    /// <summary>The media type of access tokens in the <c>typ</c> header (RFC 9068 §2.1).</summary>
    public const string TokenType = "at+jwt";

    /// <summary>An access token for <paramref name="session"/>, returned with the session's refresh token.</summary>
    public IssuedTokens Pair(SessionRecord session, string refreshToken, string issuer, KeyRingSnapshot keys)
    {
        DateTimeOffset now = Clock.Now(time);
        var descriptor = new JwtDescriptor
        {
            Type = TokenType,
            Issuer = issuer,
            Subject = session.UserId,
            Audiences = [options.Audience],
            IssuedAt = now,
            ExpiresAt = now + options.AccessTokenLifetime,
            JwtId = RandomIds.New128(),
            AdditionalClaims = new JsonObject
            {
                ["client_id"] = options.ClientId,
                ["sid"] = session.Handle,
                ["scope"] = options.Scope,
                ["roles"] = new JsonArray(),
            },
        };
        string access = JwtSigner.Sign(descriptor, keys.SigningKey, options.Algorithm);
        return new IssuedTokens(access, options.AccessTokenLifetime, refreshToken, session);
    }
}
