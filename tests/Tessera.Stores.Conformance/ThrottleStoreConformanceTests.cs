using Tessera.Throttling;

namespace Tessera.Stores.Conformance;

/// <summary>
/// What every <see cref="IThrottleStore"/> must do; a backend's test project subclasses it. Time
/// passes through <see cref="PassAsync"/>: a fake clock for a store that reads one, a real wait
/// past a short window for a store whose expiry runs on its own clock (Redis).
/// </summary>
public abstract class ThrottleStoreConformanceTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private IThrottleStore? _store;

    protected IThrottleStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>A window short enough to wait out in a test.</summary>
    protected abstract TimeSpan ShortWindow { get; }

    /// <summary>How far the store's idea of a window's end may be from the test's (a network round trip).</summary>
    protected abstract TimeSpan Tolerance { get; }

    /// <summary>The clock the store reads.</summary>
    protected abstract TimeProvider Time { get; }

    /// <summary>A new, empty store.</summary>
    protected abstract ValueTask<IThrottleStore> CreateStoreAsync();

    /// <summary>Lets <paramref name="duration"/> pass for the store.</summary>
    protected abstract Task PassAsync(TimeSpan duration);

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task TheFirstIncrementOpensAWindowOfTheGivenLength()
    {
        DateTimeOffset before = Time.GetUtcNow();

        ThrottleCount count = await Store.IncrementAsync("sign-in:203.0.113.9", Minute, 1, None);

        Assert.Equal(1, count.Count);
        Assert.InRange(count.WindowEndsAt, before + Minute - Tolerance, Time.GetUtcNow() + Minute + Tolerance);
    }

    [Fact]
    public async Task LaterIncrementsAddToTheWindowWithoutExtendingIt()
    {
        ThrottleCount first = await Store.IncrementAsync("k", Minute, 1, None);
        await PassAsync(ShortWindow / 4);

        ThrottleCount second = await Store.IncrementAsync("k", Minute * 10, 3, None);
        ThrottleCount read = await Store.ReadAsync("k", None);

        Assert.Equal(4, second.Count);
        Assert.InRange(second.WindowEndsAt, first.WindowEndsAt - Tolerance, first.WindowEndsAt + Tolerance);
        Assert.Equal(4, read.Count);
        Assert.InRange(read.WindowEndsAt, first.WindowEndsAt - Tolerance, first.WindowEndsAt + Tolerance);
    }

    [Fact]
    public async Task AnAbsentCounterReadsZeroAndReadingChangesNothing()
    {
        Assert.Equal(0, (await Store.ReadAsync("absent", None)).Count);
        await Store.IncrementAsync("present", Minute, 2, None);

        await Store.ReadAsync("present", None);

        Assert.Equal(2, (await Store.ReadAsync("present", None)).Count);
        Assert.Equal(0, (await Store.ReadAsync("absent", None)).Count);
    }

    [Fact]
    public async Task CountersAreIndependentByExactKey()
    {
        await Store.IncrementAsync("sign-in:alice", Minute, 5, None);

        Assert.Equal(1, (await Store.IncrementAsync("sign-in:Alice", Minute, 1, None)).Count);
        Assert.Equal(1, (await Store.IncrementAsync("sign-in:alice ", Minute, 1, None)).Count);
        Assert.Equal(6, (await Store.IncrementAsync("sign-in:alice", Minute, 1, None)).Count);
    }

    [Fact]
    public async Task ResetRemovesTheCounterAndTheNextIncrementOpensANewWindow()
    {
        await Store.IncrementAsync("failures:bob", Minute, 4, None);

        await Store.ResetAsync("failures:bob", None);
        await Store.ResetAsync("never-counted", None);

        Assert.Equal(0, (await Store.ReadAsync("failures:bob", None)).Count);
        DateTimeOffset before = Time.GetUtcNow();
        ThrottleCount next = await Store.IncrementAsync("failures:bob", ShortWindow, 1, None);
        Assert.Equal(1, next.Count);
        Assert.InRange(next.WindowEndsAt, before + ShortWindow - Tolerance, Time.GetUtcNow() + ShortWindow + Tolerance);
    }

    [Fact]
    public async Task AnEndedWindowReadsZeroAndTheNextIncrementStartsAgain()
    {
        await Store.IncrementAsync("k", ShortWindow, 7, None);

        await PassAsync(ShortWindow * 2);

        Assert.Equal(0, (await Store.ReadAsync("k", None)).Count);
        ThrottleCount next = await Store.IncrementAsync("k", ShortWindow, 1, None);
        Assert.Equal(1, next.Count);
        Assert.True(next.WindowEndsAt > Time.GetUtcNow(), "The new window has already ended.");
    }

    [Fact]
    public async Task ParallelIncrementsAreEachCountedOnce()
    {
        const int Increments = 100;

        ThrottleCount[] counts = await Task.WhenAll(Enumerable.Range(0, Increments)
            .Select(_ => Task.Run(async () => await Store.IncrementAsync("busy", Minute, 1, None))));

        // Atomic: every increment saw a different count, 1 to 100, all in one window.
        Assert.Equal(Enumerable.Range(1, Increments).Select(i => (long)i), counts.Select(c => c.Count).Order());
        Assert.Equal(Increments, (await Store.ReadAsync("busy", None)).Count);
        Assert.True(counts.Max(c => c.WindowEndsAt) - counts.Min(c => c.WindowEndsAt) <= Tolerance * 2, "The increments opened more than one window.");
    }

    [Fact]
    public async Task BadArgumentsAreRefused()
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.IncrementAsync("", Minute, 1, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.IncrementAsync("k", TimeSpan.Zero, 1, None));
        await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Store.IncrementAsync("k", Minute, -1, None));
    }
}
