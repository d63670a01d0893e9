namespace Tessera.Passwords;

/// <summary>
/// Bounds the password hashes computed at once (<see cref="PasswordHashingLimits"/>): a caller takes
/// one of N slots, waits asynchronously in a short bounded queue when all are taken, and gets
/// <see cref="PasswordHashingBusyException"/> when the queue is full or no slot frees within
/// <see cref="PasswordHashingLimits.MaxWait"/>. One gate per process: every request path shares it.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim holds an unmanaged handle only once AvailableWaitHandle is read, which this class never does.")]
public sealed class PasswordHashingGate
{
    private readonly SemaphoreSlim _slots;
    private readonly PasswordHashingLimits _limits;
    private readonly TimeProvider _time;
    private int _queued;

    /// <summary>A gate letting at most <paramref name="limits"/>' hashes run at once, the others waiting up to its queue timeout on the clock <paramref name="time"/>.</summary>
    public PasswordHashingGate(PasswordHashingLimits limits, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(time);
        if (limits.Problem() is { } problem)
        {
            throw new ArgumentException($"Invalid password-hashing limits: {problem}.", nameof(limits));
        }

        _limits = limits;
        _time = time;
        _slots = new SemaphoreSlim(limits.MaxConcurrent, limits.MaxConcurrent);
    }

    /// <summary>The concurrency and waiting limits of this gate.</summary>
    public PasswordHashingLimits Limits => _limits;

    /// <summary>Slots free right now (a diagnostic; it may change as soon as it is read).</summary>
    public int FreeSlots => _slots.CurrentCount;

    /// <summary>Callers waiting for a slot right now (a diagnostic, like <see cref="FreeSlots"/>).</summary>
    public int Queued => Volatile.Read(ref _queued);

    /// <summary>
    /// Runs <paramref name="work"/> (CPU-bound, synchronous) once a slot is free. The wait is
    /// asynchronous, so a queued request holds no thread; the work itself runs on the caller's
    /// thread-pool thread, as any CPU work of a request does: the bound on slots is what keeps
    /// Argon2id from occupying more threads than there are cores.
    /// </summary>
    public async ValueTask<TResult> RunAsync<TState, TResult>(TState state, Func<TState, TResult> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        await EnterAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return work(state);
        }
        finally
        {
            _slots.Release();
        }
    }

    private async ValueTask EnterAsync(CancellationToken cancellationToken)
    {
        if (_slots.Wait(0, CancellationToken.None))
        {
            return;
        }

        if (Interlocked.Increment(ref _queued) > _limits.MaxQueued || _limits.MaxWait == TimeSpan.Zero)
        {
            Interlocked.Decrement(ref _queued);
            throw Busy();
        }

        try
        {
            // The wait's deadline comes from the TimeProvider, so tests can move it.
            using var deadline = new CancellationTokenSource(_limits.MaxWait, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
            try
            {
                await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw Busy();
            }
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }
    }

    private PasswordHashingBusyException Busy() => new() { RetryAfter = _limits.RetryAfter };
}
