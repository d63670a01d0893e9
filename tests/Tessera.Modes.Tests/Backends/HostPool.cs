using System.Collections.Concurrent;
using Tessera.Modes.Tests.Hosting;
using Tessera.Modes.Tests.Stores;

namespace Tessera.Modes.Tests.Backends;

/// <summary>
/// The hosts of one store set, one per <see cref="HostSettings"/>, started on first use and shared
/// by the tests of a collection (which run one after another, so a test may move the host's clock;
/// every test signs in a new user of its own). Starting a host per test would create a database per
/// test: too slow for the whole matrix.
/// </summary>
public abstract class HostPool : IAsyncLifetime
{
    private readonly ConcurrentDictionary<HostSettings, Lazy<Task<ModesHost>>> _hosts = new();

    /// <summary>The store set every host of this pool runs on; available once <see cref="InitializeAsync"/> ran.</summary>
    public abstract StoreSet Stores { get; }

    public Task<ModesHost> HostAsync(HostSettings settings) =>
        _hosts.GetOrAdd(settings, s => new Lazy<Task<ModesHost>>(() => ModesHost.StartAsync(Stores, s))).Value;

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (Lazy<Task<ModesHost>> host in _hosts.Values.Where(h => h.IsValueCreated))
        {
            if (host.Value.IsCompletedSuccessfully)
            {
                await host.Value.Result.DisposeAsync();
            }
        }
    }
}
