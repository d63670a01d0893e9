using System.Net;
using System.Runtime.CompilerServices;
using StackExchange.Redis;
using Tessera.Sessions;
using Tessera.Stores;
using Tessera.Testing.Servers;

namespace Tessera.Redis.Tests.Cluster;

/// <summary>
/// Issue #13, the user-index step of a cluster sign-in: the index write and its WAIT run on a
/// connection of their own (so no other call waits behind a WAIT), and a sign-in that fails at any
/// point of it leaves nothing behind. Two replicas are asked of a cluster whose primaries have one
/// each, so every WAIT here waits its whole timeout. Each test watches the WAIT block on the primary
/// (CLIENT LIST) instead of timing anything.
/// </summary>
[Collection(RedisClusterCollection.Name)]
public sealed class RedisClusterUserIndexWaitTests(RedisClusterFixture cluster) : IAsyncLifetime
{
    private const string User = "user-1";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    private static CancellationToken None => CancellationToken.None;

    private readonly string _prefix = RedisFixture.UniquePrefix();

    // CLIENT LIST needs admin mode; a connection of the test's own, which no store uses.
    private IConnectionMultiplexer? _admin;

    public async Task InitializeAsync() =>
        _admin = await ConnectionMultiplexer.ConnectAsync(TesseraRedisConnection.Options(cluster.Cluster.Configuration + ",allowAdmin=true"));

    public async Task DisposeAsync()
    {
        if (_admin is not null)
        {
            await _admin.DisposeAsync();
        }
    }

    private RedisKeys Keys => new(_prefix, cluster: true);

    [Fact]
    public async Task AnOrdinaryReadOnTheSharedConnectionIsNotHeldBehindAWaitThatTimesOut()
    {
        RedisSessionStore store = NewStore(replicas: 2, TimeSpan.FromSeconds(1));
        IServer primary = UsersPrimary();
        Task signIn = await SignInBlockedInWaitAsync(store, primary);

        // The user's own index: the same primary, over the store's shared connection.
        IReadOnlyList<SessionRecord> listed = await store.ListActiveForUserAsync(User, DateTimeOffset.UtcNow, None);

        Assert.True(await AWaitBlocksAsync(primary), "The read was answered only after the WAIT ended: it was queued behind it.");
        Assert.Empty(listed);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => signIn);
    }

    [Fact]
    public async Task ASignInRefusedForWantOfReplicasLeavesNoKeyBehindAndItsSecretFree()
    {
        SessionRecord session = NewSession() with { PreviousSecretHash = SessionSecret.Generate().Hash };

        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await NewStore(replicas: 2, TimeSpan.FromMilliseconds(100)).CreateAsync(session, None));

        Assert.Empty(await RedisClusterFixture.KeysAsync(cluster.Connection, _prefix));
        await NewStore(replicas: 1, TimeSpan.FromSeconds(1)).CreateAsync(session, None);
        Assert.Equal(session.Handle, (await NewStore(replicas: 1, TimeSpan.FromSeconds(1)).FindBySecretHashAsync(session.SecretHash, None))?.Handle);
    }

    [Fact]
    public async Task ASignInWhoseWaitThrowsLeavesNothingHalfMade()
    {
        RedisSessionStore store = NewStore(replicas: 2, TimeSpan.FromSeconds(1));
        SessionRecord session = NewSession() with { PreviousSecretHash = SessionSecret.Generate().Hash };
        using var gone = new CancellationTokenSource();
        Task signIn = store.CreateAsync(session, gone.Token).AsTask();
        await UntilAWaitBlocksAsync(UsersPrimary(), signIn);

        // The caller goes away while the WAIT blocks: the await throws, whatever Redis does next.
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => signIn);

        Assert.Empty(await RedisClusterFixture.KeysAsync(cluster.Connection, _prefix));
        await NewStore(replicas: 1, TimeSpan.FromSeconds(1)).CreateAsync(session, None);
    }

    [Fact]
    public async Task ASignInThatLostItsHandleToAnotherSessionLeavesThatSessionAndItsUserEntryAlone()
    {
        RedisSessionStore store = NewStore(replicas: 1, TimeSpan.FromSeconds(1));
        SessionRecord first = NewSession();
        await store.CreateAsync(first, None);

        SessionRecord second = NewSession() with { Handle = first.Handle };
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await store.CreateAsync(second, None));

        Assert.Equal(first.Handle, (await store.FindBySecretHashAsync(first.SecretHash, None))?.Handle);
        Assert.Null(await store.FindBySecretHashAsync(second.SecretHash, None));
        Assert.Equal([first.Handle], (await store.ListActiveForUserAsync(User, DateTimeOffset.UtcNow, None)).Select(s => s.Handle));
    }

    [Fact]
    public async Task AUserIndexWriteSentToANodeThatDoesNotOwnItsSlotIsRefusedNotRedirectedAwayFromItsWait()
    {
        // What a sign-in meets when the slot moved after its node was chosen: that node answers MOVED.
        RedisKey user = Keys.User(User);
        EndPoint owner = _admin!.GetServer(user).EndPoint;
        EndPoint other = _admin.GetEndPoints().Select(e => _admin.GetServer(e)).First(s => !s.IsReplica && !s.EndPoint.Equals(owner)).EndPoint;
        long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        await Assert.ThrowsAsync<StoreUnavailableException>(() => RedisClusterUserIndexWait.For(cluster.Connection).WriteAndWaitAsync(
            RedisClusterSessionScripts.AddToUser, user, [now, "h1", now + 60_000], 1, TimeSpan.FromSeconds(1), new StrongBox<bool>(), None, other));

        // Followed to the owner, the entry would exist while the WAIT went to a node that never had it.
        Assert.Empty(await RedisClusterFixture.KeysAsync(cluster.Connection, _prefix));
    }

    [Fact]
    public async Task AWaitConnectionThatReachesNoNodeIsStoreUnavailableNotAnInvalidOperation()
    {
        // A shared connection (and so its WAIT connection) whose only endpoint answers nothing.
        await using IConnectionMultiplexer nowhere = await TesseraRedisConnection.ConnectAsync("127.0.0.1:" + LoopbackPort.Free().ToString(System.Globalization.CultureInfo.InvariantCulture));
        try
        {
            long now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await Assert.ThrowsAsync<StoreUnavailableException>(() => RedisClusterUserIndexWait.For(nowhere).WriteAndWaitAsync(
                RedisClusterSessionScripts.AddToUser, Keys.User(User), [now, "h1", now + 60_000], 1, TimeSpan.FromSeconds(1), new StrongBox<bool>(), None));
        }
        finally
        {
            await RedisClusterUserIndexWait.CloseAsync(nowhere);
        }
    }

    [Fact]
    public async Task ARedisErrorAnsweredToTheWritesPairIsStoreUnavailable()
    {
        // What a node answers when it refuses the pair (e.g. UNBLOCKED, or WAIT on a replica).
        await Assert.ThrowsAsync<StoreUnavailableException>(() => RedisClusterUserIndexWait.For(cluster.Connection).WriteAndWaitAsync(
            "return redis.error_reply('UNBLOCKED refused by the test')", Keys.User(User), [], 1, TimeSpan.FromSeconds(1), new StrongBox<bool>(), None));
    }

    [Fact]
    public async Task ASignInAbandonedWhileQueuedBehindAWaitWritesNothingAfterItsCleanup()
    {
        // The WAIT ahead is shorter than the abandoned sign-in's own queue timeout, so it would get its turn.
        Task first = await SignInBlockedInWaitAsync(NewStore(replicas: 2, TimeSpan.FromMilliseconds(300)), UsersPrimary());
        SessionRecord abandoned = NewSession();
        using var gone = new CancellationTokenSource();
        Task queued = NewStore(replicas: 2, TimeSpan.FromSeconds(1)).CreateAsync(abandoned, gone.Token).AsTask();
        RedisClusterUserIndexWait wait = RedisClusterUserIndexWait.For(cluster.Connection);
        await UntilAsync(() => wait.Queued > 0, queued, "The sign-in ended before it queued behind the WAIT.");

        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => queued);
        await Assert.ThrowsAsync<StoreUnavailableException>(() => first);
        await UntilAsync(() => wait.Queued == 0, Task.Delay(Deadline), "A pair still waits for its turn.");

        // Over the WAIT connection: it runs after anything the abandoned sign-in still sent there.
        Assert.False(await wait.RemoveAsync(Keys.User(User), abandoned.Handle), "The abandoned sign-in wrote its user-index entry after its cleanup ran.");
    }

    private static async Task UntilAsync(Func<bool> condition, Task mustNotEnd, string message)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!condition())
        {
            Assert.False(mustNotEnd.IsCompleted, message);
            await Task.Delay(5, deadline.Token);
        }
    }

    [Fact]
    public async Task ASignInThatTimedOutInTheQueueDoesNotWaitForTheWaitAheadOfItToClean()
    {
        // Two sign-ins queued behind a WAIT: one gets its turn as that WAIT ends, the other's turn
        // times out while the WAIT of the one blocks. It wrote nothing, so its cleanup sends nothing
        // over the WAIT connection, where it would wait for that WAIT to end.
        // The WAIT ahead is half the queued sign-ins' timeout, so one of them surely gets its turn as it ends
        // (with equal timeouts, on a loaded machine both could time out in the queue) and the other's turn
        // times out half-way through that one's WAIT.
        RedisSessionStore store = NewStore(replicas: 2, TimeSpan.FromSeconds(1));
        IServer primary = UsersPrimary();
        Task first = await SignInBlockedInWaitAsync(NewStore(replicas: 2, TimeSpan.FromMilliseconds(500)), primary);
        Task[] queued = [store.CreateAsync(NewSession(), None).AsTask(), store.CreateAsync(NewSession(), None).AsTask()];

        Task timedOut = await Task.WhenAny(queued);

        // The other sign-in's WAIT blocks (or, on a loaded machine, starts blocking a moment later): the refused
        // one returned before that WAIT ended. Had its cleanup queued behind it, that WAIT would be over by now
        // and the other sign-in would end without one being seen.
        await UntilAWaitBlocksAsync(primary, queued.Single(t => t != timedOut));
        await Assert.ThrowsAsync<StoreUnavailableException>(() => timedOut);
        foreach (Task signIn in queued.Append(first))
        {
            await Assert.ThrowsAsync<StoreUnavailableException>(() => signIn);
        }

        Assert.Empty(await RedisClusterFixture.KeysAsync(cluster.Connection, _prefix));
    }

    private RedisSessionStore NewStore(int replicas, TimeSpan timeout) =>
        new(cluster.Connection, new RedisSessionStoreOptions { KeyPrefix = _prefix, Cluster = true, ClusterUserIndexReplicas = replicas, ClusterUserIndexReplicaTimeout = timeout }, TimeProvider.System);

    // The primary of the user's index.
    private IServer UsersPrimary() => _admin!.GetServer((RedisKey)Keys.User(User));

    private static SessionRecord NewSession() => ClusterTestSessions.Cookie("h" + Guid.NewGuid().ToString("N"), User);

    // A sign-in of the user, once its WAIT is seen blocking on the user's primary.
    private static async Task<Task> SignInBlockedInWaitAsync(RedisSessionStore store, IServer primary)
    {
        Task signIn = store.CreateAsync(NewSession(), None).AsTask();
        await UntilAWaitBlocksAsync(primary, signIn);
        return signIn;
    }

    private static async Task UntilAWaitBlocksAsync(IServer primary, Task signIn)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await AWaitBlocksAsync(primary))
        {
            Assert.False(signIn.IsCompleted, "The sign-in ended before its WAIT was seen blocking.");
            await Task.Delay(5, deadline.Token);
        }
    }

    // A client of the primary blocked in WAIT (CLIENT LIST: cmd=wait, flag b).
    private static async Task<bool> AWaitBlocksAsync(IServer primary)
    {
        string clients = (string)(await primary.ExecuteAsync("CLIENT", "LIST"))!;
        return clients.Split('\n').Any(c => c.Contains(" cmd=wait ", StringComparison.Ordinal) && c.Split(' ').Any(f => f.StartsWith("flags=", StringComparison.Ordinal) && f.Contains('b', StringComparison.Ordinal)));
    }
}
