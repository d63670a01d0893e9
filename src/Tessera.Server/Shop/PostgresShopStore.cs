using Npgsql;
using Tessera.PostgreSql;

namespace Tessera.Server.Shop;

/// <summary>
/// The shop's tables in PostgreSQL, shared by every instance. Each change that must not race is
/// one statement: adding is a guarded upsert, ordering takes the cart with one DELETE … RETURNING
/// (a concurrent order waits for it and then finds the cart empty).
/// </summary>
internal sealed class PostgresShopStore(PostgresDatabase database) : IShopStore
{
    private const int OrderFormatVersion = 1;

    public ValueTask<IReadOnlyList<Product>> ListProductsAsync(CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<Product>>(async (connection, ct) => await connection.Command("""
                SELECT id, name, price_cents, currency FROM shop_products ORDER BY name COLLATE "C";
                """).ReadAllAsync(reader => new Product(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3)), ct).ConfigureAwait(false),
            cancellationToken);

    public ValueTask<Cart> GetCartAsync(string userId, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) => ToCart(await connection.Command("""
                SELECT p.id, p.name, p.price_cents, c.quantity, p.currency
                FROM shop_cart_items c JOIN shop_products p ON p.id = c.product_id
                WHERE c.user_id = @user ORDER BY c.added_at, p.id COLLATE "C";
                """).With("user", userId).ReadAllAsync(ReadLine, ct).ConfigureAwait(false)), cancellationToken);

    public ValueTask<CartAdd> AddToCartAsync(string userId, string productId, int quantity, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            // The line grows only while it stays within the limit; the WHERE is re-checked on the
            // newest row when two adds race, so together they cannot pass it either.
            int added = await connection.Command("""
                    INSERT INTO shop_cart_items (user_id, product_id, quantity, added_at)
                    SELECT @user, id, @quantity, @at FROM shop_products WHERE id = @product AND @quantity <= @max
                    ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = shop_cart_items.quantity + excluded.quantity
                    WHERE shop_cart_items.quantity + excluded.quantity <= @max;
                    """)
                .With("user", userId).With("product", productId).With("quantity", quantity).With("at", at).With("max", IShopStore.MaxQuantityPerLine)
                .ExecuteAsync(ct).ConfigureAwait(false);
            if (added == 1)
            {
                return CartAdd.Added;
            }

            bool productExists = (await connection.Command("SELECT 1 FROM shop_products WHERE id = @product;").With("product", productId)
                .ReadAllAsync(_ => true, ct).ConfigureAwait(false)).Count == 1;
            return productExists ? CartAdd.QuantityTooLarge : CartAdd.ProductNotFound;
        }, cancellationToken);

    public async ValueTask<bool> RemoveFromCartAsync(string userId, string productId, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("DELETE FROM shop_cart_items WHERE user_id = @user AND product_id = @product;")
            .With("user", userId).With("product", productId).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    public ValueTask<Order?> PlaceOrderAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            NpgsqlTransaction transaction = await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                Cart cart = ToCart(await connection.Command("""
                        WITH taken AS (DELETE FROM shop_cart_items WHERE user_id = @user RETURNING product_id, quantity, added_at)
                        SELECT p.id, p.name, p.price_cents, t.quantity, p.currency
                        FROM taken t JOIN shop_products p ON p.id = t.product_id ORDER BY t.added_at, p.id COLLATE "C";
                        """, transaction).With("user", userId).ReadAllAsync(ReadLine, ct).ConfigureAwait(false));
                if (cart.Items.Count == 0)
                {
                    return null;
                }

                var order = new Order(RandomIds.New128(), at, cart.Items, cart.TotalCents, cart.Currency);
                await connection.Command("""
                        INSERT INTO shop_orders (id, user_id, created_at, total_cents, currency, format) VALUES (@id, @user, @at, @total, @currency, @format);
                        """, transaction)
                    .With("id", order.Id).With("user", userId).With("at", at).With("total", order.TotalCents)
                    .With("currency", order.Currency).With("format", OrderFormatVersion)
                    .ExecuteAsync(ct).ConfigureAwait(false);
                foreach (CartLine line in order.Lines)
                {
                    await connection.Command("""
                            INSERT INTO shop_order_lines (order_id, product_id, name, unit_price_cents, quantity) VALUES (@order, @product, @name, @price, @quantity);
                            """, transaction)
                        .With("order", order.Id).With("product", line.ProductId).With("name", line.Name)
                        .With("price", line.UnitPriceCents).With("quantity", line.Quantity)
                        .ExecuteAsync(ct).ConfigureAwait(false);
                }

                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return order;
            }
        }, cancellationToken);

    public ValueTask<IReadOnlyList<Order>> ListOrdersAsync(string userId, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<Order>>(async (connection, ct) =>
        {
            var headers = await connection.Command("SELECT id, created_at, total_cents, currency FROM shop_orders WHERE user_id = @user ORDER BY created_at DESC, id COLLATE \"C\";")
                .With("user", userId).ReadAllAsync(reader => (Id: reader.GetString(0), At: reader.Time(1), Total: reader.GetInt64(2), Currency: reader.GetString(3)), ct).ConfigureAwait(false);
            ILookup<string, CartLine> lines = (await connection.Command("""
                    SELECT l.order_id, l.product_id, l.name, l.unit_price_cents, l.quantity
                    FROM shop_order_lines l JOIN shop_orders o ON o.id = l.order_id
                    WHERE o.user_id = @user ORDER BY l.name COLLATE "C";
                    """).With("user", userId)
                .ReadAllAsync(reader => (Order: reader.GetString(0), Line: new CartLine(reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt32(4))), ct).ConfigureAwait(false))
                .ToLookup(l => l.Order, l => l.Line, StringComparer.Ordinal);
            return headers.Select(h => new Order(h.Id, h.At, [.. lines[h.Id]], h.Total, h.Currency)).ToList();
        }, cancellationToken);

    private static (CartLine Line, string Currency) ReadLine(NpgsqlDataReader reader) =>
        (new CartLine(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3)), reader.GetString(4));

    private static Cart ToCart(List<(CartLine Line, string Currency)> rows) =>
        new([.. rows.Select(r => r.Line)], rows.Count > 0 ? rows[^1].Currency : "EUR");
}
