using System.Security.Claims;
using Tessera.AspNetCore.Authentication;
using Tessera.AspNetCore.Cors;
using Tessera.AspNetCore.Csrf;
using Tessera.AspNetCore.Http;

namespace Tessera.Server.Shop;

/// <summary>
/// The demo shop: the notes' example of a session at work. Add to the cart, then order without
/// signing in again. Everything but the catalog needs a signed-in user. A single-page app on
/// another origin calls it with the access token the provider issued it: CORS answers the origins
/// registered for some client, and nothing else (<see cref="TesseraCors.ClientsPolicy"/>).
/// </summary>
internal static class ShopEndpoints
{
    public static RouteGroupBuilder MapShop(this IEndpointRouteBuilder endpoints)
    {
        RouteGroupBuilder shop = endpoints.MapGroup("/shop").RequireCsrfProtection().RequireClientCors().WithTags("Shop");
        shop.MapGet("/products", ListProductsAsync).AllowAnonymous().WithSummary("The catalog").Produces<ProductListResponse>();
        shop.MapGet("/cart", GetCartAsync).RequireAuthorization().WithSummary("The signed-in user's cart").Produces<CartResponse>();
        shop.MapPost("/cart/items", AddToCartAsync).RequireAuthorization().WithSummary("Add a product to the cart")
            .Produces<CartResponse>().ProducesValidationProblem().ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        shop.MapDelete("/cart/items/{productId}", RemoveFromCartAsync).RequireAuthorization().WithSummary("Remove a product from the cart")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        shop.MapPost("/orders", PlaceOrderAsync).RequireAuthorization().WithSummary("Order what is in the cart")
            .Produces<OrderResponse>(StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status409Conflict);
        shop.MapGet("/orders", ListOrdersAsync).RequireAuthorization().WithSummary("The user's orders").Produces<OrderListResponse>();
        return shop;
    }

    private static async Task<IResult> ListProductsAsync(IShopStore shop, CancellationToken cancellationToken) =>
        TypedResults.Ok(new ProductListResponse(await shop.ListProductsAsync(cancellationToken)));

    private static async Task<IResult> GetCartAsync(ClaimsPrincipal user, IShopStore shop, CancellationToken cancellationToken) =>
        TypedResults.Ok(CartResponse.From(await shop.GetCartAsync(UserId(user), cancellationToken)));

    private static async Task<IResult> AddToCartAsync(AddToCartRequest? request, ClaimsPrincipal user, IShopStore shop, TimeProvider time, CancellationToken cancellationToken)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(request?.ProductId))
        {
            errors["productId"] = ["The product id is required."];
        }

        if (request?.Quantity is not int quantity || quantity is < 1 or > IShopStore.MaxQuantityPerLine)
        {
            errors["quantity"] = [$"The quantity is a whole number from 1 to {IShopStore.MaxQuantityPerLine}."];
            quantity = 0;
        }

        if (errors.Count > 0)
        {
            return TesseraProblems.Validation(errors);
        }

        string userId = UserId(user);
        return await shop.AddToCartAsync(userId, request!.ProductId!, quantity, Clock.Now(time), cancellationToken) switch
        {
            CartAdd.ProductNotFound => TesseraProblems.Problem(StatusCodes.Status404NotFound, ShopErrorCodes.ProductNotFound, "There is no product with this id."),
            CartAdd.QuantityTooLarge => TesseraProblems.Validation("quantity", $"A cart holds at most {IShopStore.MaxQuantityPerLine} of one product."),
            _ => TypedResults.Ok(CartResponse.From(await shop.GetCartAsync(userId, cancellationToken))),
        };
    }

    private static async Task<IResult> RemoveFromCartAsync(string productId, ClaimsPrincipal user, IShopStore shop, CancellationToken cancellationToken) =>
        await shop.RemoveFromCartAsync(UserId(user), productId, cancellationToken)
            ? TypedResults.NoContent()
            : TesseraProblems.Problem(StatusCodes.Status404NotFound, ShopErrorCodes.ItemNotInCart, "This product is not in the cart.");

    private static async Task<IResult> PlaceOrderAsync(ClaimsPrincipal user, IShopStore shop, TimeProvider time, CancellationToken cancellationToken)
    {
        Order? order = await shop.PlaceOrderAsync(UserId(user), Clock.Now(time), cancellationToken);
        return order is null
            ? TesseraProblems.Problem(StatusCodes.Status409Conflict, ShopErrorCodes.CartEmpty, "The cart is empty; add something first.")
            : TypedResults.Created((string?)null, OrderResponse.From(order));
    }

    private static async Task<IResult> ListOrdersAsync(ClaimsPrincipal user, IShopStore shop, CancellationToken cancellationToken) =>
        TypedResults.Ok(new OrderListResponse([.. (await shop.ListOrdersAsync(UserId(user), cancellationToken)).Select(OrderResponse.From)]));

    private static string UserId(ClaimsPrincipal user) =>
        user.FindFirstValue(TesseraClaimTypes.Subject) ?? throw new InvalidOperationException("The shop's endpoints require an authenticated user.");
}
