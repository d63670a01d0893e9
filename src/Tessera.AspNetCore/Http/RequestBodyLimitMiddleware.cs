using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Http;

/// <summary>The largest request body Tessera's endpoints read.</summary>
public sealed class RequestBodyLimitOptions
{
    /// <summary>The largest request body accepted, in bytes. Auth and shop requests are tiny.</summary>
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024;
}

/// <summary>
/// Refuses oversized bodies: a declared Content-Length over the limit is answered 413 at once; for
/// chunked bodies the server's own limit is lowered so reading stops at the limit.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<RequestBodyLimitOptions> options)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        long limit = options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            context.Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
            return Task.CompletedTask;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        return next(context);
    }
}
