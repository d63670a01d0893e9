namespace Tessera.Server.Shop;

public sealed record Product(string Id, string Name, long PriceCents, string Currency);

public sealed record CartLine(string ProductId, string Name, long UnitPriceCents, int Quantity)
{
    public long LineTotalCents => UnitPriceCents * Quantity;
}

public sealed record Cart(IReadOnlyList<CartLine> Items, string Currency)
{
    public long TotalCents => Items.Sum(item => item.LineTotalCents);
}

/// <summary>An order keeps the names and prices of the moment it was placed.</summary>
public sealed record Order(string Id, DateTimeOffset CreatedAt, IReadOnlyList<CartLine> Lines, long TotalCents, string Currency);

/// <summary>What adding to the cart did.</summary>
public enum CartAdd
{
    Added,
    ProductNotFound,
    QuantityTooLarge,
}

public static class ShopErrorCodes
{
    public const string ProductNotFound = "product_not_found";
    public const string ItemNotInCart = "item_not_in_cart";
    public const string CartEmpty = "cart_empty";
}
