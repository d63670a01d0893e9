using Tessera.PostgreSql;

namespace Tessera.Server.Shop;

/// <summary>The demo shop's tables in PostgreSQL, the same layout as <see cref="ShopSchema"/>, with the catalog seeded.</summary>
internal static class PostgresShopSchema
{
    public static IReadOnlyList<PostgresMigration> Migrations { get; } =
    [
        new(ShopSchema.Module, 1, "products, carts and orders", """
            CREATE TABLE shop_products (
                id          text    NOT NULL PRIMARY KEY,
                name        text    NOT NULL,
                price_cents bigint  NOT NULL,
                currency    text    NOT NULL
            );

            CREATE TABLE shop_cart_items (
                user_id    text        NOT NULL,
                product_id text        NOT NULL REFERENCES shop_products (id),
                quantity   integer     NOT NULL,
                added_at   timestamptz NOT NULL,
                PRIMARY KEY (user_id, product_id)
            );

            CREATE TABLE shop_orders (
                id          text        NOT NULL PRIMARY KEY,
                user_id     text        NOT NULL,
                created_at  timestamptz NOT NULL,
                total_cents bigint      NOT NULL,
                currency    text        NOT NULL,
                format      integer     NOT NULL
            );
            CREATE INDEX shop_orders_by_user ON shop_orders (user_id, created_at);

            CREATE TABLE shop_order_lines (
                order_id         text    NOT NULL REFERENCES shop_orders (id) ON DELETE CASCADE,
                product_id       text    NOT NULL,
                name             text    NOT NULL,
                unit_price_cents bigint  NOT NULL,
                quantity         integer NOT NULL,
                PRIMARY KEY (order_id, product_id)
            );

            INSERT INTO shop_products (id, name, price_cents, currency) VALUES
                ('tessera-bronze', 'Bronze tessera', 450, 'EUR'),
                ('tessera-bone', 'Bone tessera', 900, 'EUR'),
                ('tessera-lead', 'Lead tessera', 300, 'EUR'),
                ('mosaic-kit', 'Mosaic starter kit', 2500, 'EUR');
            """),
    ];
}
