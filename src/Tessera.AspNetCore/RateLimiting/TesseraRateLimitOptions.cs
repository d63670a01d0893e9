namespace Tessera.AspNetCore.RateLimiting;

/// <summary>A fixed window: at most <see cref="PermitLimit"/> requests per <see cref="Window"/>.</summary>
public sealed class FixedWindowLimit
{
    /// <summary>The most requests allowed in one window.</summary>
    public int PermitLimit { get; set; }

    /// <summary>The window's length.</summary>
    public TimeSpan Window { get; set; }

    /// <summary>
    /// What the limit does while a shared throttle store (Redis) cannot be reached; the in-memory
    /// store never fails. Defaults: sign-in refuses (503), the others count locally.
    /// </summary>
    public ThrottleStoreOutage WhenStoreUnavailable { get; set; }

    /// <summary>What is wrong with this limit, named <paramref name="name"/> in the message; null when it is valid.</summary>
    public string? Problem(string name) =>
        PermitLimit < 1 ? $"{name}:PermitLimit must be at least 1"
        : Window <= TimeSpan.Zero ? $"{name}:Window must be positive"
        : null;
}

/// <summary>How often credentials may be tried. Lockout (per account, persistent) is separate.</summary>
public sealed class TesseraRateLimitOptions
{
    /// <summary>Sign-in attempts per client address.</summary>
    public FixedWindowLimit SignInPerClient { get; set; } = new() { PermitLimit = 20, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Sign-in attempts per account name, whoever sends them.</summary>
    public FixedWindowLimit SignInPerAccount { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    /// <summary>Registrations per client address.</summary>
    public FixedWindowLimit RegisterPerClient { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), WhenStoreUnavailable = ThrottleStoreOutage.CountLocally };

    /// <summary>
    /// Refresh and revocation requests per client address (<c>/auth/token/refresh|revoke</c>,
    /// <c>/oauth2/token</c>, <c>/oauth2/revoke</c>): a client refreshes once per access-token
    /// lifetime, so the default leaves room for many clients behind one address while bounding
    /// guessing and store load.
    /// </summary>
    public FixedWindowLimit TokenPerClient { get; set; } = new() { PermitLimit = 120, Window = TimeSpan.FromMinutes(1), WhenStoreUnavailable = ThrottleStoreOutage.CountLocally };

    /// <summary>
    /// Introspection requests per client address: resource servers call it per token (with their
    /// own cache), and a failed client authentication counts too, bounding secret guessing.
    /// </summary>
    public FixedWindowLimit IntrospectPerClient { get; set; } = new() { PermitLimit = 600, Window = TimeSpan.FromMinutes(1), WhenStoreUnavailable = ThrottleStoreOutage.CountLocally };

    /// <summary>What is wrong with any limit; null when all are valid.</summary>
    public string? Problem() =>
        SignInPerClient.Problem(nameof(SignInPerClient)) ?? SignInPerAccount.Problem(nameof(SignInPerAccount)) ?? RegisterPerClient.Problem(nameof(RegisterPerClient))
        ?? TokenPerClient.Problem(nameof(TokenPerClient)) ?? IntrospectPerClient.Problem(nameof(IntrospectPerClient));
}
