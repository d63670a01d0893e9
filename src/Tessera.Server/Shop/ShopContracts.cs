namespace Tessera.Server.Shop;

public sealed record AddToCartRequest(string? ProductId, int? Quantity);

public sealed record ProductListResponse(IReadOnlyList<Product> Products);

public sealed record CartLineResponse(string ProductId, string Name, long UnitPriceCents, int Quantity, long LineTotalCents)
{
    public static CartLineResponse From(CartLine line) => new(line.ProductId, line.Name, line.UnitPriceCents, line.Quantity, line.LineTotalCents);
}

public sealed record CartResponse(IReadOnlyList<CartLineResponse> Items, long TotalCents, string Currency)
{
    public static CartResponse From(Cart cart) => new([.. cart.Items.Select(CartLineResponse.From)], cart.TotalCents, cart.Currency);
}

public sealed record OrderResponse(string Id, DateTimeOffset CreatedAt, IReadOnlyList<CartLineResponse> Lines, long TotalCents, string Currency)
{
    public static OrderResponse From(Order order) => new(order.Id, order.CreatedAt, [.. order.Lines.Select(CartLineResponse.From)], order.TotalCents, order.Currency);
}

public sealed record OrderListResponse(IReadOnlyList<OrderResponse> Orders);
