using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Tessera.Keys;
using Tessera.Stores;

namespace Tessera.AspNetCore.Health;

/// <summary>
/// Readiness of the signing key ring: it loads from its store, its current keys' private parts
/// decrypt, and the Data Protection key that protects each of them still opens from the key
/// repository now (<see cref="DataProtectionKeyCheck"/>). Unhealthy with the reason otherwise: the
/// same words as <see cref="KeyRingUnavailableException"/>, key ids and remedies, never key material.
/// A host without token mode (no <see cref="ISigningKeyStore"/>) is healthy: it has no ring.
/// </summary>
internal sealed class KeyRingHealthCheck(IServiceProvider services, TimeSpan timeout) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<ISigningKeyStore>() is not { } store)
        {
            return HealthCheckResult.Healthy("No key ring in this host.");
        }

        HealthStatus failure = context.Registration.FailureStatus;
        using var bound = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bound.CancelAfter(timeout);
        try
        {
            KeyRingSnapshot ring = await services.GetRequiredService<SigningKeyRing>().GetAsync(bound.Token).AsTask().WaitAsync(bound.Token).ConfigureAwait(false);
            ring.EnsureReadable();
            if (services.GetService<IKeyManager>() is not { } dataProtectionKeys)
            {
                return HealthCheckResult.Healthy("The key ring loads and its current keys decrypt.");
            }

            IReadOnlyList<SigningKeyRecord> records = await store.ListAsync(bound.Token).AsTask().WaitAsync(bound.Token).ConfigureAwait(false);
            foreach (string algorithm in ring.SigningAlgorithms)
            {
                string? keyId = ring.SigningKeyFor(algorithm).KeyId;
                if (records.FirstOrDefault(r => r.KeyId == keyId) is { } record
                    && DataProtectionKeyCheck.Problem(dataProtectionKeys, record.ProtectedPrivate, $"the current {algorithm} signing key {keyId} of the key ring") is { } problem)
                {
                    return new HealthCheckResult(failure, $"The key ring is unusable: {problem}");
                }
            }

            return HealthCheckResult.Healthy("The key ring loads and its current keys decrypt.");
        }
        catch (KeyRingUnavailableException ex)
        {
            // Its message names the key and the remedy; it holds no key material.
            return new HealthCheckResult(failure, $"The key ring is unusable: {ex.Message}");
        }
        catch (StoreUnavailableException)
        {
            return new HealthCheckResult(failure, "The key ring could not be read: its store is unavailable.");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(failure, $"The key ring could not be read within {timeout.TotalSeconds:0.#} s.");
        }
    }
}
