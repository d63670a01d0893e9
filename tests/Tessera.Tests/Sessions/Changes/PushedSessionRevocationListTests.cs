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
    private sealed class SharedList : ISessionRevocationList, ISessionRevocationSource
    {
        private readonly ConcurrentDictionary<string, bool> _ids = new(StringComparer.Ordinal);
        private int _checks;

        public int Checks => Volatile.Read(ref _checks);

        public void Revoke(string sessionId) => _ids[sessionId] = true;

        public ValueTask<bool> IsRevokedAsync(string sessionId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _checks);
            return ValueTask.FromResult(_ids.ContainsKey(sessionId));
        }

        public async IAsyncEnumerable<ListedRevocation> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (string id in _ids.Keys)
            {
                await Task.Yield();
                yield return new ListedRevocation(id, null);
            }
        }
    }
}
