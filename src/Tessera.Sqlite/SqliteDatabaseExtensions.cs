using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Tessera.Stores;
using Tessera.Stores.Sql;
using Tessera.Telemetry;

namespace Tessera.Sqlite;

/// <summary>
/// For code that keeps its own tables in the same database (an application's module). The
/// statement helpers (<c>With</c>, <c>ExecuteAsync</c>, <c>ReadAllAsync</c>…) are the shared ones
/// in <see cref="SqlCommands"/>.
/// </summary>
public static class SqliteDatabaseExtensions
{
    /// <summary>
    /// Runs <paramref name="work"/> on a pooled connection; SQLite failures become <see cref="StoreUnavailableException"/>.
    /// Measured as the operation <paramref name="caller"/> of <paramref name="callerFile"/> (<see cref="StoreCall"/>; filled in by the compiler).
    /// </summary>
    public static async ValueTask<T> RunAsync<T>(this SqliteDatabase database, Func<SqliteConnection, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken, [CallerMemberName] string caller = "", [CallerFilePath] string callerFile = "")
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        StoreCall call = StoreCall.Start("sqlite", caller, callerFile);
        try
        {
            T result = await database.OpenAsync(cancellationToken).UseAsync(work, cancellationToken).ConfigureAwait(false);
            call.End();
            return result;
        }
        catch (SqliteException ex)
        {
            call.End(ex);
            throw new StoreUnavailableException("The SQLite store failed.", ex);
        }
        catch (Exception ex)
        {
            call.End(ex);
            throw;
        }
    }

    /// <summary>A command on <paramref name="connection"/>, typed for SQLite.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null) =>
        (SqliteCommand)SqlCommands.Command(connection, sql, transaction);
}
