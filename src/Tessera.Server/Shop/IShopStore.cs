namespace Tessera.Server.Shop;

/// <summary>Carts and orders belong to a user (not a session), so they survive signing out and in again.</summary>
public interface IShopStore
{
    /// <summary>The most of one product a cart holds.</summary>
    const int MaxQuantityPerLine = 99;

    ValueTask<IReadOnlyList<Product>> ListProductsAsync(CancellationToken cancellationToken);

    ValueTask<Cart> GetCartAsync(string userId, CancellationToken cancellationToken);

    /// <summary>Adds to the line of <paramref name="productId"/>; the line may not exceed <see cref="MaxQuantityPerLine"/>.</summary>
    ValueTask<CartAdd> AddToCartAsync(string userId, string productId, int quantity, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>False when the product was not in the cart.</summary>
    ValueTask<bool> RemoveFromCartAsync(string userId, string productId, CancellationToken cancellationToken);

    /// <summary>Turns the whole cart into an order and empties it, atomically; null when the cart is empty.</summary>
    ValueTask<Order?> PlaceOrderAsync(string userId, DateTimeOffset at, CancellationToken cancellationToken);

    /// <summary>The user's orders, newest first.</summary>
    ValueTask<IReadOnlyList<Order>> ListOrdersAsync(string userId, CancellationToken cancellationToken);
}
