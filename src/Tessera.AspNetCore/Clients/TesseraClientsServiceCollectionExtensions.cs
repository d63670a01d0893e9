using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Tessera.AspNetCore.Clients;

/// <summary>Registers the clients listed in configuration, written to the client store at every start.</summary>
public static class TesseraClientsServiceCollectionExtensions
{
    /// <summary>
    /// Registers at every start the clients configured in <paramref name="section"/> (usually
    /// <c>Tessera:Clients</c>): one child per client, its key the client id. See <see cref="ConfiguredClient"/>.
    /// </summary>
    public static IServiceCollection AddTesseraClients(this IServiceCollection services, IConfiguration section)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        services.AddOptions<TesseraClientsOptions>().Configure(options =>
        {
            foreach (IConfigurationSection child in section.GetChildren())
            {
                options.Clients[child.Key] = child.Get<ConfiguredClient>() ?? new ConfiguredClient();
            }
        });
        return services;
    }

    /// <summary>Registers the clients of <paramref name="configure"/> at every start (tests, apps that build them in code).</summary>
    public static IServiceCollection AddTesseraClients(this IServiceCollection services, Action<TesseraClientsOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<TesseraClientsOptions>().Configure(configure);
        return services;
    }
}
