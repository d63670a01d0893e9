using System.Text.Json;
using Tessera.Jose;
using Tessera.Jose.Json;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Tessera.Keys;
using Tessera.Tokens;

namespace Tessera.OAuth.IdTokens;

/// <summary>
/// Checks the <c>id_token_hint</c> of RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0 §2):
/// an ID token this server issued, signed by a key of the ring's JWKS (read again once when the
/// <c>kid</c> is unknown, as for access tokens) with one of the ID-token algorithms, <c>typ</c> JWT
/// (so an access token, at+jwt, is refused), and <c>iss</c> this issuer. The hint may have EXPIRED:
/// the specification asks the provider to accept ID tokens whose <c>exp</c> has passed, since a user
/// logs out long after signing in; a bad signature or an <c>iat</c> in the future is refused all the
/// same. A hint signed by a key that has left the JWKS (a rotation ago) no longer verifies.
/// </summary>
public sealed class IdTokenHintValidator
{
    private readonly SigningKeyRing _keys;
    private readonly TimeProvider _time;
    private readonly JwsVerifier _verifier;

    /// <summary>A validator of ID tokens this server issued with the keys of <paramref name="keys"/> and the issuer of <paramref name="options"/>, on the clock <paramref name="time"/>.</summary>
    public IdTokenHintValidator(SigningKeyRing keys, TesseraTokenOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        _keys = keys;
        _time = time;
        // The signature and header only: JwtValidator would refuse an expired token, which a hint may be.
        _verifier = new JwsVerifier(new JwsVerificationOptions
        {
            AllowedAlgorithms = options.IdTokenSigningAlgorithms,
            RequiredType = IdTokenIssuer.TokenType,
        });
    }

    /// <summary>
    /// The subject, session and client of a valid hint; otherwise <see cref="TesseraErrorCodes.IdTokenHintInvalid"/>
    /// with the JOSE code (<c>signature_invalid</c>, <c>issuer_invalid</c>, <c>not_yet_valid</c> for an <c>iat</c> in the future…) as the reason.
    /// </summary>
    public async ValueTask<Outcome<IdTokenHint>> ValidateAsync(string? idTokenHint, string issuer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(issuer);
        if (string.IsNullOrEmpty(idTokenHint))
        {
            return Invalid("The id_token_hint is missing.", JoseErrorCodes.Malformed);
        }

        KeyRingSnapshot keys = await _keys.GetAsync(cancellationToken).ConfigureAwait(false);
        JwsVerification verification = _verifier.Verify(idTokenHint, keys.Published);
        if (verification.Error?.Code == JoseErrorCodes.KeyNotFound)
        {
            // Signed by a key another instance added since this one last read the ring?
            KeyRingSnapshot reread = await _keys.RereadAsync(cancellationToken).ConfigureAwait(false);
            if (!ReferenceEquals(reread, keys))
            {
                verification = _verifier.Verify(idTokenHint, reread.Published);
            }
        }

        return verification.IsValid
            ? ReadClaims(verification.Payload!, issuer, Clock.Now(_time))
            : Invalid("The id_token_hint is not an ID token issued here.", verification.Error!.Code);
    }

    /// <summary>The claims of a payload whose signature verified; only their meaning is left to check.</summary>
    private static Outcome<IdTokenHint> ReadClaims(byte[] payload, string issuer, DateTimeOffset now)
    {
        if (JoseJson.TryParse(payload, out _) is not { } document)
        {
            return Invalid("The id_token_hint's claims are not JSON.", JoseErrorCodes.Malformed);
        }

        using (document)
        {
            JsonElement claims = document.RootElement;
            if (claims.ValueKind != JsonValueKind.Object)
            {
                return Invalid("The id_token_hint's claims are not a JSON object.", JoseErrorCodes.Malformed);
            }

            if (String(claims, "iss") is not { } tokenIssuer || !string.Equals(tokenIssuer, issuer, StringComparison.Ordinal))
            {
                return Invalid("The id_token_hint was issued by another issuer.", JoseErrorCodes.IssuerInvalid);
            }

            if (!claims.TryGetProperty("iat", out JsonElement iat) || !iat.TryGetInt64(out long issuedAt))
            {
                return Invalid("The id_token_hint has no iat.", JoseErrorCodes.ClaimMissing);
            }

            // Expiry is not checked (see the class summary); a token from the future is not ours.
            if (now.ToUnixTimeSeconds() < issuedAt)
            {
                return Invalid("The id_token_hint was issued in the future.", JoseErrorCodes.NotYetValid);
            }

            if (String(claims, "sub") is not { Length: > 0 } subject)
            {
                return Invalid("The id_token_hint has no sub.", JoseErrorCodes.ClaimMissing);
            }

            if (ClientOf(claims) is not { } clientId)
            {
                return Invalid("The id_token_hint names no single client (azp among aud, or one aud).", JoseErrorCodes.AudienceInvalid);
            }

            DateTimeOffset? expiresAt = claims.TryGetProperty("exp", out JsonElement exp) && exp.TryGetInt64(out long expSeconds)
                ? DateTimeOffset.FromUnixTimeSeconds(expSeconds)
                : null;
            return Outcome.Success(new IdTokenHint(subject, String(claims, "sid"), clientId, DateTimeOffset.FromUnixTimeSeconds(issuedAt), expiresAt));
        }
    }

    /// <summary>
    /// The client the token was issued to (OIDC Core §2): <c>azp</c> when present, and then it must be
    /// one of the audiences; else the one audience. Null when neither says.
    /// </summary>
    private static string? ClientOf(JsonElement claims)
    {
        if (!claims.TryGetProperty("aud", out JsonElement aud))
        {
            return null;
        }

        string[] audiences = aud.ValueKind switch
        {
            JsonValueKind.String => [aud.GetString()!],
            JsonValueKind.Array when aud.EnumerateArray().All(a => a.ValueKind == JsonValueKind.String) => [.. aud.EnumerateArray().Select(a => a.GetString()!)],
            _ => [],
        };
        if (String(claims, "azp") is { } azp)
        {
            return audiences.Contains(azp, StringComparer.Ordinal) ? azp : null;
        }

        return audiences is [{ Length: > 0 } only] ? only : null;
    }

    private static string? String(JsonElement claims, string name) =>
        claims.TryGetProperty(name, out JsonElement value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Outcome<IdTokenHint> Invalid(string message, string reason) =>
        Outcome.Failure<IdTokenHint>(new TesseraError(TesseraErrorCodes.IdTokenHintInvalid, message) { Reason = reason });
}
