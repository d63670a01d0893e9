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
    public static bool IsConnectionLost(Exception exception) =>
        exception is not PostgresException || exception is PostgresException { SqlState: var state } && (state.StartsWith("08", StringComparison.Ordinal) || state.StartsWith("57P", StringComparison.Ordinal));

    public static StoreUnavailableException Unavailable(Exception exception) =>
        new("The PostgreSQL store failed.", exception);
}
