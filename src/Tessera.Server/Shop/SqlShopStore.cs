using System.Data.Common;
using Tessera.Stores.Sql;

namespace Tessera.Server.Shop;

/// <summary>
/// The shop's tables in Tessera's SQL database; the statements are the same in every backend
/// (names and ids sort in byte order, as the dialect spells it) but for how an order takes the
/// cart. Adding to the cart is one guarded upsert (the WHERE is re-checked on the newest row when
/// two adds race, so together they cannot pass the limit either); placing an order takes the cart
/// inside one write transaction, so two concurrent orders cannot both take it.
/// </summary>
/// <param name="database">Where the <see cref="ShopSchema"/> tables live.</param>
/// <param name="takeCart">
/// A statement that deletes the cart of <c>@user</c> and returns its lines as the cart query
/// reads them (id, name, price_cents, quantity, currency) in the order they were added; null to
/// read the cart and delete it after the order is written, in the same write transaction.
/// </param>
internal abstract class SqlShopStore(ISqlDatabase database, string? takeCart) : IShopStore
{
    private const int OrderFormatVersion = 1;

    private readonly string _listProducts = $"SELECT id, name, price_cents, currency FROM shop_products ORDER BY {database.Dialect.ByteOrder("name")};";

    private readonly string _cart = $"""
        SELECT p.id, p.name, p.price_cents, c.quantity, p.currency
        FROM shop_cart_items c JOIN shop_products p ON p.id = c.product_id
        WHERE c.user_id = @user ORDER BY c.added_at, {database.Dialect.ByteOrder("p.id")};
        """;

    private readonly string _listOrders =
        $"SELECT id, created_at, total_cents, currency FROM shop_orders WHERE user_id = @user ORDER BY created_at DESC, {database.Dialect.ByteOrder("id")};";

    private readonly string _listOrderLines = $"""
        SELECT l.order_id, l.product_id, l.name, l.unit_price_cents, l.quantity
        FROM shop_order_lines l JOIN shop_orders o ON o.id = l.order_id
        WHERE o.user_id = @user ORDER BY {database.Dialect.ByteOrder("l.name")};
        """;

    private SqlDialect Dialect => database.Dialect;

    public ValueTask<IReadOnlyList<Product>> ListProductsAsync(CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<Product>>(async (connection, ct) => await connection.Command(_listProducts)
            .ReadAllAsync(reader => new Product(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetString(3)), ct).ConfigureAwait(false),
            cancellationToken);

    public ValueTask<Cart> GetCartAsync(string userId, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) => ToCart(await connection.Command(_cart).With("user", userId)
            .ReadAllAsync(ReadLine, ct).ConfigureAwait(false)), cancellationToken);

    public ValueTask<CartAdd> AddToCartAsync(string userId, string productId, int quantity, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            int added = await connection.Command("""
                    INSERT INTO shop_cart_items (user_id, product_id, quantity, added_at)
                    SELECT @user, id, @quantity, @at FROM shop_products WHERE id = @product AND @quantity <= @max
                    ON CONFLICT (user_id, product_id) DO UPDATE SET quantity = shop_cart_items.quantity + excluded.quantity
                    WHERE shop_cart_items.quantity + excluded.quantity <= @max;
                    """)
                .With("user", userId).With("product", productId).With("quantity", quantity).With("at", Dialect.Time(at)).With("max", IShopStore.MaxQuantityPerLine)
                .ExecuteAsync(ct).ConfigureAwait(false);
            if (added == 1)
            {
                return CartAdd.Added;
            }

            bool productExists = await connection.Command("SELECT 1 FROM shop_products WHERE id = @product;").With("product", productId).AnyAsync(ct).ConfigureAwait(false);
            return productExists ? CartAdd.QuantityTooLarge : CartAdd.ProductNotFound;
        }, cancellationToken);

    public async ValueTask<bool> RemoveFromCartAsync(string userId, string productId, CancellationToken cancellationToken) =>
        await database.RunAsync((connection, ct) => connection.Command("DELETE FROM shop_cart_items WHERE user_id = @user AND product_id = @product;")
            .With("user", userId).With("product", productId).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false) == 1;

    public ValueTask<Order?> PlaceOrderAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken) =>
        database.RunAsync(async (connection, ct) =>
        {
            DbTransaction transaction = await Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            await using (transaction.ConfigureAwait(false))
            {
                Cart cart = ToCart(await connection.Command(takeCart ?? _cart, transaction).With("user", userId).ReadAllAsync(ReadLine, ct).ConfigureAwait(false));
                if (cart.Items.Count == 0)
                {
                    return null;
                }

                var order = new Order(RandomIds.New128(), at, cart.Items, cart.TotalCents, cart.Currency);
                await connection.Command("""
                        INSERT INTO shop_orders (id, user_id, created_at, total_cents, currency, format) VALUES (@id, @user, @at, @total, @currency, @format);
                        """, transaction)
                    .With("id", order.Id).With("user", userId).With("at", Dialect.Time(at)).With("total", order.TotalCents)
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

                if (takeCart is null)
                {
                    await connection.Command("DELETE FROM shop_cart_items WHERE user_id = @user;", transaction).With("user", userId).ExecuteAsync(ct).ConfigureAwait(false);
                }

                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return order;
            }
        }, cancellationToken);

    public ValueTask<IReadOnlyList<Order>> ListOrdersAsync(string userId, CancellationToken cancellationToken) =>
        database.RunAsync<IReadOnlyList<Order>>(async (connection, ct) =>
        {
            var headers = await connection.Command(_listOrders).With("user", userId)
                .ReadAllAsync(reader => (Id: reader.GetString(0), At: Dialect.ReadTime(reader, 1), Total: reader.GetInt64(2), Currency: reader.GetString(3)), ct).ConfigureAwait(false);
            ILookup<string, CartLine> lines = (await connection.Command(_listOrderLines).With("user", userId)
                .ReadAllAsync(reader => (Order: reader.GetString(0), Line: new CartLine(reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt32(4))), ct).ConfigureAwait(false))
                .ToLookup(l => l.Order, l => l.Line, StringComparer.Ordinal);
            return headers.Select(h => new Order(h.Id, h.At, [.. lines[h.Id]], h.Total, h.Currency)).ToList();
        }, cancellationToken);

    private static (CartLine Line, string Currency) ReadLine(DbDataReader reader) =>
        (new CartLine(reader.GetString(0), reader.GetString(1), reader.GetInt64(2), reader.GetInt32(3)), reader.GetString(4));

    private static Cart ToCart(List<(CartLine Line, string Currency)> rows) =>
        new([.. rows.Select(r => r.Line)], rows.Count > 0 ? rows[^1].Currency : "EUR");
}
