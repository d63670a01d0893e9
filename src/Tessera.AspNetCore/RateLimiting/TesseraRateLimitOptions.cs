namespace Tessera.AspNetCore.RateLimiting;

/// <summary>A fixed window: at most <see cref="PermitLimit"/> requests per <see cref="Window"/>.</summary>
public sealed class FixedWindowLimit
{
    public int PermitLimit { get; set; }

    public TimeSpan Window { get; set; }

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
    public FixedWindowLimit RegisterPerClient { get; set; } = new() { PermitLimit = 10, Window = TimeSpan.FromMinutes(1) };

    public string? Problem() =>
        SignInPerClient.Problem(nameof(SignInPerClient)) ?? SignInPerAccount.Problem(nameof(SignInPerAccount)) ?? RegisterPerClient.Problem(nameof(RegisterPerClient));
}
