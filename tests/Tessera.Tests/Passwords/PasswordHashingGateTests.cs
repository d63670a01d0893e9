using Microsoft.Extensions.Time.Testing;
using Tessera.Passwords;

namespace Tessera.Tests.Passwords;

/// <summary>
/// The bound on Argon2id computations in flight (#14 finding 2). Instrumented with counters and
/// gates the test opens itself; nothing here measures time, and the wait's deadline moves only with
/// a fake clock.
/// </summary>
public sealed class PasswordHashingGateTests
{
    private static readonly Argon2idParameters Cheap = new() { MemoryKiB = 1024, Iterations = 1 };

    [Fact]
    public async Task FiftyConcurrentHashesNeverRunMoreThanTheSlots()
    {
        const int Slots = 2;
        const int Callers = 50;
        var gate = new PasswordHashingGate(new PasswordHashingLimits { MaxConcurrent = Slots, MaxQueued = Callers, MaxWait = TimeSpan.FromSeconds(2) }, new FakeTimeProvider());
        var hasher = new Argon2idPasswordHasher(Cheap);
        using var release = new ManualResetEventSlim();
        int inFlight = 0, peak = 0, entered = 0;

        string Work(int i)
        {
            int now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref peak, now);
            Interlocked.Increment(ref entered);
            // The first callers hold their slots until the test has seen everyone else queue up.
            release.Wait(TimeSpan.FromMinutes(1));
            string hash = hasher.Hash($"password number {i}");
            Interlocked.Decrement(ref inFlight);
            return hash;
        }

        Task<string>[] calls = Enumerable.Range(0, Callers).Select(i => Task.Run(() => gate.RunAsync(i, Work, CancellationToken.None).AsTask())).ToArray();

        // Wait for a state, not a duration: every caller either holds a slot or is queued, or
        // (without a bound) more than the slots got in.
        var stop = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (!(Volatile.Read(ref entered) == Slots && gate.Queued == Callers - Slots) && Volatile.Read(ref entered) <= Slots && DateTime.UtcNow < stop)
        {
            await Task.Delay(5);
        }

        Assert.Equal(Slots, Volatile.Read(ref entered));
        Assert.Equal(Callers - Slots, gate.Queued);
        release.Set();
        string[] hashes = await Task.WhenAll(calls);

        Assert.InRange(peak, 1, Slots);
        Assert.Equal(Callers, hashes.Distinct().Count());
        Assert.Equal(PasswordVerification.Succeeded, hasher.Verify("password number 7", hashes[7]));
        Assert.Equal(Slots, gate.FreeSlots);
        Assert.Equal(0, gate.Queued);
    }

    [Fact]
    public async Task AFullQueueIsRefusedAtOnceWithTheRetryAfter()
    {
        var gate = new PasswordHashingGate(new PasswordHashingLimits { MaxConcurrent = 1, MaxQueued = 0, RetryAfter = TimeSpan.FromSeconds(3) }, new FakeTimeProvider());
        using var release = new ManualResetEventSlim();
        Task<int> holder = await HoldSlotAsync(gate, release);

        PasswordHashingBusyException busy = await Assert.ThrowsAsync<PasswordHashingBusyException>(() => gate.RunAsync(0, _ => 1, CancellationToken.None).AsTask());

        Assert.Equal(TimeSpan.FromSeconds(3), busy.RetryAfter);
        release.Set();
        Assert.Equal(42, await holder);
        Assert.Equal(7, await gate.RunAsync(7, x => x, CancellationToken.None));
    }

    [Fact]
    public async Task AQueuedCallerIsRefusedWhenTheWaitRunsOut()
    {
        var time = new FakeTimeProvider();
        var gate = new PasswordHashingGate(new PasswordHashingLimits { MaxConcurrent = 1, MaxQueued = 4, MaxWait = TimeSpan.FromSeconds(2) }, time);
        using var release = new ManualResetEventSlim();
        Task<int> holder = await HoldSlotAsync(gate, release);
        Task<int> queued = gate.RunAsync(1, x => x, CancellationToken.None).AsTask();
        Assert.False(queued.IsCompleted);
        Assert.Equal(1, gate.Queued);

        time.Advance(TimeSpan.FromSeconds(2));

        await Assert.ThrowsAsync<PasswordHashingBusyException>(() => queued);
        Assert.Equal(0, gate.Queued);
        release.Set();
        await holder;
        Assert.Equal(1, gate.FreeSlots);
    }

    [Fact]
    public async Task AQueuedCallerRunsWhenASlotFrees()
    {
        var gate = new PasswordHashingGate(new PasswordHashingLimits { MaxConcurrent = 1, MaxQueued = 4 }, new FakeTimeProvider());
        using var release = new ManualResetEventSlim();
        Task<int> holder = await HoldSlotAsync(gate, release);
        Task<int> queued = gate.RunAsync(5, x => x * 2, CancellationToken.None).AsTask();
        Assert.False(queued.IsCompleted);

        release.Set();

        Assert.Equal(10, await queued);
        Assert.Equal(42, await holder);
    }

    [Fact]
    public async Task ACancelledWaitIsACancellationNotABusyAnswer()
    {
        var gate = new PasswordHashingGate(new PasswordHashingLimits { MaxConcurrent = 1, MaxQueued = 4 }, new FakeTimeProvider());
        using var release = new ManualResetEventSlim();
        Task<int> holder = await HoldSlotAsync(gate, release);
        using var cancel = new CancellationTokenSource();
        Task<int> queued = gate.RunAsync(1, x => x, cancel.Token).AsTask();

        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        release.Set();
        await holder;
        Assert.Equal(1, gate.FreeSlots);
    }

    [Fact]
    public async Task TheHashersAsyncMethodsGoThroughTheGateAndTheSyncOnesDoNot()
    {
        var gate = new PasswordHashingGate(new PasswordHashingLimits { MaxConcurrent = 1, MaxQueued = 0 }, new FakeTimeProvider());
        IPasswordHasher hasher = new Argon2idPasswordHasher(Cheap, gate);
        string stored = hasher.Hash("correct horse battery");
        using var release = new ManualResetEventSlim();
        Task<int> holder = await HoldSlotAsync(gate, release);

        await Assert.ThrowsAsync<PasswordHashingBusyException>(() => hasher.HashAsync("correct horse battery", CancellationToken.None).AsTask());
        await Assert.ThrowsAsync<PasswordHashingBusyException>(() => hasher.VerifyAsync("correct horse battery", stored, CancellationToken.None).AsTask());
        // The CLI and seeding hash outside requests, with no gate.
        Assert.Equal(PasswordVerification.Succeeded, hasher.Verify("correct horse battery", hasher.Hash("correct horse battery")));

        release.Set();
        await holder;
        Assert.Equal(PasswordVerification.Succeeded, await hasher.VerifyAsync("correct horse battery", stored, CancellationToken.None));
    }

    [Theory]
    [InlineData(0, 0, 2)]
    [InlineData(1, -1, 2)]
    [InlineData(1, 0, 31)]
    [InlineData(1025, 0, 2)]
    public void LimitsOutOfRangeAreRefused(int maxConcurrent, int maxQueued, int maxWaitSeconds)
    {
        var limits = new PasswordHashingLimits { MaxConcurrent = maxConcurrent, MaxQueued = maxQueued, MaxWait = TimeSpan.FromSeconds(maxWaitSeconds) };

        Assert.NotNull(limits.Problem());
        Assert.Throws<ArgumentException>(() => new PasswordHashingGate(limits, TimeProvider.System));
    }

    [Fact]
    public void DefaultLimitsFollowTheProcessorCount()
    {
        var limits = new PasswordHashingLimits();

        Assert.Null(limits.Problem());
        Assert.Equal(Environment.ProcessorCount, limits.MaxConcurrent);
    }

    /// <summary>Takes the gate's (only) slot and holds it until <paramref name="release"/> is set.</summary>
    private static async Task<Task<int>> HoldSlotAsync(PasswordHashingGate gate, ManualResetEventSlim release)
    {
        using var held = new SemaphoreSlim(0);
        Task<int> holder = Task.Run(() => gate.RunAsync(0, _ =>
        {
            held.Release();
            release.Wait(TimeSpan.FromMinutes(1));
            return 42;
        }, CancellationToken.None).AsTask());
        Assert.True(await held.WaitAsync(TimeSpan.FromMinutes(1)), "the holder never got the slot");
        return holder;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current = Volatile.Read(ref target);
        while (value > current)
        {
            int seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
