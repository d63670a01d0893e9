using Tessera.Jose.Algorithms;

namespace Tessera.Dpop;

/// <summary>How DPoP proofs are checked (RFC 9449 §4.3, §8, §11.1).</summary>
public sealed class TesseraDpopOptions
{
    /// <summary>
    /// The asymmetric algorithms a proof may use (RFC 9449 §4.3 step 5: never <c>none</c> nor a MAC);
    /// advertised as <c>dpop_signing_alg_values_supported</c> and in <c>algs</c> of challenges.
    /// </summary>
    public IList<string> AllowedAlgorithms { get; } = ["ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "EdDSA", "Ed25519"];

    /// <summary>
    /// How old a proof may be (its <c>iat</c>) when it arrives; its <c>jti</c> is remembered for this
    /// long plus <see cref="ClockSkew"/>, so a replay inside the window is caught and one after it is
    /// refused as too old (RFC 9449 §11.1).
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far in the future a proof's <c>iat</c> may be (client clocks run fast).</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Refuse proofs without a current server nonce (<c>use_dpop_nonce</c>, RFC 9449 §8): a proof made
    /// in advance by a briefly compromised client then expires with the nonce. Off by default because
    /// it costs clients a round trip; a nonce a proof does carry is always checked.
    /// </summary>
    public bool RequireNonce { get; set; }

    /// <summary>How long a server nonce stays valid after it is issued; a fresh one is issued every quarter of this.</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The longest proof accepted, in characters (a proof with an RSA-4096 key is about 1.5 KB).</summary>
    public int MaxProofLength { get; set; } = 8 * 1024;

    /// <summary>What is wrong with the values, or null when they are usable (checked when the host starts).</summary>
    public string? Problem()
    {
        foreach (string name in AllowedAlgorithms)
        {
            if (!JwsAlgorithms.TryGet(name, out JwsAlgorithm algorithm) || algorithm.KeyType == Tessera.Jose.Keys.JwkKeyType.Octet)
            {
                return $"Tessera:Dpop:AllowedAlgorithms: '{name}' is not an asymmetric JWS algorithm Tessera supports (RFC 9449 §4.3 step 5).";
            }
        }

        if (MaxAge + ClockSkew > Tessera.Replay.ReplayMarkLifetime.Longest)
        {
            // A proof's jti is marked for MaxAge + ClockSkew (RFC 9449 §11.1); the replay stores take marks of at most a day.
            return $"Tessera:Dpop: MaxAge plus ClockSkew must be at most {Tessera.Replay.ReplayMarkLifetime.Longest.TotalHours:0} hours (a proof's jti is remembered that long; RFC 9449 §11.1 expects minutes).";
        }

        return AllowedAlgorithms.Count == 0 || MaxAge <= TimeSpan.Zero || ClockSkew < TimeSpan.Zero || NonceLifetime <= TimeSpan.Zero || MaxProofLength < 256
            ? "Tessera:Dpop: AllowedAlgorithms must not be empty, MaxAge and NonceLifetime must be positive, ClockSkew not negative, MaxProofLength at least 256."
            : null;
    }
}
