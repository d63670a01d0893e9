using Microsoft.Extensions.DependencyInjection;
using Tessera.AspNetCore;

namespace Tessera.Modes.Tests.Stores;

/// <summary>The library's in-memory stores, through its public call.</summary>
public sealed class InMemoryStoreSet : StoreSet
{
    public override string Name => "in-memory";

    public override Task<IAsyncDisposable?> AddStoresAsync(IServiceCollection services, TimeProvider time)
    {
        services.AddTesseraInMemoryStores();
        return Task.FromResult<IAsyncDisposable?>(null);
    }
}
