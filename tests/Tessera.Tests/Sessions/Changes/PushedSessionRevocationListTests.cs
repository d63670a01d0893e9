using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Time.Testing;
using Tessera.Sessions;
using Tessera.Sessions.Changes;

namespace Tessera.Tests.Sessions.Changes;

public sealed class PushedSessionRevocationListTests
{
    private static readonly TimeSpan Staleness = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(16);
    private static readonly CancellationToken None = CancellationToken.None;

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
    private readonly SharedList _store = new();
    private readonly TestFeed _feed = new(Staleness);

    private PushedSessionRevocationList List(int maxEntries = 1000) =>
        new(_feed, _store, _store, new PushedRevocationListOptions { Lifetime = Lifetime, MaxEntries = maxEntries }, _time);

    [Fact]
    public async Task UntilTheFirstReloadHasFinishedEveryCheckAsksTheStore()
    {
        using PushedSessionRevocationList list = List();
        _store.Revoke("s1");

        Assert.True(await list.IsRevokedAsync("s1", None));
        Assert.False(list.AnswersLocally);
        Assert.Equal(1, _store.Checks);
    }

    [Fact]
    public async Task TheReloadBringsEveryListedIdAndThenChecksNeedNoRoundTrip()
    {
        _store.Revoke("before-1");
        _store.Revoke("before-2");
        using PushedSessionRevocationList list = List();

        _feed.Connect();
        await UntilLocalAsync(list);

        Assert.True(await list.IsRevokedAsync("before-1", None));
        Assert.True(await list.IsRevokedAsync("before-2", None));
        Assert.False(await list.IsRevokedAsync("never", None));
        Assert.Equal(0, _store.Checks);
    }

    [Fact]
    public async Task ARevocationHeardOnTheFeedIsRefusedWithoutAskingTheStore()
    {
        using PushedSessionRevocationList list = List();
        _feed.Connect();
        await UntilLocalAsync(list);
        Assert.False(await list.IsRevokedAsync("s1", None));

        _store.Revoke("s1");
        _feed.Push(new SessionChange(SessionChangeKind.Revoked, "s1", "user-1"));

        Assert.True(await list.IsRevokedAsync("s1", None));
        Assert.Equal(0, _store.Checks);
    }

    [Fact]
    public async Task AnIdTheStoreListsLongerThanTheLocalLifetimeStaysRevokedThatLong()
    {
        // The issuer's access tokens live an hour (its list keeps ids 61 min); this instance's own
        // setting says 16. Forgetting the id at 16 min would accept the issuer's tokens for 45 more.
        _store.Revoke("long", TimeSpan.FromMinutes(61));
        using PushedSessionRevocationList list = List();
        _feed.Connect();
        await UntilLocalAsync(list);

        _time.Advance(TimeSpan.FromMinutes(20));

        Assert.True(await list.IsRevokedAsync("long", None));
        Assert.Equal(0, _store.Checks);
    }

    [Fact]
    public async Task ARevocationHeardWithTheStoresListingTimeIsKeptThatLong()
    {
        using PushedSessionRevocationList list = List();
        _feed.Connect();
        await UntilLocalAsync(list);

        _feed.Push(new SessionChange(SessionChangeKind.Revoked, "s1", "user-1", TimeSpan.FromMinutes(61)));
        _time.Advance(TimeSpan.FromMinutes(60));

        Assert.True(await list.IsRevokedAsync("s1", None));
        _time.Advance(TimeSpan.FromMinutes(2));
        Assert.False(await list.IsRevokedAsync("s1", None));
    }

    [Fact]
    public async Task AResetDuringAReloadKeepsTheListOnTheStoreUntilItsOwnReloadFinishes()
    {
        var gate = new GatedSource();
        using var list = new PushedSessionRevocationList(_feed, _store, gate, new PushedRevocationListOptions { Lifetime = Lifetime }, _time);
        _feed.Connect();                         // reload 1 starts and blocks in the source
        await gate.Entered.WaitAsync(TimeSpan.FromSeconds(10));
        _feed.Disconnect();
        _store.Revoke("while-away");
        gate.Block = true;                       // reload 2 will block for good
        _feed.Connect();                         // reset 2: reload 1 is now out of date
        gate.ReleaseFirst();                     // reload 1 finishes after reset 2

        await Task.Delay(200);
        Assert.False(list.AnswersLocally);
        Assert.True(await list.IsRevokedAsync("while-away", None)); // asked the store
    }

    [Fact]
    public async Task AfterAReconnectTheReloadSeesRevocationsMadeWhileDisconnected()
    {
        using PushedSessionRevocationList list = List();
        _feed.Connect();
        await UntilLocalAsync(list);

        _feed.Disconnect();
        _store.Revoke("while-away"); // announced on a channel nobody heard
        _feed.Connect();
        await UntilLocalAsync(list);

        Assert.True(await list.IsRevokedAsync("while-away", None));
    }

    [Fact]
    public async Task OnceTheFeedIsLostLongerThanItsStalenessChecksAskTheStore()
    {
        using PushedSessionRevocationList list = List();
        _feed.Connect();
        await UntilLocalAsync(list);

        _feed.Disconnect();
        _store.Revoke("while-away");
        _time.Advance(Staleness);
        Assert.False(await list.IsRevokedAsync("while-away", None)); // within the documented bound
        _time.Advance(TimeSpan.FromMilliseconds(1));

        Assert.True(await list.IsRevokedAsync("while-away", None));
        Assert.Equal(1, _store.Checks);
    }

    [Fact]
    public async Task AnIdLeavesWhenTheListsLifetimeEnds()
    {
        using PushedSessionRevocationList list = List();
        _feed.Connect();
        await UntilLocalAsync(list);
        _feed.Push(new SessionChange(SessionChangeKind.Revoked, "s1"));

        _time.Advance(Lifetime - TimeSpan.FromSeconds(1));
        Assert.True(await list.IsRevokedAsync("s1", None));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(await list.IsRevokedAsync("s1", None));
    }

    [Fact]
    public async Task AFullListStopsAnsweringLocallyRatherThanForgetARevocation()
    {
        using PushedSessionRevocationList list = List(maxEntries: 3);
        _feed.Connect();
        await UntilLocalAsync(list);

        for (int i = 0; i < 4; i++)
        {
            _store.Revoke($"s{i}");
            _feed.Push(new SessionChange(SessionChangeKind.Revoked, $"s{i}"));
        }

        Assert.False(list.AnswersLocally);
        Assert.True(await list.IsRevokedAsync("s3", None));
        Assert.Equal(1, _store.Checks);
        Assert.InRange(list.Count, 0, 3);
    }

    private static async Task UntilLocalAsync(PushedSessionRevocationList list)
    {
        // The reload runs in the background; not a timing bound, only a hang guard.
        for (int i = 0; i < 500 && !list.AnswersLocally; i++)
        {
            await Task.Delay(10);
        }

        Assert.True(list.AnswersLocally);
    }

    /// <summary>The store's side: its list, answering checks (counted) and listing every id.</summary>
    /// <summary>A source whose first read waits for the test; later reads wait for ever while <see cref="Block"/>.</summary>
    private sealed class GatedSource : ISessionRevocationSource
    {
        private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _reads;

        public volatile bool Block;

        public Task Entered => _entered.Task;

        public void ReleaseFirst() => _first.TrySetResult();

        public async IAsyncEnumerable<ListedRevocation> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _reads) == 1)
            {
                _entered.TrySetResult();
                await _first.Task.WaitAsync(cancellationToken);
            }
            else if (Block)
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }

            yield break;
        }
    }

    private sealed class SharedList : ISessionRevocationList, ISessionRevocationSource
    {
        private readonly ConcurrentDictionary<string, TimeSpan?> _ids = new(StringComparer.Ordinal);
        private int _checks;

        public int Checks => Volatile.Read(ref _checks);

        public void Revoke(string sessionId, TimeSpan? listedFor = null) => _ids[sessionId] = listedFor;

        public ValueTask<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _checks);
            return ValueTask.FromResult(_ids.ContainsKey(sessionId));
        }

        public async IAsyncEnumerable<ListedRevocation> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (KeyValuePair<string, TimeSpan?> id in _ids)
            {
                await Task.Yield();
                yield return new ListedRevocation(id.Key, id.Value);
            }
        }
    }
}
