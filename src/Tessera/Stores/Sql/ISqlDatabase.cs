using System.Data.Common;
using System.Runtime.CompilerServices;

namespace Tessera.Stores.Sql;

/// <summary>One SQL database as the shared stores see it: pooled connections and the dialect to speak.</summary>
public interface ISqlDatabase
{
    /// <summary>The backend's way with times, transactions and errors.</summary>
    SqlDialect Dialect { get; }

    /// <summary>
    /// Runs <paramref name="work"/> on an open pooled connection and closes it after. The backend's
    /// own failures (refused, broken or timed-out connections) become <see cref="StoreUnavailableException"/>.
    /// Each call is measured (<see cref="Telemetry.StoreCall"/>) under the operation
    /// <paramref name="caller"/> of <paramref name="callerFile"/>, which the compiler fills in.
    /// </summary>
    ValueTask<T> RunAsync<T>(Func<DbConnection, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken, [CallerMemberName] string caller = "", [CallerFilePath] string callerFile = "");
}
