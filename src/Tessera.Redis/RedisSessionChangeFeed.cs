using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using StackExchange.Redis;
using Tessera.Sessions.Changes;

namespace Tessera.Redis;

/// <summary>
/// The session change feed over Redis pub/sub: <see cref="RedisSessionStore"/>'s Lua scripts
/// PUBLISH every change on <c>{prefix}v1:changes</c> (<c>v2:</c> with <see cref="RedisSessionStoreOptions.Cluster"/>) in the same atomic step as the change, and
/// every instance subscribed here hears it. Pub/sub delivers at most once and only while
/// connected, so: a lost connection is reported at once (<see cref="ISessionChangeListener.OnDisconnected"/>);
/// after a (re)connection the feed first proves its subscription is live (it publishes a probe and
/// waits to hear it back) and only then says <see cref="ISessionChangeListener.OnReset"/>, so a
/// listener's reload cannot miss a change published between the reload and the subscription.
/// Message: <c>kind|handle|user</c>, kind <c>r</c> revoked (then <c>|ms</c>: how long the id stays on the revocation list), <c>c</c> changed, <c>d</c> deleted (names only, never a secret).
/// </summary>
public sealed class RedisSessionChangeFeed : ISessionChangeFeed, IDisposable
{
    /// <summary>The default <see cref="Staleness"/>.</summary>
    public static readonly TimeSpan DefaultStaleness = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan ProbeWait = TimeSpan.FromSeconds(1);

    private readonly IConnectionMultiplexer _redis;
    private readonly RedisChannel _channel;
    private readonly string _channelName;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private ISessionChangeListener[] _listeners = [];
    private ChannelMessageQueue? _queue;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<bool>> _probes = new(StringComparer.Ordinal);
    private Task? _started;
    private volatile bool _connected;
    private int _confirming;
    private int _failures;

    /// <summary>
    /// A feed over <paramref name="redis"/> for the sessions stored under <paramref name="keyPrefix"/>
    /// (the store's prefix) in the key layout <paramref name="cluster"/> names (<see cref="RedisSessionStoreOptions.Cluster"/>).
    /// </summary>
    public RedisSessionChangeFeed(IConnectionMultiplexer redis, string keyPrefix = "tessera:", TimeSpan? staleness = null, ILogger<RedisSessionChangeFeed>? logger = null, bool cluster = false)
    {
        ArgumentNullException.ThrowIfNull(redis);
        if (staleness < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(staleness), "The staleness must be zero or more.");
        }

        _redis = redis;
        _channelName = new RedisKeys(keyPrefix, cluster).Prefix + "changes";
        _channel = RedisChannel.Literal(_channelName);
        Staleness = staleness ?? DefaultStaleness;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc />
    public bool IsConnected => _connected;

    /// <inheritdoc />
    public TimeSpan Staleness { get; }

    /// <summary>The channel the store's scripts publish on (<c>{prefix}v1:changes</c>, or <c>v2:</c> on a cluster: beside the keys).</summary>
    internal static RedisChannel ChannelOf(RedisKeys keys) => RedisChannel.Literal(keys.Prefix + "changes");

    /// <inheritdoc />
    public IDisposable Subscribe(ISessionChangeListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        lock (_gate)
        {
            _listeners = [.. _listeners, listener];
            _started ??= StartAsync();
            if (_connected)
            {
                // Under the gate, like every OnReset and OnDisconnected: a listener hears them in the order they happened.
                listener.OnReset();
            }
        }

        return new Subscription(this, listener);
    }

    /// <inheritdoc />
    public async ValueTask PublishAsync(SessionChange change, CancellationToken cancellationToken)
    {
        try
        {
            await RedisCalls.RunAsync(() => _redis.GetSubscriber().PublishAsync(_channel, Format(change)), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            RedisChangeFeedLog.PublishFailed(_logger, ex);
        }
    }

    /// <summary>Stops listening.</summary>
    public void Dispose()
    {
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        _stopping.Cancel();
        _queue?.Unsubscribe();
    }

    /// <summary>
    /// This feed's name in the touches it should not hand back (random, one per feed): a store whose
    /// every touch goes through the near cache listening here stamps its touches with it
    /// (<see cref="RedisSessionStore.TouchOrigin"/>), and their echo is dropped, since that near cache
    /// already moved its own copy forward. Skipping one is safe: a touch only moves the last-seen and
    /// idle-expiry times forward on a live session; a copy that misses it looks older, and one that
    /// looks expired is read again, never refused (<see cref="NearCachedSessionStore"/>). Every other
    /// change (revocation, rotation, flag, attribute) carries no origin and is always delivered. An
    /// older build reads the stamp as part of the user id, which a change of kind <c>c</c> does not use.
    /// </summary>
    internal string Origin { get; } = Guid.NewGuid().ToString("N");

    /// <summary>
    /// The origin a touch's message names (<c>c|handle|user|o:origin</c>), or null. The stamp must
    /// follow the user field and be an origin's shape (32 hex digits), so a user id that starts with
    /// or holds <c>o:</c> is never taken for one.
    /// </summary>
    internal static string? OriginOf(string message) =>
        OriginAt(message) is var at and >= 0 ? message[(at + 3)..] : null;

    // Where "|o:" starts in a touch message that carries an origin, else -1.
    private static int OriginAt(string message)
    {
        if (!message.StartsWith("c|", StringComparison.Ordinal))
        {
            return -1;
        }

        int end = message.IndexOf('|', 2);
        int at = message.LastIndexOf("|o:", StringComparison.Ordinal);
        return end >= 0 && at > end && message.Length - (at + 3) == OriginLength && IsLowerHex(message.AsSpan(at + 3)) ? at : -1;
    }

    private const int OriginLength = 32;

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    private static bool IsLowerHex(ReadOnlySpan<char> value) => !value.ContainsAnyExcept(LowerHex);

    // A forged or corrupt listing time must not throw in the message handler: a year is longer than any session lives.
    private static readonly long MaxListedMilliseconds = (long)TimeSpan.FromDays(366).TotalMilliseconds;

    /// <summary>The message for <paramref name="change"/>; the Lua scripts write the same shape.</summary>
    internal static string Format(SessionChange change) =>
        $"{change.Kind switch { SessionChangeKind.Revoked => 'r', SessionChangeKind.Deleted => 'd', _ => 'c' }}|{change.Handle}|{change.UserId}"
        + (change.Kind == SessionChangeKind.Revoked && change.ListedFor is { } listed ? "|" + ((long)listed.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture) : "");

    /// <summary>The change <paramref name="message"/> carries, or null when it is none (a probe, or not ours).</summary>
    internal static SessionChange? Parse(string? message)
    {
        if (message is not { Length: > 2 } || message[1] != '|')
        {
            return null;
        }

        SessionChangeKind? kind = message[0] switch { 'r' => SessionChangeKind.Revoked, 'c' => SessionChangeKind.Changed, 'd' => SessionChangeKind.Deleted, _ => null };
        int end = message.IndexOf('|', 2);
        string handle = end < 0 ? message[2..] : message[2..end];
        string? user = end < 0 || end == message.Length - 1 ? null : message[(end + 1)..];
        if (kind == SessionChangeKind.Changed && user is not null && OriginAt(message) is var at and >= 0)
        {
            // c|handle|user|o:origin: a touch (the origin is not part of the user id).
            user = at == end + 1 ? null : message[(end + 1)..at];
        }

        TimeSpan? listed = null;
        if (kind == SessionChangeKind.Revoked && user is not null && user.LastIndexOf('|') is var bar and >= 0
            && long.TryParse(user.AsSpan(bar + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long milliseconds))
        {
            // r|handle|user|ms: how long the store lists the id (the Lua scripts add it to revocations).
            listed = TimeSpan.FromMilliseconds(Math.Min(milliseconds, MaxListedMilliseconds));
            user = bar == 0 ? null : user[..bar];
        }

        return kind is { } k && handle.Length > 0 ? new SessionChange(k, handle, user, listed) : null;
    }

    private async Task StartAsync()
    {
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        if (await SubscribeUntilItWorksAsync().ConfigureAwait(false))
        {
            await ConfirmAsync().ConfigureAwait(false);
            _ = Task.Run(WatchAsync);
        }
    }

    /// <summary>Subscribes until it works (the connection is made without waiting for Redis to be up); false when stopping.</summary>
    private async Task<bool> SubscribeUntilItWorksAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                ChannelMessageQueue queue = await _redis.GetSubscriber().SubscribeAsync(_channel).ConfigureAwait(false);
                // One message at a time, in order, on one thread: what a listener expects.
                queue.OnMessage(OnMessage);
                _queue = queue;
                return true;
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                RedisChangeFeedLog.SubscribeFailed(_logger, ex);
                try
                {
                    await Task.Delay(ProbeWait, _stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// How often the feed proves its subscription still delivers: half the staleness bound (50 ms to
    /// 5 s). A subscription can die without any connection event (a half-open socket after a network
    /// drop, a server-side unsubscribe); StackExchange.Redis may notice only much later, if ever.
    /// </summary>
    internal TimeSpan Heartbeat => TimeSpan.FromTicks(Math.Clamp(Staleness.Ticks / 2, TimeSpan.FromMilliseconds(50).Ticks, TimeSpan.FromSeconds(5).Ticks));

    /// <summary>
    /// The liveness check: while connected, a probe every <see cref="Heartbeat"/> must come back within
    /// another; one that does not is a lost subscription (listeners hear OnDisconnected, so the staleness
    /// bound holds), made again and confirmed (listeners then reset and reload). A lost connection that
    /// nothing restores within a heartbeat (a cluster node gone for good) is made again the same way.
    /// </summary>
    private async Task WatchAsync()
    {
        TimeSpan every = Heartbeat;
        int unrestored = -1; // the failure count seen while disconnected and not confirming, one heartbeat ago
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(every, _stopping.Token).ConfigureAwait(false);
                int failures = Volatile.Read(ref _failures);
                if (Volatile.Read(ref _confirming) == 1)
                {
                    unrestored = -1;
                    continue;
                }

                if (!_connected)
                {
                    // A ConnectionFailed with no ConnectionRestored after it for a whole heartbeat and
                    // nothing confirming: a cluster node that never comes back is reported failed and
                    // never restored. Subscribe again and confirm, as for a lost heartbeat.
                    if (unrestored != failures)
                    {
                        unrestored = failures; // give ConnectionRestored one heartbeat first
                        continue;
                    }

                    unrestored = -1;
                    RedisChangeFeedLog.NeverRestored(_logger, every);
                    await ResubscribeAsync().ConfigureAwait(false);
                    continue;
                }

                unrestored = -1;

                if (await TryProbeAsync(every).ConfigureAwait(false))
                {
                    continue;
                }

                if (!MarkLost(failures))
                {
                    continue; // a connection event got there first; its own confirmation follows
                }

                RedisChangeFeedLog.HeartbeatLost(_logger, every);
                await ResubscribeAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>Drops the subscription the feed no longer trusts, subscribes again and confirms (listeners then reset).</summary>
    private async Task ResubscribeAsync()
    {
        // The subscription about to be dropped may have just been confirmed by a ConnectionRestored:
        // stop trusting it first (and count a failure, so an in-flight confirmation starts over instead
        // of trusting a queue that is going away), or listeners would answer locally while no change reaches them.
        lock (_gate)
        {
            Interlocked.Increment(ref _failures);
            if (_connected)
            {
                foreach (ISessionChangeListener listener in _listeners)
                {
                    listener.OnDisconnected();
                }

                _connected = false; // last: see MarkLost
            }
        }

        if (_queue is { } dead)
        {
            try
            {
                await dead.UnsubscribeAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                // Redis is down: the new subscription below waits for it.
            }
        }

        if (await SubscribeUntilItWorksAsync().ConfigureAwait(false))
        {
            await ConfirmAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Stops trusting the subscription unless a failure since <paramref name="failuresSeen"/> already did; true when this call did.</summary>
    private bool MarkLost(int failuresSeen)
    {
        lock (_gate)
        {
            if (failuresSeen != Volatile.Read(ref _failures) || !_connected)
            {
                return false;
            }

            Interlocked.Increment(ref _failures);
            foreach (ISessionChangeListener listener in _listeners)
            {
                listener.OnDisconnected();
            }

            // Last, so whoever reads IsConnected false (without the gate) knows every listener already heard it.
            _connected = false;

            return true;
        }
    }

    /// <summary>One probe: published now, heard back within <paramref name="wait"/>?</summary>
    private async Task<bool> TryProbeAsync(TimeSpan wait)
    {
        string id = Guid.NewGuid().ToString("N");
        var heard = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        _probes[id] = heard;
        try
        {
            await _redis.GetSubscriber().PublishAsync(_channel, "p|" + id).WaitAsync(wait, _stopping.Token).ConfigureAwait(false);
            await heard.Task.WaitAsync(wait, _stopping.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return false;
        }
        finally
        {
            _probes.TryRemove(id, out _);
        }
    }

    /// <summary>Publishes a probe until it comes back on the subscription, then resets every listener.</summary>
    private async Task ConfirmAsync()
    {
        if (Interlocked.Exchange(ref _confirming, 1) == 1)
        {
            return; // already confirming; it starts over if the connection is lost meanwhile
        }

        try
        {
            while (true)
            {
                int failures = Volatile.Read(ref _failures);
                await ProbeAsync().ConfigureAwait(false);
                lock (_gate)
                {
                    // A connection lost while the probe was on its way makes the probe prove nothing: again.
                    if (failures == Volatile.Read(ref _failures))
                    {
                        // Reset under the gate: a loss reported after this point reaches every
                        // listener after its reset, never before (which would leave it trusting a dead feed).
                        _connected = true;
                        foreach (ISessionChangeListener listener in _listeners)
                        {
                            listener.OnReset();
                        }

                        break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }
        finally
        {
            Volatile.Write(ref _confirming, 0);
        }

        RedisChangeFeedLog.Connected(_logger, _channelName);
    }

    /// <summary>Returns once a probe published now has been heard on the subscription.</summary>
    private async Task ProbeAsync()
    {
        while (true)
        {
            _stopping.Token.ThrowIfCancellationRequested();
            var heard = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            string id = Guid.NewGuid().ToString("N");
            _probes[id] = heard;
            try
            {
                await _redis.GetSubscriber().PublishAsync(_channel, "p|" + id).ConfigureAwait(false);
                await heard.Task.WaitAsync(ProbeWait, _stopping.Token).ConfigureAwait(false);
                return;
            }
            catch (RedisException)
            {
                // Redis is down: wait before the next try.
                await Task.Delay(ProbeWait, _stopping.Token).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // Not heard in time: the subscription is not back yet. Try again.
            }
            finally
            {
                _probes.TryRemove(id, out _);
            }
        }
    }

    private void OnMessage(ChannelMessage message)
    {
        string? text = message.Message;
        if (text is not null && text.StartsWith("p|", StringComparison.Ordinal))
        {
            // Ours (other instances' probes are ignored).
            if (_probes.TryGetValue(text[2..], out TaskCompletionSource<bool>? heard))
            {
                heard.TrySetResult(true);
            }

            return;
        }

        if (Parse(text) is not { } change || (change.Kind == SessionChangeKind.Changed && OriginOf(text!) == Origin))
        {
            return;
        }

        foreach (ISessionChangeListener listener in Volatile.Read(ref _listeners))
        {
            listener.OnChange(change);
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        // Any lost connection may have carried (or will resubscribe) the channel: stop trusting until confirmed again.
        lock (_gate)
        {
            Interlocked.Increment(ref _failures);
            foreach (ISessionChangeListener listener in _listeners)
            {
                listener.OnDisconnected();
            }

            // Last, so whoever reads IsConnected false (without the gate) knows every listener already heard it.
            _connected = false;
        }

        RedisChangeFeedLog.Disconnected(_logger, e.ConnectionType, e.FailureType);
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (Volatile.Read(ref _queue) is null)
        {
            return; // still subscribing: StartAsync confirms when it is done
        }

        _ = Task.Run(ConfirmAsync);
    }

    private void Unsubscribe(ISessionChangeListener listener)
    {
        lock (_gate)
        {
            _listeners = [.. _listeners.Where(l => !ReferenceEquals(l, listener))];
        }
    }

    private sealed class Subscription(RedisSessionChangeFeed feed, ISessionChangeListener listener) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                feed.Unsubscribe(listener);
            }
        }
    }
}
