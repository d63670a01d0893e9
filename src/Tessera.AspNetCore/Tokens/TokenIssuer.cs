using Microsoft.AspNetCore.Http;
using Tessera.Tokens;

namespace Tessera.AspNetCore.Tokens;

/// <summary>The issuer of this server's tokens: configured, or the origin (and path base) the request came to.</summary>
public static class TokenIssuer
{
    public static string For(HttpRequest request, TesseraTokenOptions options)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(options);
        return options.Issuer?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host.Value}{request.PathBase.Value}";
    }
}
