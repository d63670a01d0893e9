using Npgsql;
using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>
/// Typed short forms for code that keeps its own tables in the same database and wants Npgsql's
/// own command type; the statement helpers are the shared ones in <see cref="SqlCommands"/>.
/// </summary>
public static class PostgresCommands
{
    /// <summary>A command on <paramref name="connection"/>, typed for Npgsql.</summary>
    public static NpgsqlCommand Command(this NpgsqlConnection connection, string sql, NpgsqlTransaction? transaction = null) =>
        (NpgsqlCommand)SqlCommands.Command(connection, sql, transaction);

    /// <summary>Adds a parameter (<see cref="SqlCommands.With{TCommand}"/>), keeping the Npgsql type for chaining.</summary>
    public static NpgsqlCommand With(this NpgsqlCommand command, string name, object? value) =>
        SqlCommands.With(command, name, value);
}
