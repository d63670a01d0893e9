using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Tessera.Sessions.Changes;
using Tessera.Stores;
using Tessera.Stores.Sql;

namespace Tessera.PostgreSql;

/// <summary>
/// Session changes pushed by PostgreSQL: the session store announces each change with
/// <c>pg_notify</c> in the statement that makes it (<see cref="PostgresSessionStore"/>), and this
/// feed hears them with <c>LISTEN</c> on one dedicated connection per instance, outside the pool
/// (a listening connection cannot be shared: PostgreSQL delivers to the session that listens).
/// </summary>
/// <remarks>
/// <para>
/// A background loop opens the connection when the first listener subscribes, listens on the
/// schema's channel (<see cref="PostgresSessionChanges.ChannelSql"/>), resets every listener (it
/// may have missed changes before it listened), then waits for notifications
/// (<see cref="NpgsqlConnection.WaitAsync(TimeSpan, CancellationToken)"/>). A silence longer than
/// <see cref="PostgresChangeFeedOptions.Heartbeat"/> is checked with a query that must answer in
/// the same time, so a dead network is noticed too. On any failure the listeners hear
/// <see cref="ISessionChangeListener.OnDisconnected"/>, and the loop reconnects with a growing,
/// jittered delay (100 ms doubling to 5 s) and resets them again once listening.
/// </para>
/// <para>
/// PostgreSQL delivers a notification only when the transaction that sent it commits, in commit
/// order, to every session listening at that moment (PostgreSQL docs, NOTIFY); what is sent while
/// the connection is down is lost, which is what the reset on reconnect stands for. Listeners are
/// called one at a time, on the loop's thread, under one lock: a new subscriber's first call is
/// its reset, and nothing reaches a subscription once its <see cref="IDisposable.Dispose"/> returned.
/// </para>
/// </remarks>
public sealed class PostgresSessionChangeFeed : ISessionChangeFeed, IAsyncDisposable, IDisposable
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(5);

    private readonly PostgresDatabase _database;
    private readonly string _connectionString;
    private readonly PostgresChangeFeedOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private Subscription[] _subscriptions = [];
    private Task? _loop;
    private bool _connected;
    private bool _disposed;
    private int _processId;

    /// <param name="database">Where <see cref="PublishAsync"/> sends from (a pooled connection).</param>
    /// <param name="connection">How to open the listening connection: the same database, user and search path as the store's (the channel is the schema's).</param>
    /// <param name="options">Staleness and heartbeat.</param>
    /// <param name="time">The clock of the reconnect delays (the system clock when null).</param>
    /// <param name="logger">Where connection losses are logged.</param>
    public PostgresSessionChangeFeed(PostgresDatabase database, PostgresStoreOptions connection, PostgresChangeFeedOptions options, TimeProvider? time = null, ILogger<PostgresSessionChangeFeed>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(connection.ConnectionString);
        string? problem = options.Problem();
        if (problem is not null)
        {
            throw new ArgumentException(problem, nameof(options));
        }

        _database = database;
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        var builder = new NpgsqlConnectionStringBuilder(connection.ConnectionString)
        {
            Timeout = WholeSeconds(connection.ConnectTimeout),
            CommandTimeout = WholeSeconds(options.Heartbeat),
            // Its own physical connection, closed for real when it fails: never handed back to a pool.
            Pooling = false,
            Enlist = false,
        };
        builder.ApplicationName ??= "tessera session feed";
        _connectionString = builder.ConnectionString;
    }

    /// <inheritdoc />
    public bool IsConnected
    {
        get
        {
            lock (_gate)
            {
                return _connected;
            }
        }
    }

    /// <inheritdoc />
    public TimeSpan Staleness => _options.Staleness;

    /// <summary>The server process of the listening connection (<c>pg_stat_activity.pid</c>); 0 while not listening.</summary>
    internal int ListenerProcessId => Volatile.Read(ref _processId);

    /// <inheritdoc />
    public IDisposable Subscribe(ISessionChangeListener listener)
    {
        ArgumentNullException.ThrowIfNull(listener);
        var subscription = new Subscription(this, listener);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _subscriptions = [.. _subscriptions, subscription];
            if (_connected)
            {
                Call(listener.OnReset);
            }

            _loop ??= Task.Run(() => ListenAsync(_stopping.Token));
        }

        return subscription;
    }

    /// <summary>Sends <paramref name="change"/> on the schema's channel from a pooled connection: every instance's listeners hear it, this one's included.</summary>
    public async ValueTask PublishAsync(SessionChange change, CancellationToken cancellationToken)
    {
        string payload = PostgresSessionChanges.Payload(change);
        try
        {
            await _database.RunAsync((connection, ct) => connection.Command($"SELECT pg_notify({PostgresSessionChanges.ChannelSql}, @payload);")
                .With("payload", payload).ExecuteAsync(ct), cancellationToken).ConfigureAwait(false);
        }
        catch (StoreUnavailableException ex)
        {
            PostgresChangeFeedLog.PublishFailed(_logger, ex, change.Kind);
        }
    }

    /// <summary>Stops listening and closes the connection; subscribers hear nothing more.</summary>
    public async ValueTask DisposeAsync()
    {
        Task? loop;
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _subscriptions = [];
            loop = _loop;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (loop is not null)
        {
            await loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _stopping.Dispose();
    }

    /// <summary>As <see cref="DisposeAsync"/>, for a container disposed synchronously.</summary>
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    private async Task ListenAsync(CancellationToken stopping)
    {
        int failures = 0;
        while (!stopping.IsCancellationRequested)
        {
            bool listened = false;
            try
            {
                var connection = new NpgsqlConnection(_connectionString);
                await using (connection.ConfigureAwait(false))
                {
                    connection.Notification += Heard;
                    await connection.OpenAsync(stopping).ConfigureAwait(false);
                    string channel = await connection.Command($"SELECT {PostgresSessionChanges.ChannelSql};")
                        .ReadFirstAsync(reader => reader.GetString(0), stopping).ConfigureAwait(false) ?? throw new InvalidOperationException("The connection has no current schema.");
                    await connection.Command($"LISTEN \"{channel.Replace("\"", "\"\"", StringComparison.Ordinal)}\";").ExecuteAsync(stopping).ConfigureAwait(false);
                    Volatile.Write(ref _processId, connection.ProcessID);
                    Connected(true);
                    listened = true;
                    failures = 0;
                    PostgresChangeFeedLog.Listening(_logger, channel, connection.ProcessID);
                    while (true)
                    {
                        if (!await connection.WaitAsync(_options.Heartbeat, stopping).ConfigureAwait(false))
                        {
                            // Silence: prove the connection still answers (within the command timeout, the heartbeat).
                            await connection.Command("SELECT 1;").ExecuteAsync(stopping).ConfigureAwait(false);
                        }
                    }
                }
            }
            catch (Exception) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever broke (the server closed the connection, a heartbeat timed out, the network
                // failed, the server refused us), the loop must outlive it: it is the feed.
                Volatile.Write(ref _processId, 0);
                TimeSpan delay = RetryDelay(failures++);
                if (listened)
                {
                    Connected(false);
                    PostgresChangeFeedLog.ConnectionLost(_logger, ex, _options.Staleness, delay);
                }
                else
                {
                    PostgresChangeFeedLog.ConnectFailed(_logger, ex, delay);
                }

                try
                {
                    await Task.Delay(delay, _time, stopping).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    /// <summary>Marks the feed (dis)connected and tells every listener, under the lock that orders all calls.</summary>
    private void Connected(bool connected)
    {
        lock (_gate)
        {
            _connected = connected;
            foreach (Subscription subscription in _subscriptions)
            {
                Call(connected ? subscription.Listener.OnReset : subscription.Listener.OnDisconnected);
            }
        }
    }

    // Raised by Npgsql on the loop's thread, while it waits (or runs the heartbeat).
    private void Heard(object sender, NpgsqlNotificationEventArgs notification)
    {
        SessionChange? change = PostgresSessionChanges.Read(notification.Payload);
        if (change is null && notification.Payload != PostgresSessionChanges.ResetPayload)
        {
            PostgresChangeFeedLog.Unreadable(_logger, notification.Payload.Length);
        }

        lock (_gate)
        {
            foreach (Subscription subscription in _subscriptions)
            {
                ISessionChangeListener listener = subscription.Listener;
                Call(change is { } known ? () => listener.OnChange(known) : listener.OnReset);
            }
        }
    }

    private void Call(Action call)
    {
        try
        {
            call();
        }
        catch (Exception ex)
        {
            // A listener that throws must not stop the others, nor break the connection it was called from.
            PostgresChangeFeedLog.ListenerFailed(_logger, ex);
        }
    }

    private void Unsubscribe(Subscription subscription)
    {
        lock (_gate)
        {
            _subscriptions = Array.FindAll(_subscriptions, s => !ReferenceEquals(s, subscription));
        }
    }

    private static TimeSpan RetryDelay(int failures)
    {
        double grown = FirstRetry.TotalMilliseconds * Math.Pow(2, Math.Min(failures, 16));
        double capped = Math.Min(grown, LastRetry.TotalMilliseconds);
        // Jitter, so instances cut off together do not all come back in the same instant.
        return TimeSpan.FromMilliseconds(capped * (0.8 + (0.4 * Random.Shared.NextDouble())));
    }

    private static int WholeSeconds(TimeSpan value) => Math.Max(1, (int)Math.Ceiling(value.TotalSeconds));

    private sealed class Subscription(PostgresSessionChangeFeed feed, ISessionChangeListener listener) : IDisposable
    {
        public ISessionChangeListener Listener { get; } = listener;

        public void Dispose() => feed.Unsubscribe(this);
    }
}
