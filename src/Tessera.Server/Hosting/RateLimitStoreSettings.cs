namespace Tessera.Server.Hosting;

/// <summary>
/// Where rate limits are counted (<c>Tessera:RateLimits:Store</c>): unset follows the sessions
/// (Redis when <c>Tessera:SessionStore=redis</c>, else this process's memory); <c>memory</c> or
/// <c>redis</c> (<c>Tessera:Redis:*</c>) chooses. With Redis every instance spends from one budget.
/// </summary>
public sealed class RateLimitStoreSettings
{
    public const string Section = "Tessera:RateLimits";

    public const string Memory = "memory";

    /// <summary>Unset, <c>memory</c> or <c>redis</c>.</summary>
    public string? Store { get; set; }

    /// <summary>Whether the configured value (or, unset, the session store) puts the counters in Redis.</summary>
    public static bool UsesRedis(string? configured, bool sessionsInRedis) =>
        string.IsNullOrEmpty(configured) ? sessionsInRedis : SessionStoreSettings.IsRedis(configured);

    /// <summary>Why these settings are unusable, or null when they are fine.</summary>
    public string? Problem() =>
        string.IsNullOrEmpty(Store) || SessionStoreSettings.IsRedis(Store) || string.Equals(Store, Memory, StringComparison.OrdinalIgnoreCase)
            ? null
            : $"Tessera:RateLimits:Store must be unset (Redis when Tessera:SessionStore is redis, else memory), 'memory' or 'redis', not '{Store}'.";
}
