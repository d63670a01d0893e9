using Tessera.Dpop;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// DPoP (RFC 9449) on a resource server that validates Tessera's tokens (<see cref="TesseraBearerOptions.Dpop"/>).
/// A token bound to a key (<c>cnf.jkt</c>) is accepted only as <c>Authorization: DPoP</c> with a
/// proof made by that key for this request; whatever these settings say, such a token is never
/// accepted as a plain bearer token (§7.2).
/// </summary>
public sealed class TesseraBearerDpopOptions
{
    /// <summary>Accept the <c>DPoP</c> scheme (RFC 9449 §7.1) besides <c>Bearer</c>, and offer it in challenges. Default: on.</summary>
    public bool Accept { get; set; } = true;

    /// <summary>
    /// Refuse plain bearer tokens: every request must present a DPoP-bound token with its proof, and
    /// challenges offer only <c>DPoP</c>. Default: off (bearer and DPoP side by side). To require DPoP
    /// on some endpoints only, use a policy with <c>RequireDpop()</c> instead.
    /// </summary>
    public bool Require { get; set; }

    /// <summary>
    /// The asymmetric algorithms a proof may be signed with (RFC 9449 §4.3 step 5), sent as <c>algs</c>
    /// in the <c>DPoP</c> challenge (§7.1). Default: those of <see cref="TesseraDpopOptions.AllowedAlgorithms"/>.
    /// </summary>
    public IList<string> AllowedAlgorithms { get; } = new List<string>(new TesseraDpopOptions().AllowedAlgorithms);

    /// <summary>
    /// How old a proof may be when it arrives (its <c>iat</c>); its <c>jti</c> is remembered in the
    /// replay cache this long plus <see cref="ClockSkew"/> (RFC 9449 §11.1). Default: 5 minutes.
    /// </summary>
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How far in the future a proof's <c>iat</c> may be. Default: 60 seconds.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Require a nonce this resource server gave out (RFC 9449 §9): a proof without a current one is
    /// answered 401 <c>use_dpop_nonce</c> with a fresh nonce in <c>DPoP-Nonce</c>, and the client
    /// retries. Costs clients a round trip now and then; limits how long a proof made in advance
    /// stays usable. Default: off (a nonce a proof does carry is checked anyway).
    /// </summary>
    public bool RequireNonce { get; set; }

    /// <summary>
    /// Where nonces come from. Default: the <see cref="IDpopNonces"/> service when one is registered
    /// (the Tessera server registers one), else nonces protected by this application's Data
    /// Protection key ring (every instance must share that key ring to accept each other's nonces).
    /// </summary>
    public IDpopNonces? Nonces { get; set; }

    /// <summary>How long a nonce of the default source stays valid. Default: 5 minutes.</summary>
    public TimeSpan NonceLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Where used proof <c>jti</c>s are remembered. Default: the <see cref="DpopReplayCache"/> service,
    /// which keeps them in the registered <c>IThrottleStore</c>: this process's memory unless a shared
    /// store (Redis, <c>AddTesseraRedis</c>) is registered. Behind a load balancer every instance must
    /// share it, or a proof replayed to another instance is accepted there.
    /// </summary>
    public DpopReplayCache? ReplayCache { get; set; }

    /// <summary>The longest proof accepted, in characters.</summary>
    public int MaxProofLength { get; set; } = 8 * 1024;

    /// <summary>The proof validator built from these settings by the scheme's post-configuration.</summary>
    internal DpopProofValidator? Validator { get; set; }

    /// <summary>The nonce source the validator uses (to send a fresh nonce with <c>use_dpop_nonce</c>).</summary>
    internal IDpopNonces? EffectiveNonces { get; set; }

    /// <summary>The <c>algs</c> of the challenge, space-separated.</summary>
    internal string AlgorithmsParameter => string.Join(' ', AllowedAlgorithms);

    /// <summary>These settings as proof-validation options.</summary>
    internal TesseraDpopOptions ToProofOptions()
    {
        var options = new TesseraDpopOptions
        {
            MaxAge = MaxAge,
            ClockSkew = ClockSkew,
            RequireNonce = RequireNonce,
            NonceLifetime = NonceLifetime,
            MaxProofLength = MaxProofLength,
        };
        options.AllowedAlgorithms.Clear();
        foreach (string algorithm in AllowedAlgorithms)
        {
            options.AllowedAlgorithms.Add(algorithm);
        }

        return options;
    }
}
