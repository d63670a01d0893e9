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
/// Message: <c>kind|handle|user</c>, kind <c>r</c> revoked, <c>c</c> changed, <c>d</c> deleted (names only, never a secret).
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
    private TaskCompletionSource<bool>? _probe;
    private string? _probeId;
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
        bool connected;
        lock (_gate)
        {
            _listeners = [.. _listeners, listener];
            _started ??= StartAsync();
            connected = _connected;
        }

        if (connected)
        {
            listener.OnReset();
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

    /// <summary>The message for <paramref name="change"/>; the Lua scripts write the same shape.</summary>
    internal static string Format(SessionChange change) =>
        $"{change.Kind switch { SessionChangeKind.Revoked => 'r', SessionChangeKind.Deleted => 'd', _ => 'c' }}|{change.Handle}|{change.UserId}";

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
        return kind is { } k && handle.Length > 0 ? new SessionChange(k, handle, user) : null;
    }

    private async Task StartAsync()
    {
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
        // Subscribe until it works: the connection is made without waiting for Redis to be up.
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                ChannelMessageQueue queue = await _redis.GetSubscriber().SubscribeAsync(_channel).ConfigureAwait(false);
                // One message at a time, in order, on one thread: what a listener expects.
                queue.OnMessage(OnMessage);
                _queue = queue;
                break;
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
                    return;
                }
            }
        }

        await ConfirmAsync().ConfigureAwait(false);
    }

    /// <summary>Publishes a probe until it comes back on the subscription, then resets every listener.</summary>
    private async Task ConfirmAsync()
    {
        if (Interlocked.Exchange(ref _confirming, 1) == 1)
        {
            return; // already confirming; it starts over if the connection is lost meanwhile
        }

        ISessionChangeListener[] listeners;
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
                        _connected = true;
                        listeners = _listeners;
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
        foreach (ISessionChangeListener listener in listeners)
        {
            listener.OnReset();
        }
    }

    /// <summary>Returns once a probe published now has been heard on the subscription.</summary>
    private async Task ProbeAsync()
    {
        while (true)
        {
            _stopping.Token.ThrowIfCancellationRequested();
            var heard = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            string id = Guid.NewGuid().ToString("N");
            lock (_gate)
            {
                (_probe, _probeId) = (heard, id);
            }

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
        }
    }

    private void OnMessage(ChannelMessage message)
    {
        string? text = message.Message;
        if (text is not null && text.StartsWith("p|", StringComparison.Ordinal))
        {
            lock (_gate)
            {
                if (_probeId is { } id && text.AsSpan(2).SequenceEqual(id))
                {
                    _probe?.TrySetResult(true);
                }
            }

            return;
        }

        if (Parse(text) is not { } change)
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
        ISessionChangeListener[] listeners;
        lock (_gate)
        {
            Interlocked.Increment(ref _failures);
            _connected = false;
            listeners = _listeners;
        }

        RedisChangeFeedLog.Disconnected(_logger, e.ConnectionType, e.FailureType);
        foreach (ISessionChangeListener listener in listeners)
        {
            listener.OnDisconnected();
        }
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
