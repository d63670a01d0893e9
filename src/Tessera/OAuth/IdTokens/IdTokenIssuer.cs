using System.Text.Json.Nodes;
using Tessera.Jose.Jwt;
using Tessera.Keys;
using Tessera.Tokens;

namespace Tessera.OAuth.IdTokens;

/// <summary>
/// Signs OpenID Connect ID tokens (OIDC Core §2, §3.1.3.6): header <c>typ</c> JWT and the client's
/// <c>id_token_signed_response_alg</c>, with the key ring's current key of that algorithm from a
/// snapshot the caller read (one ring read per request, as for access tokens). Claims: <c>iss</c>,
/// <c>sub</c>, <c>aud</c> (the client), <c>azp</c>, <c>exp</c> (<see cref="TesseraTokenOptions.IdTokenLifetime"/>),
/// <c>iat</c>, <c>auth_time</c>, <c>nonce</c> when the client sent one, <c>sid</c> (the session's handle,
/// as in the access token), <c>at_hash</c> when issued with an access token, <c>amr</c> (RFC 8176 §2,
/// from the session: <c>pwd</c>, or a passkey's values), and with the <c>profile</c> scope <c>preferred_username</c> and <c>name</c>.
/// </summary>
public sealed class IdTokenIssuer(TesseraTokenOptions options, TimeProvider time)
{
    /// <summary>The <c>typ</c> header of ID tokens (RFC 7519 §5.1); access tokens carry at+jwt, so neither passes for the other.</summary>
    public const string TokenType = "JWT";

    /// <summary>
    /// The signed ID token; <see cref="TesseraErrorCodes.IdTokenAlgorithmUnavailable"/> when the
    /// client's algorithm is not one of <see cref="TesseraTokenOptions.IdTokenSigningAlgorithms"/>
    /// (the configuration changed after the client registered). Throws
    /// <see cref="KeyRingUnavailableException"/> when the key cannot be decrypted, as access tokens do.
    /// </summary>
    public Outcome<string> Issue(IdTokenRequest request, KeyRingSnapshot keys)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(keys);
        if (!string.Equals(request.Session.UserId, request.User.Id, StringComparison.Ordinal))
        {
            throw new ArgumentException("The session belongs to another user than the ID token's subject.", nameof(request));
        }

        if (request.Session.ClientId is { } granted && !string.Equals(granted, request.Client.ClientId, StringComparison.Ordinal))
        {
            throw new ArgumentException("The session was granted to another client than the ID token's audience.", nameof(request));
        }

        string algorithm = request.Client.IdTokenSignedResponseAlg;
        if (!options.IdTokenSigningAlgorithms.Contains(algorithm, StringComparer.Ordinal))
        {
            return Outcome.Failure<string>(
                TesseraErrorCodes.IdTokenAlgorithmUnavailable,
                $"The client's id_token_signed_response_alg {algorithm} is not one this server signs ID tokens with ({string.Join(", ", options.IdTokenSigningAlgorithms)}).");
        }

        DateTimeOffset now = Clock.Now(time);
        var claims = new JsonObject
        {
            // OIDC Core §2: azp is the party the token was issued to; with one audience it repeats
            // it, which some clients check anyway.
            ["azp"] = request.Client.ClientId,
            ["auth_time"] = request.AuthTime.ToUnixTimeSeconds(),
            ["sid"] = request.Session.Handle,
            // RFC 8176 §2: how the user signed in, as the session recorded it (pwd; a passkey's hwk|swk user mfa).
            ["amr"] = new JsonArray([.. Tessera.Sessions.AuthenticationMethodValues.Split(request.Session.AuthenticationMethods).Select(v => (JsonNode)JsonValue.Create(v))]),
        };
        if (!string.IsNullOrEmpty(request.Nonce))
        {
            claims["nonce"] = request.Nonce;
        }

        if (request.AccessToken is { } accessToken)
        {
            claims["at_hash"] = AccessTokenHash.Of(accessToken, algorithm);
        }

        if (request.Scopes.Contains(Scopes.Profile, StringComparer.Ordinal))
        {
            // OIDC Core §5.4: the profile scope asks for the profile claims Tessera has, the username.
            claims["preferred_username"] = request.User.Username;
            claims["name"] = request.User.Username;
        }

        var descriptor = new JwtDescriptor
        {
            Type = TokenType,
            Issuer = request.Issuer,
            Subject = request.User.Id,
            Audiences = [request.Client.ClientId],
            IssuedAt = now,
            ExpiresAt = now + options.IdTokenLifetime,
            AdditionalClaims = claims,
        };
        return Outcome.Success(JwtSigner.Sign(descriptor, keys.SigningKeyFor(algorithm), algorithm));
    }
}
