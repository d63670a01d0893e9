using System.Collections.Concurrent;
using System.Net;
using System.Runtime.CompilerServices;
using StackExchange.Redis;
using Tessera.Stores;

namespace Tessera.Redis;

/// <summary>
/// The user-index step of a cluster sign-in (#13): the index write and its <c>WAIT</c>, on a
/// connection of their own. WAIT blocks the connection it is sent on until enough replicas
/// acknowledge or the timeout passes, and it counts the writes of that connection only (Redis
/// documentation, WAIT: "the replication offset of the client's last write"). Sent on the shared
/// multiplexer it would hold back every other call pipelined to that primary; sent on another
/// connection than the write it would not cover the write. So both go over one dedicated
/// multiplexer (one per shared multiplexer, made on first use from its configuration), to one
/// node chosen once: the write is sent with <see cref="CommandFlags.NoRedirect"/>, so a slot that
/// moved is answered <c>MOVED</c> and the sign-in refused rather than written somewhere the WAIT
/// does not go. At most one pair per primary is in flight (a WAIT blocks the pairs behind it on
/// the connection anyway); a sign-in that cannot start its pair within the WAIT timeout is refused
/// before writing anything, so a primary whose replicas are gone costs each sign-in a bounded time
/// (its turn, its WAIT, and for a refused write the removal queued behind the next WAIT: about three
/// timeouts) instead of a queue that grows without bound. Made from the shared multiplexer's
/// configuration string only (callbacks set in code are not carried); closed by the store's disposal.
/// </summary>
internal sealed class RedisClusterUserIndexWait
{
    private static readonly ConditionalWeakTable<IConnectionMultiplexer, RedisClusterUserIndexWait> Shared = new();

    private readonly Lazy<Task<IConnectionMultiplexer>> _connection;
    private readonly ConcurrentDictionary<EndPoint, SemaphoreSlim> _gates = new();
    private int _queued;

    private RedisClusterUserIndexWait(IConnectionMultiplexer shared) =>
        _connection = new(() => Connect(shared), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The user-index step for the instance's <paramref name="shared"/> multiplexer (one per multiplexer).</summary>
    public static RedisClusterUserIndexWait For(IConnectionMultiplexer shared) => Shared.GetValue(shared, s => new RedisClusterUserIndexWait(s));

    /// <summary>Closes the dedicated connection of <paramref name="shared"/>, if one was made (the store's disposal; tests, before they stop a cluster). The next sign-in makes a new one.</summary>
    public static async Task CloseAsync(IConnectionMultiplexer shared)
    {
        if (Shared.TryGetValue(shared, out RedisClusterUserIndexWait? wait) && Shared.Remove(shared) && wait._connection.IsValueCreated)
        {
            try
            {
                await (await wait._connection.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // It never connected: nothing to close.
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="script"/> (which writes <paramref name="key"/>) on the primary of the key's
    /// slot, then <c>WAIT replicas timeout</c> on the same connection: the number of replicas that
    /// acknowledged, or -1 when the pair could not start within <paramref name="timeout"/> (nothing
    /// was written). <paramref name="sent"/> turns true just before the write is sent (a cleanup
    /// need not remove what was never sent). A slot that moved between choosing the node and the
    /// write, no reachable node for the slot, or any Redis error of the pair is
    /// <see cref="StoreUnavailableException"/>; a cancelled caller's write is not sent.
    /// </summary>
    public async Task<long> WriteAndWaitAsync(string script, RedisKey key, RedisValue[] arguments, int replicas, TimeSpan timeout, StrongBox<bool> sent, CancellationToken cancellationToken, EndPoint? node = null)
    {
        IConnectionMultiplexer connection = await _connection.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        IServer server = Server(connection, key, node);
        SemaphoreSlim gate = _gates.GetOrAdd(server.EndPoint, _ => new SemaphoreSlim(1, 1));
        bool turn;
        Interlocked.Increment(ref _queued);
        try
        {
            turn = await gate.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _queued);
        }

        if (!turn)
        {
            return -1;
        }

        try
        {
            // A caller that gave up while queued has had its cleanup run already: write nothing after it.
            cancellationToken.ThrowIfCancellationRequested();
            sent.Value = true;
            await ExecuteAsync(server, "EVAL", [script, 1, key, .. arguments.Select(a => (object)a)]).ConfigureAwait(false);
            // Rounded up: WAIT with timeout 0 blocks forever (Redis documentation, WAIT).
            RedisResult acknowledged = await ExecuteAsync(server, "WAIT", [replicas, Math.Max(1L, (long)Math.Ceiling(timeout.TotalMilliseconds))]).ConfigureAwait(false);
            return (long)acknowledged;
        }
        finally
        {
            // Released when Redis answered, not when a cancelled caller stopped awaiting: the WAIT
            // still blocks the connection until then.
            gate.Release();
        }
    }

    // The node the slot map names now (a test names another: the node of a slot that moved).
    private static IServer Server(IConnectionMultiplexer connection, RedisKey key, EndPoint? node)
    {
        try
        {
            return node is null ? connection.GetServer(key) : connection.GetServer(node);
        }
        catch (InvalidOperationException ex)
        {
            // StackExchange.Redis: "not possible to resolve a connection to the server owning the specified key".
            throw new StoreUnavailableException("No node of the Redis Cluster that owns the user's session index is reachable; the sign-in was not recorded.", ex);
        }
    }

    /// <summary>Removes <paramref name="member"/> from the sorted set <paramref name="key"/> over the dedicated connection, so it runs after a write of it still in flight there.</summary>
    public async Task<bool> RemoveAsync(RedisKey key, RedisValue member)
    {
        IConnectionMultiplexer connection = await _connection.Value.ConfigureAwait(false);
        return await connection.GetDatabase().SortedSetRemoveAsync(key, member).ConfigureAwait(false);
    }

    private static async Task<RedisResult> ExecuteAsync(IServer server, string command, object[] arguments)
    {
        try
        {
            return await server.ExecuteAsync(command, arguments, CommandFlags.NoRedirect).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (Redirected(ex.Message))
        {
            throw new StoreUnavailableException("The Redis Cluster slot of the user's session index moved during the sign-in; it was not recorded.", ex);
        }
        catch (RedisServerException ex)
        {
            // Any other refusal of the pair (a replica that will not WAIT, UNBLOCKED, a script error): the sign-in's cleanup runs.
            throw new StoreUnavailableException("The Redis Cluster node of the user's session index refused the sign-in's index write or its WAIT; it was not recorded.", ex);
        }
    }

    // The node answered MOVED or ASK, which StackExchange.Redis reports as "Key has MOVED to Endpoint …
    // but CommandFlags.NoRedirect was specified" (or passes on as Redis's own "MOVED …"/"ASK …").
    private static bool Redirected(string message) =>
        message.Contains("NoRedirect", StringComparison.Ordinal) || message.StartsWith("MOVED ", StringComparison.Ordinal) || message.StartsWith("ASK ", StringComparison.Ordinal);

    private static async Task<IConnectionMultiplexer> Connect(IConnectionMultiplexer shared)
    {
        // The shared multiplexer's own settings (endpoints, password, TLS flag, timeouts), under
        // another client name so CLIENT LIST tells the two apart. Its answer timeout must outlast
        // the longest WAIT, or a WAIT that is still allowed to wait would be reported as a timeout.
        ConfigurationOptions options = TesseraRedisConnection.Options(shared.Configuration);
        options.ClientName = (options.ClientName ?? "tessera") + "-wait";
        options.AsyncTimeout = Math.Max(options.AsyncTimeout, (int)MaxWait.TotalMilliseconds + TesseraRedisConnection.DefaultTimeoutMilliseconds);
        return await ConnectionMultiplexer.ConnectAsync(options).ConfigureAwait(false);
    }

    /// <summary>How many pairs wait for their turn now (tests watch a sign-in queue).</summary>
    internal int Queued => Volatile.Read(ref _queued);

    /// <summary>The longest WAIT timeout the options allow (<see cref="RedisSessionStoreOptions.ClusterUserIndexReplicaTimeout"/>).</summary>
    public static TimeSpan MaxWait => RedisSessionStoreOptions.MaxReplicaTimeout;
}
