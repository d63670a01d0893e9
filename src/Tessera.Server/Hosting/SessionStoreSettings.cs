namespace Tessera.Server.Hosting;

/// <summary>
/// Where sessions live (section <c>Tessera</c>): <c>Tessera:SessionStore</c> unset keeps them in the
/// main store; <c>redis</c> puts them in Redis (<c>Tessera:Redis:Configuration</c>), shared by
/// every instance that names the same Redis and key prefix.
/// </summary>
public sealed class SessionStoreSettings
{
    public const string Redis = "redis";

    /// <summary>Unset (sessions in the main store) or <c>redis</c>.</summary>
    public string? SessionStore { get; set; }

    public RedisSettings RedisStore { get; set; } = new();

    public bool UsesRedis => string.Equals(SessionStore, Redis, StringComparison.OrdinalIgnoreCase);

    /// <summary>Why these settings are unusable, or null when they are fine.</summary>
    public string? Problem() =>
        !string.IsNullOrEmpty(SessionStore) && !UsesRedis ? $"Tessera:SessionStore must be unset (sessions in the main store) or 'redis', not '{SessionStore}'."
        : UsesRedis && string.IsNullOrWhiteSpace(RedisStore.Configuration) ? "Tessera:SessionStore=redis needs Tessera:Redis:Configuration, a StackExchange.Redis configuration string such as 127.0.0.1:6379."
        : UsesRedis && string.IsNullOrEmpty(RedisStore.KeyPrefix) ? "Tessera:Redis:KeyPrefix must not be empty."
        : null;
}

/// <summary>Section <c>Tessera:Redis</c>.</summary>
public sealed class RedisSettings
{
    /// <summary>A StackExchange.Redis configuration string, e.g. <c>127.0.0.1:6379,password=…</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Put before every key; instances that share sessions use the same one.</summary>
    public string KeyPrefix { get; set; } = "tessera:";
}
