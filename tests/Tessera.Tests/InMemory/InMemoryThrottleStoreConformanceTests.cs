using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Stores.Conformance;
using Tessera.Throttling;

namespace Tessera.Tests.InMemory;

public sealed class InMemoryThrottleStoreConformanceTests : ThrottleStoreConformanceTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    protected override TimeSpan ShortWindow => TimeSpan.FromSeconds(30);

    protected override TimeSpan Tolerance => TimeSpan.Zero;

    protected override TimeProvider Time => _time;

    protected override ValueTask<IThrottleStore> CreateStoreAsync() => ValueTask.FromResult<IThrottleStore>(new InMemoryThrottleStore(_time));

    protected override Task PassAsync(TimeSpan duration)
    {
        _time.Advance(duration);
        return Task.CompletedTask;
    }
}
