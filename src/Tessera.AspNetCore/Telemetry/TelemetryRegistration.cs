using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Tessera.Audit;
using Tessera.Sessions;
using Tessera.Telemetry;

namespace Tessera.AspNetCore.Telemetry;

/// <summary>
/// Registers what <c>AddTessera</c> needs for telemetry: <see cref="SecurityEvents"/> over the
/// registered <see cref="IAuditLog"/> with the request's address, and the active-session gauge
/// when the session store can count (<see cref="IActiveSessionCount"/>). Exporting (OTLP,
/// Prometheus) is the host's choice: it listens to the meter and source named <see cref="TesseraTelemetry.Name"/>.
/// </summary>
internal static class TelemetryRegistration
{
    public static IServiceCollection AddTesseraTelemetryCore(this IServiceCollection services)
    {
        // The address of the request behind an event raised deep in the domain (a session ended by a sign-out).
        services.AddHttpContextAccessor();
        services.TryAddSingleton<ISecurityEventOrigin, HttpSecurityEventOrigin>();
        services.TryAddSingleton(sp => new SecurityEvents(
            sp.GetRequiredService<IAuditLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ISecurityEventOrigin>(),
            sp.GetService<ILogger<SecurityEvents>>()));
        services.TryAddSingleton<ActiveSessionsGaugeService>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ActiveSessionsGaugeService>(sp => sp.GetRequiredService<ActiveSessionsGaugeService>()));
        return services;
    }
}

/// <summary>Feeds <c>tessera.sessions.active</c> from the session store while the host runs (when the store can count).</summary>
public sealed class ActiveSessionsGaugeService(ISessionStore store, TimeProvider time, ILogger<ActiveSessionsGauge> logger) : IHostedService, IDisposable
{
    /// <summary>The gauge's source while the host runs; null before the start, or when the session store cannot count (Redis).</summary>
    public ActiveSessionsGauge? Gauge { get; private set; }

    /// <inheritdoc/>
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (store is IActiveSessionCount counting)
        {
            Gauge = new ActiveSessionsGauge(counting, time, logger: logger);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public void Dispose() => Gauge?.Dispose();
}
