using Microsoft.Data.Sqlite;
using Tessera.Stores;
using Tessera.Stores.Sql;

namespace Tessera.Sqlite;

/// <summary>
/// For code that keeps its own tables in the same database (an application's module). The
/// statement helpers (<c>With</c>, <c>ExecuteAsync</c>, <c>ReadAllAsync</c>…) are the shared ones
/// in <see cref="SqlCommands"/>.
/// </summary>
public static class SqliteDatabaseExtensions
{
    /// <summary>Runs <paramref name="work"/> on a pooled connection; SQLite failures become <see cref="StoreUnavailableException"/>.</summary>
    public static async ValueTask<T> RunAsync<T>(this SqliteDatabase database, Func<SqliteConnection, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(work);
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            return await database.OpenAsync(cancellationToken).UseAsync(work, cancellationToken).ConfigureAwait(false);
        }
        catch (SqliteException ex)
        {
            throw new StoreUnavailableException("The SQLite store failed.", ex);
        }
    }

    /// <summary>A command on <paramref name="connection"/>, typed for SQLite.</summary>
    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null) =>
        (SqliteCommand)SqlCommands.Command(connection, sql, transaction);
}
