using StackExchange.Redis;

namespace Tessera.Redis;

/// <summary>
/// Opens the connection the Redis stores use, tuned so an outage is a fast, clear failure and
/// recovery needs nobody: start-up does not wait for Redis, calls made while it is down fail at
/// once instead of queueing, and the connection comes back by itself when Redis does.
/// </summary>
public static class TesseraRedisConnection
{
    /// <summary>Connect, send and answer timeouts unless the configuration string sets its own (ms).</summary>
    public const int DefaultTimeoutMilliseconds = 2000;

    /// <summary>The options for a StackExchange.Redis configuration string such as <c>127.0.0.1:6379,password=…</c>.</summary>
    public static ConfigurationOptions Options(string configuration)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(configuration);
        ConfigurationOptions options = ConfigurationOptions.Parse(configuration);
        // Start without Redis and keep retrying, rather than failing the host at start.
        options.AbortOnConnectFail = false;
        // While disconnected, fail calls at once (503) rather than holding requests in a backlog.
        options.BacklogPolicy = BacklogPolicy.FailFast;
        // Try again every second: a restarted Redis is back in use within about a second.
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        if (!Mentions(configuration, "connectTimeout"))
        {
            options.ConnectTimeout = DefaultTimeoutMilliseconds;
        }

        if (!Mentions(configuration, "syncTimeout"))
        {
            options.SyncTimeout = DefaultTimeoutMilliseconds;
        }

        if (!Mentions(configuration, "asyncTimeout"))
        {
            options.AsyncTimeout = DefaultTimeoutMilliseconds;
        }

        options.ClientName ??= "tessera";
        return options;
    }

    /// <summary>Connects (without waiting for Redis to be up) using <see cref="Options"/>.</summary>
    public static async Task<IConnectionMultiplexer> ConnectAsync(string configuration, TextWriter? log = null) =>
        await ConnectionMultiplexer.ConnectAsync(Options(configuration), log).ConfigureAwait(false);

    /// <inheritdoc cref="ConnectAsync"/>
    public static IConnectionMultiplexer Connect(string configuration, TextWriter? log = null) =>
        ConnectionMultiplexer.Connect(Options(configuration), log);

    private static bool Mentions(string configuration, string option) =>
        configuration.Contains(option + "=", StringComparison.OrdinalIgnoreCase);
}
