using Microsoft.AspNetCore.Cors.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Tessera.AspNetCore.Cors;

/// <summary>
/// Resolves <see cref="TesseraCors.ClientsPolicy"/> per request: a policy for the request's
/// <c>Origin</c> when a registered client lists it, else one that allows no origin; every other
/// policy name is the app's own, answered by ASP.NET Core's default provider.
/// </summary>
internal sealed class TesseraCorsPolicyProvider(IOptions<CorsOptions> options, RegisteredClientOrigins origins) : ICorsPolicyProvider
{
    private readonly DefaultCorsPolicyProvider _default = new(options);

    public async Task<CorsPolicy?> GetPolicyAsync(HttpContext context, string? policyName)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.Equals(policyName, TesseraCors.ClientsPolicy, StringComparison.Ordinal))
        {
            return await _default.GetPolicyAsync(context, policyName).ConfigureAwait(false);
        }

        string? origin = context.Request.Headers[HeaderNames.Origin];
        return !string.IsNullOrEmpty(origin) && await origins.IsAllowedAsync(origin, context.RequestAborted).ConfigureAwait(false)
            ? TesseraCors.ForClientOrigin(origin)
            : TesseraCors.NoOrigin;
    }
}
