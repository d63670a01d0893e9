using Tessera.Replay;

namespace Tessera.Stores.Conformance;

/// <summary>
/// What every <see cref="IReplayStore"/> must do (single-use marks: RFC 9449 §11.1, RFC 7523 §3); a
/// backend's test project subclasses it. Time passes through <see cref="PassAsync"/>: a fake clock
/// for a store that reads the <see cref="TimeProvider"/> it was given (memory, and PostgreSQL, which
/// sends that clock's "now" with every statement and never reads the database's own), a real wait
/// for a store whose expiry runs on its server's clock (Redis).
/// </summary>
public abstract class ReplayStoreConformanceTests : IAsyncLifetime
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private IReplayStore? _store;

    protected IReplayStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>A mark's lifetime short enough to wait out in a test (at least <see cref="ReplayMarkLifetime.Shortest"/>).</summary>
    protected abstract TimeSpan ShortLifetime { get; }

    /// <summary>A new, empty store.</summary>
    protected abstract ValueTask<IReplayStore> CreateStoreAsync();

    /// <summary>Lets <paramref name="duration"/> pass for the store.</summary>
    protected abstract Task PassAsync(TimeSpan duration);

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made (a temporary database).</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync() => await DisposeStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task TheFirstMarkIsTakenAndASecondWithinItsLifetimeIsRefused()
    {
        Assert.True(await Store.TryMarkAsync("dpop-jti:a", Minute, None));

        Assert.False(await Store.TryMarkAsync("dpop-jti:a", Minute, None));
        // A replay does not extend the mark, nor does a different lifetime make it a new one.
        Assert.False(await Store.TryMarkAsync("dpop-jti:a", TimeSpan.Zero, None));
    }

    [Fact]
    public async Task AnEndedMarkMayBeTakenAgainAndIsThenLiveAgain()
    {
        Assert.True(await Store.TryMarkAsync("k", ShortLifetime, None));
        Assert.False(await Store.TryMarkAsync("k", ShortLifetime, None));

        await PassAsync(ShortLifetime * 2);

        Assert.True(await Store.TryMarkAsync("k", Minute, None));
        Assert.False(await Store.TryMarkAsync("k", Minute, None));
    }

    [Fact]
    public async Task AMarkAskedForNoTimeStillLivesAMoment()
    {
        // A client assertion's mark may be asked for a little less than nothing (its exp passed since it was checked).
        Assert.True(await Store.TryMarkAsync("zero", TimeSpan.Zero, None));
        Assert.True(await Store.TryMarkAsync("negative", TimeSpan.FromSeconds(-5), None));

        Assert.False(await Store.TryMarkAsync("zero", Minute, None));
        Assert.False(await Store.TryMarkAsync("negative", Minute, None));
    }

    [Fact]
    public async Task MarksAreIndependentByExactKey()
    {
        Assert.True(await Store.TryMarkAsync("dpop-jti:x", Minute, None));

        // Purposes differ by prefix (one shared store keeps them all); case and whitespace are part of the key.
        Assert.True(await Store.TryMarkAsync("client-assertion-jti:x", Minute, None));
        Assert.True(await Store.TryMarkAsync("passkey:x", Minute, None));
        Assert.True(await Store.TryMarkAsync("dpop-jti:X", Minute, None));
        Assert.True(await Store.TryMarkAsync("dpop-jti:x ", Minute, None));
        Assert.False(await Store.TryMarkAsync("dpop-jti:x", Minute, None));
        Assert.False(await Store.TryMarkAsync("client-assertion-jti:x", Minute, None));
    }

    [Fact]
    public async Task OfManyTakingOneMarkAtOnceExactlyOneSucceeds()
    {
        const int Rounds = 5;
        const int Contenders = 16;
        for (int round = 0; round < Rounds; round++)
        {
            string key = "client-assertion-jti:" + round;
            using var start = new ManualResetEventSlim();
            Task<bool>[] contenders = [.. Enumerable.Range(0, Contenders).Select(_ => Task.Run(async () =>
            {
                start.Wait();
                return await Store.TryMarkAsync(key, Minute, None);
            }))];
            start.Set();

            bool[] taken = await Task.WhenAll(contenders);

            Assert.Single(taken, t => t);
        }
    }

    [Fact]
    public async Task BadArgumentsAreRefusedWithAClearException()
    {
        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.TryMarkAsync("", Minute, None));
        await Assert.ThrowsAsync<ArgumentNullException>(async () => await Store.TryMarkAsync(null!, Minute, None));
        ArgumentOutOfRangeException tooLong = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.TryMarkAsync("k", TimeSpan.MaxValue, None));
        Assert.Equal("lifetime", tooLong.ParamName);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.TryMarkAsync("k", ReplayMarkLifetime.Longest + TimeSpan.FromSeconds(1), None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await Store.TryMarkAsync("k", TimeSpan.MinValue, None));

        // A refused call took no mark.
        Assert.True(await Store.TryMarkAsync("k", Minute, None));
    }
}
