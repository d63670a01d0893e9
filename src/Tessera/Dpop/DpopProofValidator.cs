using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tessera.Jose;
using Tessera.Jose.Algorithms;
using Tessera.Jose.Encoding;
using Tessera.Jose.Json;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;

namespace Tessera.Dpop;

/// <summary>
/// Checks a DPoP proof JWT as RFC 9449 §4.3 lists, in an order that spends nothing on a proof that
/// fails a cheap check and records a <c>jti</c> only once the signature holds (so nobody fills the
/// replay cache with proofs they could not sign). The caller has already made sure the request
/// carried exactly one <c>DPoP</c> header (step 1) and, on a resource request, compares
/// <see cref="DpopProof.KeyThumbprint"/> with the token's <c>cnf.jkt</c> (step 12's key half).
/// Failures are <see cref="DpopErrorCodes.InvalidProof"/>, or <see cref="DpopErrorCodes.UseNonce"/>
/// when only the nonce is missing or stale (the client retries with the one in <c>DPoP-Nonce</c>).
/// </summary>
public sealed class DpopProofValidator
{
    // RFC 7517 §4.3 / RFC 7518 §6: members that only a private (or symmetric) key has.
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    private readonly TesseraDpopOptions _options;
    private readonly DpopReplayCache _replays;
    private readonly IDpopNonces? _nonces;
    private readonly TimeProvider _time;
    private readonly JwsVerifier _verifier;
    private readonly HashSet<string> _allowed;
    private readonly DpopKeyCache _keys = new();

    /// <summary>A validator with <paramref name="options"/> (checked here), the shared replay cache and, when nonces are used, their source.</summary>
    public DpopProofValidator(TesseraDpopOptions options, DpopReplayCache replays, IDpopNonces? nonces, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Problem() is string problem)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _options = options;
        _replays = replays ?? throw new ArgumentNullException(nameof(replays));
        _nonces = nonces;
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _allowed = new HashSet<string>(options.AllowedAlgorithms, StringComparer.Ordinal);
        _verifier = new JwsVerifier(new JwsVerificationOptions
        {
            AllowedAlgorithms = [.. options.AllowedAlgorithms],
            RequiredType = DpopTokenTypes.ProofType,
            MaxTokenLength = options.MaxProofLength,
        });
    }

    /// <summary>The options the validator was built with.</summary>
    public TesseraDpopOptions Options => _options;

    /// <summary>The proof of <paramref name="request"/> if it passes every check, its <c>jti</c> now used; otherwise a failure with a stable code.</summary>
    public async ValueTask<Outcome<DpopProof>> ValidateAsync(DpopProofRequest request, CancellationToken cancellationToken)
    {
        Outcome<UnspentDpopProof> verified = Verify(request);
        return verified.Succeeded
            ? await UseAsync(verified.Value, cancellationToken).ConfigureAwait(false)
            : Outcome.Failure<DpopProof>(verified.Error);
    }

    /// <summary>
    /// Every check of RFC 9449 §4.3 but the replay half of step 11: the proof of <paramref name="request"/>
    /// with its signature, claims and nonce checked, its <c>jti</c> not yet used. A caller that can refuse
    /// the request for other reasons (a token endpoint: the client, the grant) does so first and then calls
    /// <see cref="UseAsync"/>, so a request refused anyway takes no single-use mark (§11.1). The result is
    /// an <see cref="UnspentDpopProof"/>, not a <see cref="DpopProof"/>: an unchecked replay cannot pass for a checked proof.
    /// </summary>
    public Outcome<UnspentDpopProof> Verify(DpopProofRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        string proof = request.Proof;
        if (string.IsNullOrEmpty(proof) || proof.Length > _options.MaxProofLength)
        {
            return Invalid("the DPoP proof is empty or too long");
        }

        // Steps 2–7: a well-formed JWS whose header names dpop+jwt, an allowed asymmetric alg and a
        // public jwk; the signature verifies with that jwk.
        int firstDot = proof.IndexOf('.', StringComparison.Ordinal);
        if (firstDot <= 0)
        {
            return Invalid("the DPoP proof is not a JWS compact serialization");
        }

        byte[]? headerBytes = StrictBase64Url.DecodeOrNull(proof.AsSpan(0, firstDot));
        if (headerBytes is null)
        {
            return Invalid("the DPoP proof's header is not base64url");
        }

        Jwk? key;
        using (JsonDocument? header = TryParse(headerBytes))
        {
            if (header is null || header.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Invalid("the DPoP proof's header is not a JSON object");
            }

            JsonElement root = header.RootElement;
            if (!root.TryGetProperty("alg", out JsonElement alg) || alg.ValueKind != JsonValueKind.String
                || !_allowed.Contains(alg.GetString()!) || !JwsAlgorithms.TryGet(alg.GetString()!, out _))
            {
                return Invalid("the DPoP proof's alg is missing or not an allowed asymmetric algorithm");
            }

            if (!root.TryGetProperty("jwk", out JsonElement jwk) || jwk.ValueKind != JsonValueKind.Object)
            {
                return Invalid("the DPoP proof's header has no jwk");
            }

            foreach (string member in PrivateMembers)
            {
                if (jwk.TryGetProperty(member, out _))
                {
                    return Invalid("the DPoP proof's jwk must be a public key");
                }
            }

            key = _keys.Get(jwk.GetRawText(), out JoseError? keyError);
            if (key is null || key.HasPrivateKey || key.KeyType == JwkKeyType.Octet)
            {
                return Invalid("the DPoP proof's jwk is not a usable public key" + Detail(keyError));
            }
        }

        JwsVerification verified = _verifier.Verify(proof, key);
        if (!verified.IsValid || verified.Payload is null)
        {
            return Invalid("the DPoP proof's signature, type or algorithm is not valid" + Detail(verified.Error));
        }

        // Steps 3, 8–12: the claims.
        string jti;
        string? nonce;
        DateTimeOffset issuedAt;
        using (JsonDocument? payload = TryParse(verified.Payload))
        {
            if (payload is null || payload.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Invalid("the DPoP proof's payload is not a JSON object");
            }

            JsonElement claims = payload.RootElement;
            if (!TryString(claims, "jti", out string? jtiValue) || jtiValue.Length > 512)
            {
                return Invalid("the DPoP proof has no jti (or one longer than 512 characters)");
            }

            if (!TryString(claims, "htm", out string? htm) || !string.Equals(htm, request.Method, StringComparison.Ordinal))
            {
                return Invalid("the DPoP proof's htm does not match the request method");
            }

            if (!TryString(claims, "htu", out string? htu) || !DpopTargetUri.Matches(htu, request.Uri))
            {
                return Invalid("the DPoP proof's htu does not match the request URI");
            }

            if (!claims.TryGetProperty("iat", out JsonElement iat) || iat.ValueKind != JsonValueKind.Number || !iat.TryGetDouble(out double iatSeconds)
                || double.IsNaN(iatSeconds) || iatSeconds < 0 || iatSeconds > 253402300799)
            {
                return Invalid("the DPoP proof has no valid iat");
            }

            issuedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(iatSeconds * 1000));
            DateTimeOffset now = Clock.Now(_time);
            if (issuedAt > now + _options.ClockSkew || issuedAt < now - _options.MaxAge)
            {
                // A client whose clock is off gets a nonce to retry with when nonces are in use (RFC 9449 §8: the nonce, not iat, then proves freshness).
                return _nonces is not null && _options.RequireNonce
                    ? UseNonce("the DPoP proof's iat is outside the accepted window")
                    : Invalid("the DPoP proof's iat is outside the accepted window");
            }

            if (request.AccessToken is not null)
            {
                if (!TryString(claims, "ath", out string? ath) || !AthMatches(ath, request.AccessToken))
                {
                    return Invalid("the DPoP proof's ath does not match the access token");
                }
            }

            nonce = claims.TryGetProperty("nonce", out JsonElement nonceElement) && nonceElement.ValueKind == JsonValueKind.String ? nonceElement.GetString() : null;
            if (claims.TryGetProperty("nonce", out JsonElement anyNonce) && anyNonce.ValueKind != JsonValueKind.String)
            {
                return Invalid("the DPoP proof's nonce must be a string");
            }

            // Step 10 applies only where this server gives nonces: without a source a nonce is not ours to judge.
            if (_nonces is not null && (nonce is not null ? !_nonces.IsValid(nonce) : _options.RequireNonce))
            {
                return UseNonce(nonce is null ? "the DPoP proof must carry the server's nonce" : "the DPoP proof's nonce is not current");
            }

            jti = jtiValue;
        }

        return Outcome.Success(new UnspentDpopProof(new DpopProof { Key = key, KeyThumbprint = key.Thumbprint, JwtId = jti, IssuedAt = issuedAt, Nonce = nonce }));
    }

    /// <summary>
    /// Step 11's replay half (RFC 9449 §11.1): records <paramref name="proof"/>'s <c>jti</c> (a proof
    /// <see cref="Verify"/> accepted); the checked <see cref="DpopProof"/> the first time, <c>invalid_dpop_proof</c>
    /// when it was already used. Only proofs that verified reach the shared cache.
    /// </summary>
    public async ValueTask<Outcome<DpopProof>> UseAsync(UnspentDpopProof proof, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(proof);
        DpopProof checkedProof = proof.Proof;
        return await _replays.TryUseAsync(checkedProof.KeyThumbprint, checkedProof.JwtId, _options.MaxAge + _options.ClockSkew, cancellationToken).ConfigureAwait(false)
            ? Outcome.Success(checkedProof)
            : Outcome.Failure<DpopProof>(DpopErrorCodes.InvalidProof, "the DPoP proof was already used (jti replay)");
    }

    /// <summary>The <c>ath</c> of <paramref name="accessToken"/>: base64url of the SHA-256 of its ASCII bytes (RFC 9449 §4.2).</summary>
    public static string AccessTokenHash(string accessToken)
    {
        ArgumentNullException.ThrowIfNull(accessToken);
        return StrictBase64Url.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
    }

    private static bool AthMatches(string ath, string accessToken) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(ath), Encoding.ASCII.GetBytes(AccessTokenHash(accessToken)));

    private static bool TryString(JsonElement claims, string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
    {
        value = claims.TryGetProperty(name, out JsonElement element) && element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        return !string.IsNullOrEmpty(value);
    }

    // JOSE's JSON rules (JoseJson): duplicate members refused (RFC 7515 §5.2 step 4: parsers that pick
    // different duplicates disagree on what was signed), and no lone surrogate escape, so every string read from the proof can be read.
    private static JsonDocument? TryParse(byte[] utf8) => JoseJson.TryParse(utf8, out _);

    private static string Detail(JoseError? error) => error is null ? "" : $" ({error.Code})";

    private static Outcome<UnspentDpopProof> Invalid(string message) => Outcome.Failure<UnspentDpopProof>(DpopErrorCodes.InvalidProof, message);

    private static Outcome<UnspentDpopProof> UseNonce(string message) => Outcome.Failure<UnspentDpopProof>(DpopErrorCodes.UseNonce, message);
}
