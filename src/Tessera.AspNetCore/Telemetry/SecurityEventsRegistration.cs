using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Tessera.Audit;
using Tessera.Telemetry;

namespace Tessera.AspNetCore.Telemetry;

/// <summary>Registers <see cref="SecurityEvents"/> over the registered <see cref="IAuditLog"/>, with the request's address.</summary>
internal static class SecurityEventsRegistration
{
    public static IServiceCollection AddTesseraSecurityEvents(this IServiceCollection services)
    {
        // The address of the request behind an event raised deep in the domain (a session ended by a sign-out).
        services.AddHttpContextAccessor();
        services.TryAddSingleton<ISecurityEventOrigin, HttpSecurityEventOrigin>();
        services.TryAddSingleton(sp => new SecurityEvents(
            sp.GetRequiredService<IAuditLog>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ISecurityEventOrigin>(),
            sp.GetService<ILogger<SecurityEvents>>()));
        return services;
    }
}
