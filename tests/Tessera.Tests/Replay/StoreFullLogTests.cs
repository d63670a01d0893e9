using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Tests.Tokens;

namespace Tessera.Tests.Replay;

/// <summary>
/// The warnings operators watch for when an in-memory store is full: 9825 (throttle counters evicted)
/// and 9826 (replay marks refused, at most once a minute). Neither names a key: an account, an address
/// or a proof's hash is not the operator's business in a warning.
/// </summary>
public sealed class StoreFullLogTests
{
    private static readonly TimeSpan TenMinutes = TimeSpan.FromMinutes(10);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly RecordingLogger<StoreFullLogTests> _logger = new();

    [Fact]
    public async Task AFullReplayStoreLogs9826OnceAMinuteWithTheKindOfMarkAndNotTheKey()
    {
        var store = new InMemoryReplayStore(_time, maxEntries: 2, _logger);
        Assert.True(await store.TryMarkAsync("dpop-jti:first", TenMinutes, CancellationToken.None));
        Assert.True(await store.TryMarkAsync("dpop-jti:second", TenMinutes, CancellationToken.None));
        Assert.Empty(_logger.Entries);

        Assert.False(await store.TryMarkAsync("dpop-jti:Zm9vYmFyLXByb29mLWhhc2g", TenMinutes, CancellationToken.None));
        Assert.False(await store.TryMarkAsync("client-assertion-jti:another", TenMinutes, CancellationToken.None));

        (LogLevel level, EventId id, string message) = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal(9826, id.Id);
        Assert.Contains("dpop-jti", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Zm9vYmFyLXByb29mLWhhc2g", message, StringComparison.Ordinal);
        Assert.Contains("1 refused", message, StringComparison.Ordinal);

        // A minute later, still full: logged again, with the refusals counted meanwhile.
        _time.Advance(TimeSpan.FromMinutes(1));
        Assert.False(await store.TryMarkAsync("passkey:challenge", TenMinutes, CancellationToken.None));
        Assert.Equal(2, _logger.Entries.Count);
        string again = _logger.Entries.Last().Message;
        Assert.Contains("passkey", again, StringComparison.Ordinal);
        Assert.DoesNotContain("challenge", again, StringComparison.Ordinal);
        Assert.Contains("3 refused", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullThrottleStoreLogs9825WithTheEvictedCountAndNoKey()
    {
        var store = new InMemoryThrottleStore(_time, maxEntries: 8, _logger);
        for (int i = 0; i < 8; i++)
        {
            await store.IncrementAsync($"sign-in:user{i}@example.com", TenMinutes, 1, CancellationToken.None);
        }

        Assert.Empty(_logger.Entries);

        await store.IncrementAsync("sign-in:mallory@example.com", TenMinutes, 1, CancellationToken.None);

        (LogLevel level, EventId id, string message) = Assert.Single(_logger.Entries);
        Assert.Equal(LogLevel.Warning, level);
        Assert.Equal(9825, id.Id);
        Assert.Contains($"{store.Evicted} counters", message, StringComparison.Ordinal);
        Assert.True(store.Evicted > 0);
        Assert.DoesNotContain("example.com", message, StringComparison.Ordinal);
        Assert.DoesNotContain("sign-in", message, StringComparison.Ordinal);
    }
}
