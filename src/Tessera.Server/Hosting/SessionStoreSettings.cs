namespace Tessera.Server.Hosting;

/// <summary>
/// Where sessions live (section <c>Tessera</c>): <c>Tessera:SessionStore</c> unset keeps them in the
/// main store; <c>redis</c> puts them in Redis (<c>Tessera:Redis:*</c>, bound to
/// <see cref="Tessera.Redis.TesseraRedisOptions"/>), shared by every instance that names the same
/// Redis and key prefix.
/// </summary>
public sealed class SessionStoreSettings
{
    public const string Redis = "redis";

    /// <summary>Unset (sessions in the main store) or <c>redis</c>.</summary>
    public string? SessionStore { get; set; }

    public bool UsesRedis => IsRedis(SessionStore);

    /// <summary>Whether a configured <c>Tessera:SessionStore</c> value names Redis.</summary>
    public static bool IsRedis(string? configured) => string.Equals(configured, Redis, StringComparison.OrdinalIgnoreCase);

    /// <summary>Why these settings are unusable, or null when they are fine (Redis's own settings are checked by its registration).</summary>
    public string? Problem() =>
        !string.IsNullOrEmpty(SessionStore) && !UsesRedis ? $"Tessera:SessionStore must be unset (sessions in the main store) or 'redis', not '{SessionStore}'." : null;
}
