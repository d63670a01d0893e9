using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tessera.Stores;

namespace Tessera.AspNetCore.Health;

/// <summary>
/// A store's <see cref="IStoreHealthProbe"/> as a health check: healthy when the store answered
/// within the registration's timeout. The reason names the store and never carries the
/// exception's text (a driver's message may hold a connection string or a host name).
/// </summary>
internal sealed class StoreHealthCheck(IStoreHealthProbe probe, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            // WaitAsync: a probe that ignores its token still answers Unhealthy at the bound instead of hanging the check.
            await probe.ProbeAsync(bound.Token).AsTask().WaitAsync(bound.Token).ConfigureAwait(false);
            return HealthCheckResult.Healthy($"The {probe.Name} store answered.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The {probe.Name} store did not answer within {timeout.TotalSeconds:0.#} s.");
        }
        catch (StoreUnavailableException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, $"The {probe.Name} store is unavailable.");
        }
    }
}
