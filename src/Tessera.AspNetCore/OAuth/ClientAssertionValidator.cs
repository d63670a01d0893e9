using Tessera.Jose.Jwt;
using Tessera.Jose.Keys;
using Tessera.OAuth;

namespace Tessera.AspNetCore.OAuth;

/// <summary>
/// <c>private_key_jwt</c> (RFC 7523 §2.2 and §3, OIDC Core §9): a JWT the client signed with a key of
/// its registered JWK Set, with <c>iss</c> = <c>sub</c> = its client id, <c>aud</c> this server (its
/// issuer, its token endpoint, or the endpoint the assertion was sent to), a short <c>exp</c> (at
/// most <see cref="MaxLifetime"/> ahead) and a <c>jti</c> used once (<see cref="ClientAssertionReplayCache"/>).
/// </summary>
public sealed class ClientAssertionValidator(ClientAssertionReplayCache replays, TimeProvider time)
{
    /// <summary>RFC 7523 §2.2: the one assertion type for JWT client authentication.</summary>
    public const string JwtBearerType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>How far ahead an assertion's <c>exp</c> may be: it authenticates one request, made now.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    /// <summary>The asymmetric algorithms accepted for assertions (discovery's <c>token_endpoint_auth_signing_alg_values_supported</c>).</summary>
    public static IReadOnlyList<string> Algorithms { get; } = ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"];

    /// <summary>Null when <paramref name="assertion"/> authenticates <paramref name="client"/>; otherwise why not (for <c>invalid_client</c>).</summary>
    public async ValueTask<string?> ProblemAsync(OAuthClient client, string assertion, IReadOnlyCollection<string> audiences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(assertion);
        if (client.JwksJson is null || !JwkSet.TryParse(client.JwksJson, out JwkSet? keys, out _) || keys is null || keys.Keys.Count == 0)
        {
            return "The client has no usable registered keys.";
        }

        var validator = new JwtValidator(new JwtValidationPolicy
        {
            AllowedAlgorithms = Algorithms,
            ValidIssuers = [client.ClientId],
            ValidAudiences = audiences,
            RequiredClaims = ["iss", "sub", "aud", "exp", "jti"],
            ClockSkew = ClockSkew,
            TimeProvider = time,
        });
        JwtValidation validation = validator.Validate(assertion, keys);
        if (!validation.IsValid)
        {
            return $"The client assertion is not valid ({validation.Error!.Code}).";
        }

        JwtClaims claims = validation.Claims!;
        if (!string.Equals(claims.Subject, client.ClientId, StringComparison.Ordinal))
        {
            return "The client assertion's sub must be the client id.";
        }

        DateTimeOffset expiresAt = claims.ExpiresAt!.Value;
        if (expiresAt > Clock.Now(time) + MaxLifetime + ClockSkew)
        {
            return $"The client assertion lives too long: exp at most {MaxLifetime.TotalMinutes:0} minutes ahead.";
        }

        // Remembered as long as the validator would accept the assertion (exp plus the skew), so it is used once (RFC 7523 §3).
        return await replays.TryUseAsync(client.ClientId, claims.JwtId!, expiresAt + ClockSkew, cancellationToken).ConfigureAwait(false)
            ? null
            : "The client assertion was already used (jti).";
    }

    /// <summary>The client id an assertion claims to be from (its <c>sub</c>, else <c>iss</c>), read unverified to find the client's keys.</summary>
    public static string? ClaimedClientId(string assertion)
    {
        if (!JwtDecoder.TryDecodeUnverified(assertion, out UnverifiedJwt? jwt, out _, maxTokenLength: 16 * 1024) || jwt is null
            || jwt.Payload.ValueKind != System.Text.Json.JsonValueKind.Object)
        {
            return null;
        }

        foreach (string name in (string[])["sub", "iss"])
        {
            if (jwt.Payload.TryGetProperty(name, out System.Text.Json.JsonElement value) && value.ValueKind == System.Text.Json.JsonValueKind.String)
            {
                return value.GetString();
            }
        }

        return null;
    }
}
