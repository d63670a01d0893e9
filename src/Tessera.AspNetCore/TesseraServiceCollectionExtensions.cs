using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Microsoft.AspNetCore.DataProtection;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Authentication.IssuedBearer;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Tessera.AspNetCore.Cors;
using Tessera.AspNetCore.OAuth;
using Tessera.OAuth;
using Tessera.OAuth.Grants;
using Tessera.AspNetCore.Tokens;
using Tessera.Keys;
using Tessera.Tokens;
using Tessera.AspNetCore.Csrf;
using Tessera.AspNetCore.Http;
using Tessera.AspNetCore.Provider;
using Tessera.AspNetCore.RateLimiting;
using Tessera.AspNetCore.Stores;
using Tessera.InMemory;
using Tessera.Passwords;
using Tessera.Sessions;
using Tessera.Stores;
using Tessera.Users;
using Tessera.OAuth.IdTokens;

namespace Tessera.AspNetCore;

/// <summary>Registers Tessera's services (<c>AddTessera</c>): the session core, tokens, the key ring, the authentication schemes, errors, CSRF and rate limits, in-memory stores as the fallback.</summary>
public static class TesseraServiceCollectionExtensions
{
    // Seconds; outages of a store (a restart, a failover) are usually that short, and clients back off further themselves.
    private const string StoreOutageRetryAfterSeconds = "5";

    /// <summary>
    /// Adds Tessera's services: password hashing, sign-in with lockout, sessions, the session-cookie
    /// authentication scheme (as the default), problem+json errors, rate limiting and CSRF options.
    /// Stores are added separately (<see cref="AddTesseraInMemoryStores"/> or a backend's own:
    /// <c>AddTesseraSqlite</c>, <c>AddTesseraPostgres</c>, <c>AddTesseraRedisSessions</c>), whose
    /// migrations run before the host takes requests.
    /// Every option is validated when the host starts.
    /// </summary>
    public static IServiceCollection AddTessera(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);

        services.AddOptions<Argon2idParameters>().Validate(p => p.Problem() is null, "Tessera:Passwords is invalid: the memory cost must be 1024 to 1048576 KiB, iterations 1 to 64, parallelism 1 and the hash length 16 to 64 bytes.").ValidateOnStart();
        services.AddOptions<Tessera.AspNetCore.BreachedPasswords.BreachedPasswordOptions>().Validate(o => o.Problem() is null, "Tessera:BreachedPasswords is invalid: BaseUrl must be an absolute http(s) URL without query or fragment and Timeout positive, at most 30 seconds.").ValidateOnStart();
        services.AddOptions<PasswordHashingLimits>().Validate(l => l.Problem() is null, "Tessera:PasswordHashing is invalid: MaxConcurrent must be 1 to 1024, MaxQueued 0 to 1024, MaxWait 0 to 30 seconds and RetryAfter 1 second to 1 hour.").ValidateOnStart();
        services.AddOptions<TesseraSessionOptions>().Validate(o => o.Problem() is null, "Tessera:Sessions is invalid: IdleTimeout must be positive, AbsoluteTimeout at least IdleTimeout, TouchInterval shorter than IdleTimeout, BindTo none|ip|userAgent|both, OnBindingMismatch revoke|flag, MaxSessionsPerUser 1 to 10000, RememberedCookieSecrets 0 to 1000000.").ValidateOnStart();
        services.AddOptions<LockoutOptions>().Validate(o => o.Problem() is null, "Tessera:Lockout is invalid: MaxFailedAttempts and AccountFailureLimit must be 0 or more (AccountFailureLimit 0 or at least MaxFailedAttempts), FirstDelay and KnownClientLifetime positive, MaxDelay at least FirstDelay and FailureWindow at least MaxDelay.").ValidateOnStart();
        services.AddOptions<TesseraRateLimitOptions>().Validate(o => o.Problem() is null, "Tessera:RateLimits is invalid: every PermitLimit must be at least 1 and every Window positive.").ValidateOnStart();
        services.AddOptions<RequestBodyLimitOptions>().Validate(o => o.MaxRequestBodyBytes is >= 1024 and <= 10 * 1024 * 1024, "Tessera:MaxRequestBodyBytes must be between 1024 and 10485760.").ValidateOnStart();
        services.AddOptions<TesseraTokenOptions>().Validate(o => o.Problem() is null, "Tessera:Tokens is invalid: AccessTokenLifetime must be positive (at most a day), RefreshAbsoluteLifetime at least RefreshIdleLifetime, ReuseGraceWindow 0 to 1 minute, KeyRotationInterval longer than KeyPublicationLead, Algorithm and every IdTokenAlgorithms entry an asymmetric JWS algorithm, IdTokenLifetime positive (at most a day), Issuer an absolute URL, VerifiedTokenCacheEntries not negative and VerifiedTokenCacheBytes positive.").ValidateOnStart();
        services.AddOptions<TesseraIntrospectionOptions>();
        services.AddOptions<CsrfOptions>().Validate(o => o.TrustedOrigins.All(IsOrigin), "Tessera:Csrf:TrustedOrigins must hold origins such as https://app.example.org (scheme, host, optional port, nothing else).").ValidateOnStart();

        services.AddOptions<Tessera.Dpop.TesseraDpopOptions>().Validate(o => o.Problem() is null, "Tessera:Dpop is invalid: AllowedAlgorithms must name asymmetric JWS algorithms, MaxAge and NonceLifetime must be positive, ClockSkew not negative, MaxAge plus ClockSkew at most 24 hours, MaxProofLength at least 256.").ValidateOnStart();
        // Counters for rate limits and failed sign-ins; a shared store (Redis) replaces it in a cluster.
        services.TryAddSingleton<Tessera.Throttling.IThrottleStore>(sp => new InMemoryThrottleStore(sp.GetRequiredService<TimeProvider>(), InMemoryThrottleStore.DefaultMaxEntries, sp.GetService<ILogger<InMemoryThrottleStore>>()));
        services.TryAddSingleton(sp => new PasswordHashingGate(sp.GetRequiredService<IOptions<PasswordHashingLimits>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IPasswordHasher>(sp => new Argon2idPasswordHasher(sp.GetRequiredService<IOptions<Argon2idParameters>>().Value, sp.GetRequiredService<PasswordHashingGate>()));
        services.TryAddSingleton(sp => new SessionService(sp.GetRequiredService<ISessionStore>(), sp.GetRequiredService<IOptions<TesseraSessionOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetService<ILogger<SessionService>>(), sp.GetService<Tessera.Telemetry.SecurityEvents>()));
        services.TryAddSingleton(sp => new SessionAttributes(sp.GetRequiredService<ISessionStore>(), sp.GetRequiredService<IOptions<TesseraSessionOptions>>().Value));
        services.TryAddSingleton(sp => new PasswordSignIn(sp.GetRequiredService<IUserStore>(), sp.GetRequiredService<IPasswordHasher>(), sp.GetRequiredService<Tessera.Throttling.IThrottleStore>(), sp.GetRequiredService<IOptions<LockoutOptions>>().Value, sp.GetService<ILogger<PasswordSignIn>>(), sp.GetService<Tessera.Telemetry.SecurityEvents>()));
        // Every endpoint that checks a password goes through this: per-account limit, lockout per account and client.
        services.TryAddSingleton<Tessera.AspNetCore.Endpoints.PasswordCheck>();
        services.TryAddSingleton<ISecretProtector>(sp => new DataProtectionSecretProtector(sp.GetRequiredService<IDataProtectionProvider>()));
        services.TryAddSingleton(sp => new SigningKeyRing(sp.GetRequiredService<ISigningKeyStore>(), sp.GetRequiredService<ISecretProtector>(), sp.GetRequiredService<IOptions<TesseraTokenOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new TokenService(sp.GetRequiredService<ISessionStore>(), sp.GetRequiredService<SessionService>(), sp.GetRequiredService<SigningKeyRing>(), sp.GetRequiredService<IOptions<TesseraTokenOptions>>().Value, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<IUserStore>(), sp.GetService<ILogger<TokenService>>(), sp.GetService<Tessera.Telemetry.SecurityEvents>()));
        // DPoP (RFC 9449): proofs checked against a replay cache in the shared throttle store, nonces protected by Data Protection.
        // Single-use marks (DPoP jti, client assertion jti, passkey challenges): in memory beside the in-memory
        // throttle store, in the shared one (Redis) otherwise; a backend's own (AddTesseraPostgres) replaces it.
        services.TryAddSingleton(sp => Tessera.Replay.ReplayStores.Over(sp.GetRequiredService<Tessera.Throttling.IThrottleStore>()));
        services.TryAddSingleton(sp => new Tessera.Dpop.DpopReplayCache(Tessera.Replay.ReplayStores.For(Tessera.Replay.ReplayPurpose.Dpop, sp.GetRequiredService<Tessera.Replay.IReplayStore>(), sp.GetRequiredService<Tessera.Throttling.IThrottleStore>())));
        services.TryAddSingleton<Tessera.Dpop.IDpopNonces>(sp => new Tessera.AspNetCore.Dpop.DataProtectionDpopNonces(sp.GetRequiredService<IDataProtectionProvider>(), sp.GetRequiredService<IOptions<Tessera.Dpop.TesseraDpopOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new Tessera.Dpop.DpopProofValidator(sp.GetRequiredService<IOptions<Tessera.Dpop.TesseraDpopOptions>>().Value, sp.GetRequiredService<Tessera.Dpop.DpopReplayCache>(), sp.GetRequiredService<Tessera.Dpop.IDpopNonces>(), sp.GetRequiredService<TimeProvider>()));
        // OpenID Connect ID tokens: signed with the ring's key of each client's algorithm; id_token_hint checks for logout.
        services.TryAddSingleton(sp => new IdTokenIssuer(sp.GetRequiredService<IOptions<TesseraTokenOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new IdTokenHintValidator(sp.GetRequiredService<SigningKeyRing>(), sp.GetRequiredService<IOptions<TesseraTokenOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        // Every store registration (AddTesseraSqlite, AddTesseraPostgres) adds its migrator; this runs them before anything else starts.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, StoreMigrationService>());
        services.AddHostedService<KeyRingStartupCheck>();
        // Readiness of every store and of the key ring, liveness (MapTesseraHealth serves them).
        Tessera.AspNetCore.Health.TesseraHealthChecks.AddTesseraHealthChecks(services);
        // The opt-in breached-password look-up (off unless Tessera:BreachedPasswords:Enabled), through its own named HttpClient.
        services.AddHttpClient(Tessera.AspNetCore.BreachedPasswords.BreachedPasswordOptions.HttpClientName, client => client.DefaultRequestHeaders.UserAgent.ParseAdd("Tessera-BreachedPasswordCheck/1"));
        services.TryAddSingleton<Tessera.AspNetCore.BreachedPasswords.BreachedPasswordCheck>();
        services.TryAddSingleton(sp => new UserRegistration(sp.GetRequiredService<IUserStore>(), sp.GetRequiredService<IPasswordHasher>(), sp.GetRequiredService<TimeProvider>()));

        // Passkeys (WebAuthn): the ceremonies, their cluster-safe state, Tessera:Passkeys (docs/passkeys.md).
        Tessera.AspNetCore.Passkeys.PasskeyServiceCollectionExtensions.AddTesseraPasskeys(services);

        // The OpenID Provider's pages and endpoints (MapTesseraProvider).
        services.AddTesseraProviderServices();

        // Client registration and roles (the admin API, MapTesseraAdmin), and the configured clients
        // (AddTesseraClients), written to the client store after the migrations, before requests.
        services.TryAddSingleton(sp => new Tessera.OAuth.Registration.ClientRegistration(sp.GetRequiredService<Tessera.OAuth.IClientStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new UserRoles(sp.GetRequiredService<IUserStore>()));
        // A durable store registers its own audit log (AddTesseraSqlite, AddTesseraPostgres); this bounded one is the fallback.
        services.TryAddSingleton<Tessera.Audit.IAuditLog>(_ => new InMemoryAuditLog());
        // Sign-ins, lockouts, reuse, sessions ended, accounts created, passwords changed: counted and audited together.
        Tessera.AspNetCore.Telemetry.TelemetryRegistration.AddTesseraTelemetryCore(services);
        services.TryAddSingleton(sp => new UserAdministration(sp.GetRequiredService<IUserStore>(), sp.GetRequiredService<SessionService>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<Tessera.OAuth.IConsentStore>(), sp.GetService<Tessera.Throttling.IThrottleStore>(), sp.GetService<Tessera.Passkeys.IPasskeyStore>()));
        services.AddOptions<Tessera.AspNetCore.Clients.TesseraClientsOptions>();
        services.AddHostedService<Tessera.AspNetCore.Clients.ConfiguredClientSeeder>();

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            int status = context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode;
            // Errors raised by the framework (routing, binding, limits) get a code too.
            if (!context.ProblemDetails.Extensions.ContainsKey(TesseraProblems.ErrorMember))
            {
                context.ProblemDetails.Extensions[TesseraProblems.ErrorMember] = HttpErrorCodes.ForStatus(status);
            }

            if (status == StatusCodes.Status401Unauthorized)
            {
                SessionCookieChallenge.Add(context.HttpContext);
            }

            // A store outage (503) says when to try again (RFC 9110 §10.2.3), whichever path answered it.
            if (status == StatusCodes.Status503ServiceUnavailable && !context.HttpContext.Response.Headers.ContainsKey(HeaderNames.RetryAfter))
            {
                context.HttpContext.Response.Headers.RetryAfter = StoreOutageRetryAfterSeconds;
            }
        });
        services.AddExceptionHandler<TesseraExceptionHandler>();

        // The OAuth provider's token side (#12): client authentication, grants, CORS. Without a client
        // registry (a host that registers no IClientStore) only Tessera's own first-party tokens work.
        services.TryAddSingleton(sp => new ClientAssertionReplayCache(Tessera.Replay.ReplayStores.For(Tessera.Replay.ReplayPurpose.ClientAssertion, sp.GetRequiredService<Tessera.Replay.IReplayStore>(), sp.GetRequiredService<Tessera.Throttling.IThrottleStore>()), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ClientAssertionValidator(sp.GetRequiredService<ClientAssertionReplayCache>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ClientAuthenticator(sp.GetService<IClientStore>(), sp.GetRequiredService<ClientAssertionValidator>(), sp.GetRequiredService<IOptions<TesseraTokenOptions>>().Value));
        services.TryAddSingleton(sp => new AuthorizationCodeGrant(sp.GetRequiredService<IAuthorizationCodeStore>(), sp.GetRequiredService<IUserStore>(), sp.GetRequiredService<TokenService>(), sp.GetRequiredService<IdTokenIssuer>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ClientCredentialsGrant(sp.GetRequiredService<TokenService>()));
        services.TryAddSingleton(sp => new RegisteredClientOrigins(sp.GetService<IClientStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddCors(TesseraCors.AddPublicPolicy);
        services.Replace(ServiceDescriptor.Transient<ICorsPolicyProvider, TesseraCorsPolicyProvider>());
        services.AddTesseraRateLimiting();

        // The default scheme picks per request: a bearer token (header or token cookie) or the session cookie.
        services.AddAuthentication(IssuedBearerDefaults.SelectorScheme).AddTesseraSessionCookie().AddTesseraIssuedBearer();
        // The scheme checks its options (SessionCookieOptions.Validate) at its first request; check them at start instead.
        services.AddOptions<SessionCookieOptions>(SessionCookieDefaults.AuthenticationScheme).ValidateOnStart();
        services.AddAuthorization();
        return services;
    }

    /// <summary>Keeps users and sessions in process memory (lost at exit): tests and experiments.</summary>
    public static IServiceCollection AddTesseraInMemoryStores(this IServiceCollection services)
    {
        services.TryAddSingleton<IUserStore, InMemoryUserStore>();
        services.TryAddSingleton<ISessionStore, InMemorySessionStore>();
        services.TryAddSingleton<ISigningKeyStore, InMemorySigningKeyStore>();
        // The client registry deletes a client's consents, so both share one consent store.
        services.TryAddSingleton<InMemoryConsentStore>();
        services.TryAddSingleton<Tessera.OAuth.IClientStore>(sp => new InMemoryClientStore(sp.GetRequiredService<InMemoryConsentStore>()));
        services.TryAddSingleton<Tessera.OAuth.IAuthorizationCodeStore, InMemoryAuthorizationCodeStore>();
        services.TryAddSingleton<Tessera.OAuth.IConsentStore>(sp => sp.GetRequiredService<InMemoryConsentStore>());
        services.TryAddSingleton<Tessera.Passkeys.IPasskeyStore, InMemoryPasskeyStore>();
        return services;
    }

    private static bool IsOrigin(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out Uri? uri)
        && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
        && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment) && string.IsNullOrEmpty(uri.UserInfo)
        && !value.TrimEnd('/').EndsWith('/');
}
