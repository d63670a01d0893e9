using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Tessera.AspNetCore.Health;

/// <summary>
/// Registers Tessera's health checks with ASP.NET Core's health checks: one readiness check per
/// store (<see cref="Tessera.Stores.IStoreHealthProbe"/>: <c>sqlite</c>, <c>postgres</c>,
/// <c>redis</c>) and <c>keyring</c> (the signing key ring loads and its Data Protection keys open).
/// <c>AddTessera</c> calls it; <c>MapTesseraHealth</c> serves them.
/// </summary>
public static class TesseraHealthChecks
{
    /// <summary>The name of the key ring's check.</summary>
    public const string KeyRingCheckName = "keyring";

    /// <summary>How long a check may take before it answers Unhealthy (a hung store must not hang the probe).</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Adds the health check service with Tessera's checks (once, however often it is called) and
    /// returns its builder, so that an application adds its own checks tagged
    /// <see cref="TesseraHealthTags.Live"/> or <see cref="TesseraHealthTags.Ready"/> beside them.
    /// </summary>
    public static IHealthChecksBuilder AddTesseraHealthChecks(this IServiceCollection services)
    {
        IHealthChecksBuilder builder = services.AddHealthChecks();
        if (services.Any(d => d.ServiceType == typeof(Marker)))
        {
            return builder;
        }

        services.AddSingleton<Marker>();
        // Stores first, then the key ring (whose store they are): the order of the JSON answer.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IConfigureOptions<HealthCheckServiceOptions>, StoreHealthCheckRegistrations>());
        builder.Add(new HealthCheckRegistration(
            KeyRingCheckName,
            sp => new KeyRingHealthCheck(sp, CheckTimeout),
            HealthStatus.Unhealthy,
            [TesseraHealthTags.Ready],
            CheckTimeout + TimeSpan.FromSeconds(1)));
        return builder;
    }

    private sealed class Marker;
}
