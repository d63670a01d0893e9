using Tessera.Sessions.Changes;

namespace Tessera.Stores.Conformance.Changes;

/// <summary>
/// A listener that writes down what a feed tells it, and lets a test wait (boundedly) until it has
/// heard something. The bound only keeps a broken feed from hanging the run: nothing about how
/// fast the feed is gets asserted.
/// </summary>
public sealed class RecordingListener : ISessionChangeListener
{
    private readonly object _gate = new();
    private readonly List<SessionChange> _changes = [];
    private readonly List<string> _events = [];
    private TaskCompletionSource _heard = NewSignal();
    private int _resets;
    private int _disconnects;

    /// <param name="bound">How long a wait may take before the test fails as "never delivered".</param>
    public RecordingListener(TimeSpan bound) => Bound = bound;

    /// <summary>How long a wait may take before the test fails.</summary>
    public TimeSpan Bound { get; }

    /// <summary>Every change heard so far, in order.</summary>
    public IReadOnlyList<SessionChange> Changes
    {
        get
        {
            lock (_gate)
            {
                return [.. _changes];
            }
        }
    }

    /// <summary>Every call heard so far, in order ("change", "reset", "disconnected"), to check what came first.</summary>
    public IReadOnlyList<string> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>How many times <see cref="OnReset"/> was called.</summary>
    public int Resets => Volatile.Read(ref _resets);

    /// <summary>How many times <see cref="OnDisconnected"/> was called.</summary>
    public int Disconnects => Volatile.Read(ref _disconnects);

    /// <inheritdoc />
    public void OnChange(SessionChange change) => Record("change", () => _changes.Add(change));

    /// <inheritdoc />
    public void OnReset() => Record("reset", () => Interlocked.Increment(ref _resets));

    /// <inheritdoc />
    public void OnDisconnected() => Record("disconnected", () => Interlocked.Increment(ref _disconnects));

    /// <summary>Waits until a change matching <paramref name="match"/> has been heard; returns it.</summary>
    public async Task<SessionChange> WaitForChangeAsync(Func<SessionChange, bool> match, string what)
    {
        SessionChange? found = null;
        await WaitUntilAsync(() =>
        {
            lock (_gate)
            {
                int at = _changes.FindIndex(c => match(c));
                found = at < 0 ? null : _changes[at];
                return found is not null;
            }
        }, what);
        return found!.Value;
    }

    /// <summary>Waits until <see cref="OnReset"/> has been called <paramref name="count"/> times.</summary>
    public Task WaitForResetsAsync(int count) => WaitUntilAsync(() => Resets >= count, $"OnReset called {count} time(s)");

    /// <summary>Waits until <see cref="OnDisconnected"/> has been called <paramref name="count"/> times.</summary>
    public Task WaitForDisconnectsAsync(int count) => WaitUntilAsync(() => Disconnects >= count, $"OnDisconnected called {count} time(s)");

    /// <summary>Waits until <paramref name="condition"/> holds, re-checking after every call the listener hears.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        using var timeout = new CancellationTokenSource(Bound);
        while (true)
        {
            Task heard;
            lock (_gate)
            {
                heard = _heard.Task;
            }

            if (condition())
            {
                return;
            }

            try
            {
                await heard.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                if (condition())
                {
                    return;
                }

                throw new Xunit.Sdk.XunitException($"Never heard: {what} (waited {Bound}; heard {string.Join(", ", Events)}).");
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void Record(string name, Action write)
    {
        TaskCompletionSource heard;
        lock (_gate)
        {
            write();
            _events.Add(name);
            heard = _heard;
            _heard = NewSignal();
        }

        heard.TrySetResult();
    }
}
