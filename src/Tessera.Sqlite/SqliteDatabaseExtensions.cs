using Microsoft.Data.Sqlite;

namespace Tessera.Sqlite;

/// <summary>Helpers for code that keeps its own tables in the same database (an application's module).</summary>
public static class SqliteDatabaseExtensions
{
    /// <summary>Runs <paramref name="work"/> on a pooled connection; SQLite failures become <see cref="Stores.StoreUnavailableException"/>.</summary>
    public static async ValueTask<T> RunAsync<T>(this SqliteDatabase database, Func<SqliteConnection, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        try
        {
            SqliteConnection connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                return await work(connection, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (SqliteException ex)
        {
            throw SqliteErrors.Unavailable(ex);
        }
    }

    public static async ValueTask<int> ExecuteAsync(this SqliteCommand command, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        SqliteCommand command = connection.CreateCommand();
#pragma warning disable CA2100 // Every caller passes a constant statement with parameters.
        command.CommandText = sql;
#pragma warning restore CA2100
        command.Transaction = transaction;
        return command;
    }
}
