using Tessera.Sqlite;

namespace Tessera.Server.Shop;

/// <summary>
/// The shop's tables in Tessera's SQLite file (<see cref="SqlShopStore"/>). SQLite has no
/// data-changing CTE: placing an order reads the cart and empties it inside its
/// <c>BEGIN IMMEDIATE</c> transaction.
/// </summary>
internal sealed class SqliteShopStore(SqliteDatabase database) : SqlShopStore(database, takeCart: null);
