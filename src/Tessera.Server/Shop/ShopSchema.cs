using Tessera.Sqlite;

namespace Tessera.Server.Shop;

/// <summary>The demo shop's tables, a migration module of their own, with the catalog seeded.</summary>
internal static class ShopSchema
{
    public const string Module = "shop";

    public static IReadOnlyList<SqliteMigration> Migrations { get; } =
    [
        new(Module, 1, "products, carts and orders", """
            CREATE TABLE shop_products (
                id          TEXT    NOT NULL PRIMARY KEY,
                name        TEXT    NOT NULL,
                price_cents INTEGER NOT NULL,
                currency    TEXT    NOT NULL
            ) WITHOUT ROWID;

            CREATE TABLE shop_cart_items (
                user_id    TEXT    NOT NULL,
                product_id TEXT    NOT NULL REFERENCES shop_products (id),
                quantity   INTEGER NOT NULL,
                added_at   INTEGER NOT NULL,
                PRIMARY KEY (user_id, product_id)
            ) WITHOUT ROWID;

            CREATE TABLE shop_orders (
                id          TEXT    NOT NULL PRIMARY KEY,
                user_id     TEXT    NOT NULL,
                created_at  INTEGER NOT NULL,
                total_cents INTEGER NOT NULL,
                currency    TEXT    NOT NULL,
                format      INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX shop_orders_by_user ON shop_orders (user_id, created_at);

            CREATE TABLE shop_order_lines (
                order_id         TEXT    NOT NULL REFERENCES shop_orders (id) ON DELETE CASCADE,
                product_id       TEXT    NOT NULL,
                name             TEXT    NOT NULL,
                unit_price_cents INTEGER NOT NULL,
                quantity         INTEGER NOT NULL,
                PRIMARY KEY (order_id, product_id)
            ) WITHOUT ROWID;

            INSERT INTO shop_products (id, name, price_cents, currency) VALUES
                ('tessera-bronze', 'Bronze tessera', 450, 'EUR'),
                ('tessera-bone', 'Bone tessera', 900, 'EUR'),
                ('tessera-lead', 'Lead tessera', 300, 'EUR'),
                ('mosaic-kit', 'Mosaic starter kit', 2500, 'EUR');
            """),
    ];
}
