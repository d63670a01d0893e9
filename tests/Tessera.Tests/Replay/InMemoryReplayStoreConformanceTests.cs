using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Replay;
using Tessera.Stores.Conformance;

namespace Tessera.Tests.Replay;

public sealed class InMemoryReplayStoreConformanceTests : ReplayStoreConformanceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    protected override TimeSpan ShortLifetime => TimeSpan.FromSeconds(30);

    protected override ValueTask<IReplayStore> CreateStoreAsync() => ValueTask.FromResult<IReplayStore>(new InMemoryReplayStore(_time));

    protected override Task PassAsync(TimeSpan duration)
    {
        _time.Advance(duration);
        return Task.CompletedTask;
    }
}
