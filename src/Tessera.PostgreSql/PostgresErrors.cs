using Npgsql;
using Tessera.Stores;

namespace Tessera.PostgreSql;

/// <summary>Turns Npgsql failures into the store contract's exceptions.</summary>
internal static class PostgresErrors
{
    /// <summary>
    /// Every Npgsql failure a store call can meet: refused or broken connections, connect and
    /// command timeouts (Npgsql wraps <see cref="TimeoutException"/>), a server shutting down or
    /// starting up, an exhausted pool. Expected outcomes (a taken name) never reach here: the
    /// statements use <c>ON CONFLICT</c> instead of failing.
    /// </summary>
    public static bool IsUnavailable(Exception exception) => exception is NpgsqlException or TimeoutException;

    /// <summary>
    /// True when the failure says nothing about the data but about the connection: the pool's
    /// other idle connections are probably dead too (the server restarted), so they are dropped.
    /// </summary>
    public static bool IsConnectionLost(Exception exception) => exception switch
    {
        // The server answered: only a connection-class (08) or shutdown (57P) state says its connections are gone.
        PostgresException { SqlState: var state } => state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal),

        // A wait at the connection limit that ran out (PostgresDatabase): the server answered 53300, and
        // the connections this instance holds are alive and coming back; dropping them would only make it worse.
        TimeoutException { InnerException: PostgresException answered } => IsConnectionLost(answered),
        _ => true,
    };

    public static StoreUnavailableException Unavailable(Exception exception) =>
        new("The PostgreSQL store failed.", exception);
}
