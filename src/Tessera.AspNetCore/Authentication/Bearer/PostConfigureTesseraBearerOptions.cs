using System.Collections.Concurrent;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Tessera.Jose.Jwt;

namespace Tessera.AspNetCore.Authentication.Bearer;

/// <summary>
/// Fills defaults (clock, HTTP client) and builds what the handler uses from the options: the
/// validation policy, and the key source (fixed keys, or discovery with its JWKS cache), once per scheme.
/// </summary>
internal sealed class PostConfigureTesseraBearerOptions(ILoggerFactory loggerFactory, IServiceProvider services) : IPostConfigureOptions<TesseraBearerOptions>
{
    public void PostConfigure(string? name, TesseraBearerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TimeProvider ??= services.GetService<TimeProvider>() ?? TimeProvider.System;
        ILogger log = loggerFactory.CreateLogger(TesseraBearerLog.Category);

        if (options.Backchannel is null && (options.Keys is null || options.IntrospectionEndpoint is not null))
        {
            options.Backchannel = new HttpClient(options.BackchannelHttpHandler ?? new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None })
            {
                // Each call has its own timeout; this one only catches what slips past them.
                Timeout = options.BackchannelTimeout + options.BackchannelTimeout,
                MaxResponseContentBufferSize = Math.Max(options.MaxResponseBytes, 1024),
            };
            options.Backchannel.DefaultRequestHeaders.UserAgent.ParseAdd("Tessera.AspNetCore");
        }

        // Misconfigured options are reported by TesseraBearerOptions.Validate (at start); build nothing from them here.
        Func<string?, JwtValidator> validatorFor = ValidatorFactory(options);
        if (options.Keys is not null)
        {
            string? issuer = options.ValidIssuer ?? (options.Authority is { } authority ? DiscoveryKeySource.Normalize(authority) : null);
            options.KeySource = new StaticKeySource(new BearerKeys(options.Keys, validatorFor(issuer), issuer ?? ""));
        }
        else if (options.Authority is not null && TesseraBearerOptions.IsAllowedAddress(options.Authority, options.RequireHttps))
        {
            // One validator per issuer, reused across JWKS fetches: the token cache answers only the validator that filled it.
            var validators = new ConcurrentDictionary<string, JwtValidator>(StringComparer.Ordinal);
            options.KeySource = new DiscoveryKeySource(options, options.Backchannel!, log, issuer =>
            {
                if (validators.Count > 8)
                {
                    validators.Clear();
                }

                return validators.GetOrAdd(issuer, validatorFor);
            });
        }

        if (options.IntrospectionEndpoint is not null && TesseraBearerOptions.IsAllowedAddress(options.IntrospectionEndpoint, options.RequireHttps)
            && !string.IsNullOrEmpty(options.IntrospectionClientId) && options.IntrospectionClientSecret is not null)
        {
            options.Introspector = new SessionIntrospector(options, options.Backchannel!, log);
        }

        if (options.RevocationList is { } list)
        {
            options.RevocationCheck = new RevocationListCheck(list, options.BackchannelTimeout, log);
        }

        BuildDpop(options.Dpop, options.TimeProvider);
    }

    /// <summary>
    /// The scheme's own proof validator (its algorithms, ages and nonce rule), over the shared replay
    /// cache and nonce source: the server's when this runs inside it, else the fallbacks
    /// <c>AddTesseraBearer</c> registers (an in-memory throttle store, Data Protection nonces).
    /// </summary>
    private void BuildDpop(TesseraBearerDpopOptions dpop, TimeProvider time)
    {
        Tessera.Dpop.TesseraDpopOptions proofOptions = dpop.ToProofOptions();
        if (!dpop.Accept || proofOptions.Problem() is not null)
        {
            return; // refused by Validate at start
        }

        Tessera.Dpop.DpopReplayCache replays = dpop.ReplayCache
            ?? services.GetService<Tessera.Dpop.DpopReplayCache>()
            ?? new Tessera.Dpop.DpopReplayCache(services.GetService<Tessera.Replay.IReplayStore>() ?? new Tessera.InMemory.InMemoryReplayStore(time));
        // A nonce source even when nonces are not required: a proof that carries one is checked, and a stale one is answered with a fresh nonce.
        Tessera.Dpop.IDpopNonces? nonces = dpop.Nonces
            ?? services.GetService<Tessera.Dpop.IDpopNonces>()
            ?? (services.GetService<Microsoft.AspNetCore.DataProtection.IDataProtectionProvider>() is { } protection
                ? new Tessera.AspNetCore.Dpop.DataProtectionDpopNonces(protection, proofOptions, time)
                : null);
        if (dpop.RequireNonce && nonces is null)
        {
            throw new InvalidOperationException("TesseraBearer Dpop.RequireNonce needs a nonce source: set Dpop.Nonces or register Data Protection.");
        }

        dpop.EffectiveNonces = nonces;
        dpop.Validator = new Tessera.Dpop.DpopProofValidator(proofOptions, replays, nonces, time);
    }

    private static Func<string?, JwtValidator> ValidatorFactory(TesseraBearerOptions options)
    {
        // Copied now: the policy does not change if the options object is touched later.
        string[] audiences = [.. options.Audiences.Prepend(options.Audience).OfType<string>().Where(a => a.Length > 0).Distinct(StringComparer.Ordinal)];
        string[] algorithms = [.. options.AllowedAlgorithms];
        string? type = options.RequiredType;
        // A revocation list is keyed by session: a token that names none could never be refused by it.
        string[] required = options.RevocationList is null ? ["exp", "sub"] : ["exp", "sub", "sid"];
        TimeSpan skew = options.ClockSkew;
        TimeProvider time = options.TimeProvider!;
        return issuer => new JwtValidator(new JwtValidationPolicy
        {
            AllowedAlgorithms = algorithms,
            ValidIssuers = issuer is null ? null : [issuer],
            ValidAudiences = audiences.Length == 0 ? null : audiences,
            RequiredType = type,
            // RFC 9068 §2.2 requires exp and sub of every JWT access token; iss and aud are checked above.
            RequiredClaims = required,
            ClockSkew = skew,
            TimeProvider = time,
        });
    }
}
