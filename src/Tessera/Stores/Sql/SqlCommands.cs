using System.Data.Common;
using System.Diagnostics.CodeAnalysis;

namespace Tessera.Stores.Sql;

/// <summary>
/// Short forms for parameterised statements over any ADO.NET provider: build a command, add
/// parameters, run it and dispose it, read every row or the first. Also for code that keeps its own
/// tables in the same database.
/// </summary>
public static class SqlCommands
{
    /// <summary>Waits for the connection being opened, runs <paramref name="work"/> on it and closes it (back to the pool).</summary>
    public static async ValueTask<T> UseAsync<TConnection, T>(this ValueTask<TConnection> opening, Func<TConnection, CancellationToken, ValueTask<T>> work, CancellationToken cancellationToken)
        where TConnection : DbConnection
    {
        ArgumentNullException.ThrowIfNull(work);
        TConnection connection = await opening.ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await work(connection, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>A command on <paramref name="connection"/>, in <paramref name="transaction"/> when given.</summary>
    [SuppressMessage("Security", "CA2100:Review SQL queries for security vulnerabilities", Justification = "Every caller passes a constant statement with parameters.")]
    public static DbCommand Command(this DbConnection connection, string sql, DbTransaction? transaction = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        DbCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>
    /// Adds a parameter named <paramref name="name"/> (without prefix: statements write <c>@name</c>).
    /// Null becomes SQL NULL, bytes an array; a <see cref="DateTimeOffset"/> is sent as UTC (pass
    /// <see cref="SqlDialect.Time"/> for a time column the dialect stores its own way).
    /// </summary>
    public static TCommand With<TCommand>(this TCommand command, string name, object? value)
        where TCommand : DbCommand
    {
        ArgumentNullException.ThrowIfNull(command);
        DbParameter parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value switch
        {
            null => DBNull.Value,
            DateTimeOffset time => time.ToUniversalTime(),
            ReadOnlyMemory<byte> bytes => bytes.ToArray(),
            _ => value,
        };
        command.Parameters.Add(parameter);
        return command;
    }

    /// <summary>Runs the statement, disposes it and returns the number of rows it changed.</summary>
    public static async ValueTask<int> ExecuteAsync(this DbCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        await using (command.ConfigureAwait(false))
        {
            return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the query, maps each row with <paramref name="read"/> and disposes everything.</summary>
    public static async ValueTask<List<T>> ReadAllAsync<T>(this DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(read);
        var rows = new List<T>();
        await using (command.ConfigureAwait(false))
        {
            DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    rows.Add(read(reader));
                }
            }
        }

        return rows;
    }

    /// <summary>Runs the query and maps its first row; <c>default</c> when there is none.</summary>
    public static async ValueTask<T?> ReadFirstAsync<T>(this DbCommand command, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(read);
        await using (command.ConfigureAwait(false))
        {
            DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                return await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? read(reader) : default;
            }
        }
    }

    /// <summary>True when the query returns at least one row.</summary>
    public static async ValueTask<bool> AnyAsync(this DbCommand command, CancellationToken cancellationToken) =>
        await command.ReadFirstAsync(_ => true, cancellationToken).ConfigureAwait(false);

    /// <summary>The column's string, or null for SQL NULL.</summary>
    public static string? StringOrNull(this DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
    }

    /// <summary>The column's bytes, or null for SQL NULL.</summary>
    public static ReadOnlyMemory<byte>? BytesOrNull(this DbDataReader reader, int ordinal)
    {
        ArgumentNullException.ThrowIfNull(reader);
        // The cast matters: a null byte[] would convert to an empty ReadOnlyMemory, not to null.
        return reader.IsDBNull(ordinal) ? (ReadOnlyMemory<byte>?)null : reader.GetFieldValue<byte[]>(ordinal);
    }
}
