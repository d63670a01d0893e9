using System.Buffers;
using System.Text.Json;
using Tessera.Jose.Encoding;
using Tessera.Jose.Json;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;

namespace Tessera.Jose.Jwt;

/// <summary>
/// Validates JWTs (RFC 7519 §7.2) signed as JWS compact serializations: the JWS checks first
/// (shape, header, algorithm, key, signature), then the payload's claims against the policy.
/// Immutable and thread-safe; build one per policy and reuse it.
/// </summary>
public sealed class JwtValidator
{
    private readonly JwtPolicyRules _rules;

    /// <summary>A validator for <paramref name="policy"/>, checked once here (an allow-list naming <c>none</c> throws). Immutable and thread-safe: create one per policy and share it.</summary>
    public JwtValidator(JwtValidationPolicy policy) => _rules = new JwtPolicyRules(policy);

    /// <summary>The resolved policy (its clock, skew and limits), for <see cref="VerifiedTokenCache"/>.</summary>
    internal JwtPolicyRules Rules => _rules;

    /// <summary>Validates <paramref name="token"/> with a single key, whatever <c>kid</c> the token names.</summary>
    public JwtValidation Validate(string token, Jwk key)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(key);

        // The caller chose this key: it is tried whatever kid the token names.
        return Validate(token.AsSpan(), key.SingleKeySet);
    }

    /// <summary>Validates <paramref name="token"/> with the key its <c>kid</c> names in <paramref name="keys"/>.</summary>
    public JwtValidation Validate(string token, JwkSet keys)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Validate(token.AsSpan(), keys);
    }

    /// <summary>Validates a token given as characters.</summary>
    public JwtValidation Validate(ReadOnlySpan<char> token, JwkSet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (token.Length > _rules.Jws.MaxTokenLength)
        {
            return JwtValidation.Fail(JoseError.TooLarge);
        }

        byte[]? rented = null;
        Span<byte> utf8 = token.Length <= JwsCompactCore.StackLimit
            ? stackalloc byte[token.Length]
            : (rented = ArrayPool<byte>.Shared.Rent(token.Length));
        try
        {
            JoseError? error = JwsCompactCore.CheckAndNarrow(token, _rules.Jws.MaxTokenLength, utf8);
            return error is not null ? JwtValidation.Fail(error) : ValidateCore(utf8[..token.Length], keys, compactCharsChecked: true);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>Validates a token given as ASCII bytes.</summary>
    public JwtValidation Validate(ReadOnlySpan<byte> token, JwkSet keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return ValidateCore(token, keys, compactCharsChecked: false);
    }

    private JwtValidation ValidateCore(ReadOnlySpan<byte> token, JwkSet keys, bool compactCharsChecked)
    {
        JoseError? error = JwsCompactCore.Verify(token, keys, _rules.Jws, out VerifiedJws verified, compactCharsChecked);
        if (error is not null)
        {
            return JwtValidation.Fail(error);
        }

        // Only now, with the signature good, is the payload decoded and parsed.
        // Verify has checked the payload part is canonical base64url: its alphabet is not scanned again.
        byte[] payload = new byte[StrictBase64Url.GetDecodedLength(verified.EncodedPayload.Length)];
        if (!StrictBase64Url.TryDecode(verified.EncodedPayload, payload, out _, alphabetChecked: true))
        {
            return JwtValidation.Fail(JoseError.MalformedBase64);
        }

        error = JwtClaimsReader.TryRead(payload, _rules, out JwtRegisteredClaims registered, out uint customSeen);
        if (error is not null)
        {
            return JwtValidation.Fail(error);
        }

        JsonElement? root = null;
        if (registered.NeedsFullCheck)
        {
            using JsonDocument? document = StrictJson.TryParse(payload, out error);
            if (document is null)
            {
                return JwtValidation.Fail(error!);
            }

            root = document.RootElement.Clone();
        }

        error = CheckClaims(in registered, customSeen);
        return error is not null
            ? JwtValidation.Fail(error)
            : new JwtValidation(new JwtClaims(payload, in registered, verified.Algorithm.Name, verified.Key.EffectiveKeyId, root) { VerifiedBy = verified.Key }, null);
    }

    private JoseError? CheckClaims(in JwtRegisteredClaims claims, uint customSeen)
    {
        foreach (string name in _rules.RequiredRegisteredClaims)
        {
            if (!claims.Has(name))
            {
                return JoseError.ClaimMissing(name);
            }
        }

        for (int i = 0; i < _rules.RequiredCustomClaims.Length; i++)
        {
            if ((customSeen & (1u << i)) == 0)
            {
                return JoseError.ClaimMissing(_rules.RequiredCustomClaims[i]);
            }
        }

        long now = _rules.TimeProvider.GetUtcNow().ToUnixTimeSeconds();
        long skew = _rules.SkewSeconds;

        // RFC 7519 §4.1.4: the current time must be before exp.
        if (claims.ExpiresAt is long exp && now >= exp + skew)
        {
            return JoseError.Expired;
        }

        if (claims.NotBefore is long nbf && now + skew < nbf)
        {
            return JoseError.NotYetValid;
        }

        if (claims.IssuedAt is long iat)
        {
            if (now + skew < iat)
            {
                return JoseError.IssuedInFuture;
            }

            if (_rules.MaxAgeSeconds is long maxAge && now - skew >= iat + maxAge)
            {
                return JoseError.TooOld;
            }
        }

        if (_rules.ValidIssuers is not null && (claims.Issuer is null || !_rules.IsValidIssuer(claims.Issuer)))
        {
            return JoseError.IssuerInvalid;
        }

        if (_rules.ValidAudiences is not null && !HasValidAudience(claims.Audience))
        {
            return JoseError.AudienceInvalid;
        }

        return null;
    }

    private bool HasValidAudience(object? audience) => audience switch
    {
        string one => _rules.IsValidAudience(one),
        string[] many => Array.Exists(many, _rules.IsValidAudience),
        _ => false,
    };
}
