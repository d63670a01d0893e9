using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tessera.Sessions.Changes;

/// <summary>
/// A revocation list answered from memory, kept current by an <see cref="ISessionChangeFeed"/>:
/// each <see cref="SessionChangeKind.Revoked"/> change adds the session id, and each
/// <see cref="ISessionChangeListener.OnReset"/> reloads every listed id from the store
/// (<see cref="ISessionRevocationSource"/>). A revocation is permanent, so the local set only grows
/// (entries leave when the list's lifetime ends) and a reload only adds to it.
/// It answers from memory only while that is safe, and otherwise asks the wrapped list (one round
/// trip, as without the feed): before the first reload has finished, while a reload runs after a
/// reconnect, after the feed has been lost for longer than its <see cref="ISessionChangeFeed.Staleness"/>,
/// and while more ids are listed than <see cref="PushedRevocationListOptions.MaxEntries"/>.
/// </summary>
public sealed class PushedSessionRevocationList : ISessionRevocationList, ISessionChangeListener, IDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    private readonly ISessionRevocationList _inner;
    private readonly ISessionRevocationSource _source;
    private readonly PushedRevocationListOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly FeedTrust _trust;
    private readonly TimeSpan _staleness;
    private readonly ConcurrentDictionary<string, long> _revoked = new(StringComparer.Ordinal); // sid → listed until (UTC ticks)
    private readonly CancellationTokenSource _stopping = new();
    private readonly IDisposable _subscription;
    private int _count;
    private long _generation;
    private long _loadedGeneration = -1; // the generation whose reload finished; answers are local only while it is the current one
    private long _nextSweep;
    private volatile bool _overflowed;

    /// <summary>
    /// Subscribes to <paramref name="feed"/>; answers from memory once its first reload from
    /// <paramref name="source"/> has finished, and from <paramref name="inner"/> whenever memory cannot be trusted.
    /// </summary>
    public PushedSessionRevocationList(ISessionChangeFeed feed, ISessionRevocationList inner, ISessionRevocationSource source,
        PushedRevocationListOptions options, TimeProvider time, ILogger<PushedSessionRevocationList>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        if (options.Problem() is { } problem)
        {
            throw new ArgumentException($"Invalid pushed revocation list options: {problem}.", nameof(options));
        }

        _inner = inner;
        _source = source;
        _options = options;
        _time = time;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _staleness = feed.Staleness;
        _trust = new FeedTrust(time, feed.Staleness);
        _subscription = feed.Subscribe(this);
    }

    /// <summary>True while checks are answered from memory (for tests and health: false means every check asks the store).</summary>
    public bool AnswersLocally => Volatile.Read(ref _loadedGeneration) == Volatile.Read(ref _generation) && !_overflowed && _trust.IsFresh;

    /// <summary>How many session ids are held (expired ones included until swept).</summary>
    public int Count => Volatile.Read(ref _count);

    /// <inheritdoc />
    public ValueTask<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(sessionId);
        if (!AnswersLocally)
        {
            return _inner.IsRevokedAsync(sessionId, cancellationToken);
        }

        return ValueTask.FromResult(_revoked.TryGetValue(sessionId, out long until) && until > _time.GetUtcNow().UtcTicks);
    }

    /// <inheritdoc />
    public void OnChange(SessionChange change)
    {
        if (change.Kind == SessionChangeKind.Revoked && !string.IsNullOrEmpty(change.Handle))
        {
            // The store's own listing time when the message carries it: the issuer's tokens may live
            // longer than this instance's settings assume, and an id forgotten early lets them through.
            Add(change.Handle, change.ListedFor is { } listed && listed > _options.Lifetime ? listed : _options.Lifetime);
        }
    }

    /// <inheritdoc />
    public void OnReset()
    {
        // Until this reset's reload has finished, answers come from the store: a revocation may have
        // been missed. A reload of an earlier generation finishing now cannot count for this one.
        long generation = Interlocked.Increment(ref _generation);
        _trust.OnConnected();
        _ = Task.Run(() => ReloadAsync(generation));
    }

    /// <inheritdoc />
    public void OnDisconnected()
    {
        _trust.OnDisconnected();
        SessionChangesLog.Disconnected(_logger, _staleness);
    }

    /// <summary>Stops listening and reloading.</summary>
    public void Dispose()
    {
        _subscription.Dispose();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    private async Task ReloadAsync(long generation)
    {
        while (generation == Volatile.Read(ref _generation) && !_stopping.IsCancellationRequested)
        {
            try
            {
                _overflowed = false;
                await foreach (ListedRevocation listed in _source.ReadAllAsync(_stopping.Token).ConfigureAwait(false))
                {
                    if (generation != Volatile.Read(ref _generation))
                    {
                        return; // a newer reset started its own reload
                    }

                    // As long as the store lists it (never shorter: the store knows the issuer's token lifetime).
                    TimeSpan remaining = listed.Remaining ?? _options.Lifetime;
                    if (remaining > TimeSpan.Zero)
                    {
                        Add(listed.SessionId, remaining);
                    }
                }

                // Stamped with its own generation: if a newer reset came meanwhile, this stamp does not match it.
                long seen;
                while ((seen = Volatile.Read(ref _loadedGeneration)) < generation && Interlocked.CompareExchange(ref _loadedGeneration, generation, seen) != seen)
                {
                }

                SessionChangesLog.Reloaded(_logger, Count);

                return;
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Stay on the store's answers and try again: the feed is connected, the store may be back soon.
                SessionChangesLog.ReloadFailed(_logger, ex);
                try
                {
                    await Task.Delay(RetryDelay, _time, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    private void Add(string sessionId, TimeSpan remaining)
    {
        long now = _time.GetUtcNow().UtcTicks;
        long until = now + remaining.Ticks;
        if (_revoked.TryGetValue(sessionId, out long known))
        {
            if (until > known)
            {
                _revoked[sessionId] = until;
            }

            return;
        }

        if (Volatile.Read(ref _count) >= _options.MaxEntries)
        {
            Sweep(now);
            if (Volatile.Read(ref _count) >= _options.MaxEntries)
            {
                // Dropping an id would let its tokens through: stop answering locally instead.
                if (!_overflowed)
                {
                    _overflowed = true;
                    SessionChangesLog.Overflowed(_logger, _options.MaxEntries);
                }

                return;
            }
        }

        if (_revoked.TryAdd(sessionId, until))
        {
            Interlocked.Increment(ref _count);
        }

        if (now >= Volatile.Read(ref _nextSweep))
        {
            Sweep(now);
        }
    }

    /// <summary>Removes the ids whose time on the list is over (at most once per tenth of the lifetime, unless full).</summary>
    private void Sweep(long now)
    {
        Volatile.Write(ref _nextSweep, now + (_options.Lifetime.Ticks / 10));
        foreach (KeyValuePair<string, long> entry in _revoked)
        {
            if (entry.Value <= now && _revoked.TryRemove(entry))
            {
                Interlocked.Decrement(ref _count);
            }
        }
    }
}
