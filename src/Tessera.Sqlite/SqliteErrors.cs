using Microsoft.Data.Sqlite;
using Tessera.Stores;

namespace Tessera.Sqlite;

/// <summary>Turns SQLite failures into the store contract's exceptions.</summary>
internal static class SqliteErrors
{
    // SQLITE_CONSTRAINT: an expected outcome (a taken name), not an outage.
    private const int Constraint = 19;

    public static bool IsConstraintViolation(SqliteException exception) => exception.SqliteErrorCode == Constraint;

    public static StoreUnavailableException Unavailable(SqliteException exception) =>
        new("The SQLite store failed.", exception);
}
