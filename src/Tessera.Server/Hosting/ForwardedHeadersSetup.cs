using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Tessera.Server.Hosting;

/// <summary>
/// ASP.NET Core's forwarded-headers middleware, fed from <see cref="ForwardedHeadersSettings"/>:
/// behind a trusted proxy, the client address and scheme become the ones the proxy saw.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public static IServiceCollection AddTesseraForwardedHeaders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ForwardedHeadersSettings>().Bind(configuration.GetSection(ForwardedHeadersSettings.Section))
            .Validate(s => s.IsValid(), $"{ForwardedHeadersSettings.Section} is invalid: KnownProxies must hold IP addresses (such as 10.0.0.5) and KnownNetworks CIDR ranges (such as 10.0.0.0/8).")
            .ValidateOnStart();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ForwardedHeadersSettings>>((options, settings) =>
        {
            // The framework trusts loopback by default; only what the operator lists is trusted here.
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            if (!settings.Value.Enabled)
            {
                options.ForwardedHeaders = ForwardedHeaders.None;
                return;
            }

            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            foreach (System.Net.IPAddress proxy in settings.Value.Proxies())
            {
                options.KnownProxies.Add(proxy);
            }

            foreach (System.Net.IPNetwork network in settings.Value.Networks())
            {
                options.KnownIPNetworks.Add(network);
            }

            // No fixed depth: the middleware walks X-Forwarded-For from the right and stops at the
            // first hop that is not a listed proxy, so a chain of trusted proxies works and whatever
            // the client itself wrote at the left is never believed.
            options.ForwardLimit = null;
        });
        return services;
    }

    /// <summary>
    /// Always in the pipeline, first (before rate limiting and authentication read the address);
    /// with nothing configured it forwards nothing. Its options are read when the server starts,
    /// after validation, so a bad setting is reported like any other.
    /// </summary>
    public static IApplicationBuilder UseTesseraForwardedHeaders(this IApplicationBuilder app) => app.UseForwardedHeaders();
}
