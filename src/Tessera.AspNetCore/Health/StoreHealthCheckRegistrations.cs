using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Tessera.Stores;

namespace Tessera.AspNetCore.Health;

/// <summary>
/// Adds one readiness check per registered <see cref="IStoreHealthProbe"/>, named after the probe
/// (<c>sqlite</c>, <c>postgres</c>, <c>redis</c>). The probes are registered by the store backends
/// (<c>AddTesseraSqlite</c>, <c>AddTesseraPostgres</c>, <c>AddTesseraRedisSessions</c>) whose names
/// are known only once they are built, hence options configured from the container.
/// </summary>
internal sealed class StoreHealthCheckRegistrations(IServiceProvider services) : IConfigureOptions<HealthCheckServiceOptions>
{
    public void Configure(HealthCheckServiceOptions options)
    {
        HashSet<string> names = new(StringComparer.OrdinalIgnoreCase);
        // A host may register a probe factory that answers null when its store is not in use.
        foreach (IStoreHealthProbe probe in services.GetServices<IStoreHealthProbe>().OfType<IStoreHealthProbe>())
        {
            // Health check names must be unique; a second probe of the same name gets a number.
            string name = probe.Name;
            for (int i = 2; !names.Add(name); i++)
            {
                name = $"{probe.Name}-{i}";
            }

            options.Registrations.Add(new HealthCheckRegistration(
                name,
                _ => new StoreHealthCheck(probe, TesseraHealthChecks.CheckTimeout),
                HealthStatus.Unhealthy,
                [TesseraHealthTags.Ready, TesseraHealthTags.Store],
                // The framework's own bound, behind the check's: cancels the probe's token.
                TesseraHealthChecks.CheckTimeout + TimeSpan.FromSeconds(1)));
        }
    }
}
