using Tessera.OAuth;

namespace Tessera.AspNetCore.Cors;

/// <summary>
/// The browser origins registered for any client (<see cref="OAuthClient.CorsOrigins"/>), read from
/// the registry at most every <see cref="RefreshInterval"/> (one read at a time), so a preflight costs
/// no store read. A client added or removed is seen within that interval. Without a registry
/// (<paramref name="clients"/> null) no origin is allowed.
/// </summary>
public sealed class RegisteredClientOrigins(IClientStore? clients, TimeProvider time) : IDisposable
{
    /// <summary>How long a read of the registered origins is used before the next one.</summary>
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Snapshot? _snapshot;

    /// <summary>Whether <paramref name="origin"/> (a trailing slash ignored) is registered for any client, from a read at most <see cref="RefreshInterval"/> old.</summary>
    public async ValueTask<bool> IsAllowedAsync(string origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(origin);
        Snapshot snapshot = await CurrentAsync(cancellationToken).ConfigureAwait(false);
        return snapshot.Origins.Contains(origin.TrimEnd('/'));
    }

    private async ValueTask<Snapshot> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_snapshot is { } fresh && !IsStale(fresh))
        {
            return fresh;
        }

        await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_snapshot is { } readMeanwhile && !IsStale(readMeanwhile))
            {
                return readMeanwhile;
            }

            IReadOnlyList<OAuthClient> all = clients is null ? [] : await clients.ListAsync(cancellationToken).ConfigureAwait(false);
            // Scheme and host are case-insensitive (RFC 6454 §4); browsers send them lowercase.
            var origins = new HashSet<string>(all.SelectMany(c => c.CorsOrigins).Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);
            var snapshot = new Snapshot(origins, Clock.Now(time));
            _snapshot = snapshot;
            return snapshot;
        }
        finally
        {
            _reading.Release();
        }
    }

    private bool IsStale(Snapshot snapshot) => Clock.Now(time) - snapshot.ReadAt >= RefreshInterval;

    /// <summary>Releases the lock that keeps two reads of the registry from running at once.</summary>
    public void Dispose() => _reading.Dispose();

    private sealed record Snapshot(HashSet<string> Origins, DateTimeOffset ReadAt);
}
