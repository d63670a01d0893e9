using Tessera.PostgreSql;

namespace Tessera.Server.Shop;

/// <summary>
/// The shop's tables in PostgreSQL (<see cref="SqlShopStore"/>), shared by every instance. Placing
/// an order takes the cart with one DELETE … RETURNING: a concurrent order waits for it and then
/// finds the cart empty.
/// </summary>
internal sealed class PostgresShopStore(PostgresDatabase database) : SqlShopStore(database, TakeCart)
{
    private const string TakeCart = """
        WITH taken AS (DELETE FROM shop_cart_items WHERE user_id = @user RETURNING product_id, quantity, added_at)
        SELECT p.id, p.name, p.price_cents, t.quantity, p.currency
        FROM taken t JOIN shop_products p ON p.id = t.product_id ORDER BY t.added_at, p.id COLLATE "C";
        """;
}
