using Microsoft.AspNetCore.Http;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Tokens;

/// <summary>The issuer of this server's tokens: configured, or the origin (and path base) the request came to.</summary>
public static class TokenIssuer
{
    /// <summary>The issuer for tokens made for <paramref name="request"/>: <see cref="TesseraTokenOptions.Issuer"/> when set, otherwise the request's origin and path base.</summary>
    public static string For(HttpRequest request, TesseraTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        return options.Issuer?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}";
    }
}
