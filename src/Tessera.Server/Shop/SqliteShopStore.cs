using Microsoft.Data.Sqlite;
using Tessera.Sqlite;

namespace Tessera.Server.Shop;

/// <summary>The shop's tables in Tessera's SQLite file.</summary>
internal sealed class SqliteShopStore(SqliteDatabase database) : IShopStore
{
    private const int OrderFormatVersion = 1;

    public ValueTask<IReadOnlyList<Product>> ListProductsAsync(CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<Product>>(async (connection, ct) =>
        {
            var products = new List<Product>();
            await ReadAsync(connection.Command("SELECT id, name, price_cents, currency FROM shop_products ORDER BY name;"), reader => products.Add(new Product(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3))), ct).ConfigureAwait(false);
            return products;
        }, cancellationToken);

    public ValueTask<Cart> GetCartAsync(string userId, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) => await ReadCartAsync(connection, null, userId, ct).ConfigureAwait(false), cancellationToken);

    public ValueTask<CartAdd> AddToCartAsync(string userId, string productId, int quantity, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            await using (transaction.ConfigureAwait(false))
            {
                long? existing = null;
                bool productExists = false;
                await ReadAsync(connection.Command("""
                        SELECT (SELECT COUNT(*) FROM shop_products WHERE id = $product),
                               (SELECT quantity FROM shop_cart_items WHERE user_id = $user AND product_id = $product);
                        """, transaction).With("$product", productId).With("$user", userId), reader =>
                {
                    productExists = reader.GetInt64(0) == 1;
                    existing = reader.IsDBNull(1) ? null : reader.GetInt64(1);
                }, ct).ConfigureAwait(false);

                if (!productExists)
                {
                    return CartAdd.ProductNotFound;
                }

                if ((existing ?? 0) + quantity > IShopStore.MaxQuantityPerLine)
                {
                    return CartAdd.QuantityTooLarge;
                }

                await connection.Command("""
                        INSERT INTO shop_cart_items (user_id, product_id, quantity, added_at) VALUES ($user, $product, $quantity, $at)
                        ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = quantity + excluded.quantity;
                        """, transaction)
                    .With("$user", userId).With("$product", productId).With("$quantity", quantity).With("$at", SqliteValues.ToUnixMs(at))
                    .ExecuteAsync(ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return CartAdd.Added;
            }
        }, cancellationToken);

    public async ValueTask<bool> RemoveFromCartAsync(string userId, string productId, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("DELETE FROM shop_cart_items WHERE user_id = $user AND product_id = $product;")
            .With("$user", userId).With("$product", productId).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    public ValueTask<Order?> PlaceOrderAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            // One immediate transaction: two concurrent "place order" requests cannot both take the cart.
            SqliteTransaction transaction = connection.BeginTransaction(deferred: false);
            await using (transaction.ConfigureAwait(false))
            {
                Cart cart = await ReadCartAsync(connection, transaction, userId, ct).ConfigureAwait(false);
                if (cart.Items.Count == 0)
                {
                    return null;
                }

                var order = new Order(RandomIds.New128(), at, cart.Items, cart.TotalCents, cart.Currency);
                await connection.Command("""
                        INSERT INTO shop_orders (id, user_id, created_at, total_cents, currency, format) VALUES ($id, $user, $at, $total, $currency, $format);
                        """, transaction)
                    .With("$id", order.Id).With("$user", userId).With("$at", SqliteValues.ToUnixMs(at)).With("$total", order.TotalCents)
                    .With("$currency", order.Currency).With("$format", OrderFormatVersion)
                    .ExecuteAsync(ct).ConfigureAwait(false);
                foreach (CartLine line in order.Lines)
                {
                    await connection.Command("""
                            INSERT INTO shop_order_lines (order_id, product_id, name, unit_price_cents, quantity) VALUES ($order, $product, $name, $price, $quantity);
                            """, transaction)
                        .With("$order", order.Id).With("$product", line.ProductId).With("$name", line.Name)
                        .With("$price", line.UnitPriceCents).With("$quantity", line.Quantity)
                        .ExecuteAsync(ct).ConfigureAwait(false);
                }

                await connection.Command("DELETE FROM shop_cart_items WHERE user_id = $user;", transaction).With("$user", userId).ExecuteAsync(ct).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return order;
            }
        }, cancellationToken);

    public ValueTask<IReadOnlyList<Order>> ListOrdersAsync(string userId, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<Order>>(async (connection, ct) =>
        {
            var headers = new List<(string Id, DateTimeOffset At, long Total, string Currency)>();
            await ReadAsync(connection.Command("SELECT id, created_at, total_cents, currency FROM shop_orders WHERE user_id = $user ORDER BY created_at DESC, id;")
                .With("$user", userId), reader => headers.Add((reader.GetString(0), SqliteValues.Time(reader, 1), reader.GetInt64(2), reader.GetString(3))), ct).ConfigureAwait(false);

            var lines = new Dictionary<string, List<CartLine>>(StringComparer.Ordinal);
            await ReadAsync(connection.Command("""
                    SELECT l.order_id, l.product_id, l.name, l.unit_price_cents, l.quantity
                    FROM shop_order_lines l JOIN shop_orders o ON o.id = l.order_id
                    WHERE o.user_id = $user ORDER BY l.name;
                    """).With("$user", userId), reader =>
            {
                if (!lines.TryGetValue(reader.GetString(0), out List<CartLine>? list))
                {
                    lines[reader.GetString(0)] = list = [];
                }

                list.Add(new CartLine(reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt32(4)));
            }, ct).ConfigureAwait(false);

            return headers.Select(h => new Order(h.Id, h.At, lines.GetValueOrDefault(h.Id) ?? [], h.Total, h.Currency)).ToList();
        }, cancellationToken);

    private static async ValueTask<Cart> ReadCartAsync(SqliteConnection connection, SqliteTransaction? transaction, string userId, CancellationToken cancellationToken)
    {
        var items = new List<CartLine>();
        string currency = "EUR";
        await ReadAsync(connection.Command("""
                SELECT p.id, p.name, p.price_cents, c.quantity, p.currency
                FROM shop_cart_items c JOIN shop_products p ON p.id = c.product_id
                WHERE c.user_id = $user ORDER BY c.added_at, p.id;
                """, transaction).With("$user", userId), reader =>
        {
            items.Add(new CartLine(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3)));
            currency = reader.GetString(4);
        }, cancellationToken).ConfigureAwait(false);
        return new Cart(items, currency);
    }

    private static async ValueTask ReadAsync(SqliteCommand command, Action<SqliteDataReader> row, CancellationToken cancellationToken)
    {
        await using (command.ConfigureAwait(false))
        {
            SqliteDataReader reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    row(reader);
                }
            }
        }
    }
}
