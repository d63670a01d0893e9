using Microsoft.Extensions.DependencyInjection;

namespace Tessera.Modes.Tests.Stores;

/// <summary>
/// One backend's stores (users, sessions, signing keys) for one host. Each set is one small class,
/// so switching it to the backend's public registration call touches that class only.
/// </summary>
public abstract class StoreSet
{
    /// <summary>How the set is named in test output.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Registers the stores of a new host, ready to use (schema migrated), each host on its own
    /// data. Returns what to release when the host stops, or null.
    /// </summary>
    public abstract Task<IAsyncDisposable?> AddStoresAsync(IServiceCollection services, TimeProvider time);

    public override string ToString() => Name;
}
