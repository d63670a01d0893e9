using Microsoft.Extensions.Time.Testing;
using Tessera.Sessions;
using Tessera.Sessions.Changes;

namespace Tessera.Stores.Conformance.Changes;

/// <summary>
/// What every <see cref="ISessionChangeFeed"/> must do, run against a real backend shared by two
/// server instances (<see cref="OpenInstanceAsync"/>: a store and a feed each, with their own
/// connections). A change made through one instance's store reaches a listener of the other's feed;
/// a new subscriber is reset once connected; a lost connection is reported and a reconnect resets;
/// a disposed subscription hears nothing more; no payload carries a secret or its hash.
/// <para>
/// Waits are bounded (<see cref="DeliveryBound"/>) only so a broken feed fails instead of hanging:
/// no timing is asserted. To show something was <em>not</em> announced, a test publishes a marker
/// after it and waits for the marker: a feed delivers in the order the backend committed (one
/// PostgreSQL notification queue, one Redis server), so what was announced before has arrived by then.
/// </para>
/// </summary>
public abstract class SessionChangeFeedConformanceTests : IAsyncLifetime
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");

    private readonly List<SessionChangeFeedInstance> _instances = [];
    private readonly List<IDisposable> _subscriptions = [];

    /// <summary>The clock of the sessions the tests make (the feed itself runs on real time: it talks to a real backend).</summary>
    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>The session lifetimes the tests use.</summary>
    protected TesseraSessionOptions Options { get; } = new()
    {
        IdleTimeout = TimeSpan.FromMinutes(30),
        AbsoluteTimeout = TimeSpan.FromHours(12),
        TouchInterval = TimeSpan.FromMinutes(1),
    };

    /// <summary>How long a test waits for a delivery before it fails as "never delivered". Generous: the machine may be loaded.</summary>
    protected virtual TimeSpan DeliveryBound => TimeSpan.FromSeconds(30);

    /// <summary>Makes a fresh, empty backend (a database, a Redis database) for this test.</summary>
    protected abstract ValueTask CreateBackendAsync();

    /// <summary>
    /// Another server instance on the backend <see cref="CreateBackendAsync"/> made: a session store
    /// whose changes are announced, and a feed, each with connections of their own (never shared
    /// with an earlier instance). The suite disposes it at the end of the test.
    /// </summary>
    protected abstract ValueTask<SessionChangeFeedInstance> OpenInstanceAsync();

    /// <summary>
    /// Breaks <paramref name="instance"/>'s feed connection from the server's side, as a network
    /// failure or a server restart would (PostgreSQL: <c>pg_terminate_backend</c> on the listener's
    /// pid; Redis: <c>CLIENT KILL</c> on the subscriber). The feed must notice and reconnect by itself.
    /// </summary>
    protected abstract ValueTask BreakConnectionAsync(SessionChangeFeedInstance instance);

    /// <summary>
    /// Listens to the backend's channel directly, below any feed, handing every raw payload to
    /// <paramref name="payload"/>; returns once listening. Lets the suite check what crosses the wire.
    /// </summary>
    protected abstract ValueTask<IAsyncDisposable> ListenToRawPayloadsAsync(Action<string> payload);

    /// <summary>Drops what <see cref="CreateBackendAsync"/> made (after every instance is closed).</summary>
    protected virtual ValueTask DisposeBackendAsync() => ValueTask.CompletedTask;

    /// <inheritdoc />
    public async Task InitializeAsync() => await CreateBackendAsync();

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (IDisposable subscription in _subscriptions)
        {
            subscription.Dispose();
        }

        foreach (SessionChangeFeedInstance instance in _instances)
        {
            await instance.DisposeAsync();
        }

        await DisposeBackendAsync();
    }

    private static CancellationToken None => CancellationToken.None;

    [Fact]
    public async Task ASubscriberIsResetOnceTheFeedIsConnected()
    {
        SessionChangeFeedInstance b = await OpenAsync();

        RecordingListener heard = Listen(b);

        await heard.WaitForResetsAsync(1);
        Assert.Equal("reset", heard.Events[0]);
        Assert.True(b.Feed.IsConnected);
        Assert.True(b.Feed.Staleness > TimeSpan.Zero);
    }

    [Fact]
    public async Task RevokingAllOfAUsersSessionsAnnouncesEachOneAndNotTheSparedOne()
    {
        SessionChangeFeedInstance a = await OpenAsync();
        SessionChangeFeedInstance b = await OpenAsync();
        RecordingListener heard = await ListenConnectedAsync(b);
        IssuedSession spared = await Sessions(a).CreateAsync("user-1", Laptop, None);
        IssuedSession first = await Sessions(a).CreateAsync("user-1", Laptop, None);
        IssuedSession second = await Sessions(a).CreateAsync("user-1", Laptop, None);
        IssuedSession someoneElse = await Sessions(a).CreateAsync("user-2", Laptop, None);

        Assert.Equal(2, await Sessions(a).RevokeAllAsync("user-1", spared.Session.Handle, RevocationReasons.OtherDevicesSignedOut, None));

        foreach (IssuedSession revoked in new[] { first, second })
        {
            SessionChange change = await heard.WaitForChangeAsync(c => c.Handle == revoked.Session.Handle && c.Kind == SessionChangeKind.Revoked, "each revoked session");
            Assert.Equal("user-1", change.UserId);
        }

        await PassMarkerAsync(a, heard);
        Assert.DoesNotContain(heard.Changes, c => c.Kind == SessionChangeKind.Revoked && (c.Handle == spared.Session.Handle || c.Handle == someoneElse.Session.Handle));
    }

    [Fact]
    public async Task ARotationThatLostTheRaceIsNotAnnounced()
    {
        SessionChangeFeedInstance a = await OpenAsync();
        SessionChangeFeedInstance b = await OpenAsync();
        RecordingListener heard = await ListenConnectedAsync(b);
        IssuedSession issued = await Sessions(a).CreateAsync("user-1", Laptop, None);
        var rotation = (ISessionSecretRotation)a.Store;

        // The expected hash is not the stored one: the compare-and-swap matches nothing, nothing changed.
        Assert.False(await rotation.TryRotateSecretAsync(issued.Session.Handle, SessionSecret.Generate().Hash, SessionSecret.Generate().Hash, Clock.Now(Time), issued.Session.IdleExpiresAt, None));

        await PassMarkerAsync(a, heard);
        Assert.DoesNotContain(heard.Changes, c => c.Handle == issued.Session.Handle);
    }

    /// <summary>What each single-session write is announced as, as the cases of <see cref="EachWriteOnOneInstanceReachesAListenerOfAnother"/> name them.</summary>
    public static TheoryData<string, SessionChangeKind> Writes => new()
    {
        { "revoke", SessionChangeKind.Revoked },
        { "rotate", SessionChangeKind.Changed },
        { "flag", SessionChangeKind.Changed },
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task EachWriteOnOneInstanceReachesAListenerOfAnother(string write, SessionChangeKind kind)
    {
        SessionChangeFeedInstance a = await OpenAsync();
        SessionChangeFeedInstance b = await OpenAsync();
        RecordingListener heard = await ListenConnectedAsync(b);
        IssuedSession issued = await Sessions(a).CreateAsync("user-1", Laptop, None);

        switch (write)
        {
            case "revoke":
                Assert.True(await Sessions(a).RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None));
                break;
            case "rotate":
                Assert.True((await Sessions(a).RotateSecretAsync(issued.Session, None)).Succeeded);
                break;
            default:
                await a.Store.FlagAsync(issued.Session.Handle, Clock.Now(Time), "binding_mismatch", None);
                break;
        }

        SessionChange change = await heard.WaitForChangeAsync(c => c.Handle == issued.Session.Handle, $"the {write}");
        Assert.Equal(kind, change.Kind);
        Assert.True(change.UserId is null or "user-1", $"The change names user {change.UserId}.");
    }

    [Fact]
    public async Task WritingAndRemovingAnAttributeAreAnnouncedAsChanges()
    {
        SessionChangeFeedInstance a = await OpenAsync();
        SessionChangeFeedInstance b = await OpenAsync();
        RecordingListener heard = await ListenConnectedAsync(b);
        IssuedSession issued = await Sessions(a).CreateAsync("user-1", Laptop, None);
        var attributes = new SessionAttributes(a.Store, Options);

        Assert.True((await attributes.SetAsync(issued.Session.Handle, "theme", "dark", None)).Succeeded);
        await heard.WaitForChangeAsync(c => c.Handle == issued.Session.Handle && c.Kind == SessionChangeKind.Changed, "the attribute written");
        int before = heard.Changes.Count(c => c.Handle == issued.Session.Handle);
        Assert.True(await attributes.RemoveAsync(issued.Session.Handle, "theme", None));

        await heard.WaitUntilAsync(() => heard.Changes.Count(c => c.Handle == issued.Session.Handle && c.Kind == SessionChangeKind.Changed) > before, "the attribute removed");
    }

    /// <summary>
    /// A purge deletes only sessions that had already ended, so its news only frees cached copies
    /// early: a feed announces each deleted session, or (a large purge) resets every listener once.
    /// Either way a session still alive is never named.
    /// </summary>
    [Fact]
    public async Task APurgeAnnouncesEachDeletedSessionOrOneReset()
    {
        SessionChangeFeedInstance a = await OpenAsync();
        SessionChangeFeedInstance b = await OpenAsync();
        RecordingListener heard = await ListenConnectedAsync(b);
        IssuedSession revoked = await Sessions(a).CreateAsync("user-1", Laptop, None);
        await Sessions(a).RevokeAsync(revoked.Session.Handle, RevocationReasons.SignedOut, None);
        Time.Advance(TimeSpan.FromMinutes(1));
        IssuedSession alive = await Sessions(a).CreateAsync("user-1", Laptop, None);

        Assert.Equal(1, await ((ISessionCleanup)a.Store).PurgeAsync(Clock.Now(Time), None));

        await heard.WaitUntilAsync(
            () => heard.Resets > 1 || heard.Changes.Any(c => c.Handle == revoked.Session.Handle && c.Kind == SessionChangeKind.Deleted),
            "the purged session (deleted) or a reset");
        await PassMarkerAsync(a, heard);
        Assert.DoesNotContain(heard.Changes, c => c.Handle == alive.Session.Handle);
        Assert.Equal(0, heard.Disconnects);
    }

    [Fact]
    public async Task APublishedChangeReachesEverySubscriberOfEveryInstance()
    {
        SessionChangeFeedInstance a = await OpenAsync();
        SessionChangeFeedInstance b = await OpenAsync();
        RecordingListener ownFirst = await ListenConnectedAsync(a);
        RecordingListener ownSecond = await ListenConnectedAsync(a);
        RecordingListener other = await ListenConnectedAsync(b);
        var change = new SessionChange(SessionChangeKind.Revoked, "published-" + Guid.NewGuid().ToString("N"), "user-é:1 x");

        await a.Feed.PublishAsync(change, None);

        foreach (RecordingListener heard in new[] { ownFirst, ownSecond, other })
        {
            Assert.Equal(change, await heard.WaitForChangeAsync(c => c.Handle == change.Handle, "the published change"));
        }
    }

    [Fact]
    public async Task EveryKindAndAChangeWithoutAUserRoundTrip()
    {
        SessionChangeFeedInstance a = await OpenAsync();
        SessionChangeFeedInstance b = await OpenAsync();
        RecordingListener heard = await ListenConnectedAsync(b);
        SessionChange[] sent =
        [
            new(SessionChangeKind.Revoked, "h-" + Guid.NewGuid().ToString("N"), "user-1"),
            new(SessionChangeKind.Changed, "h-" + Guid.NewGuid().ToString("N")),
            new(SessionChangeKind.Deleted, "h-" + Guid.NewGuid().ToString("N"), "user \"quoted\" \\ : 1"),
        ];

        foreach (SessionChange change in sent)
        {
            await a.Feed.PublishAsync(change, None);
        }

        foreach (SessionChange change in sent)
        {
            Assert.Equal(change, await heard.WaitForChangeAsync(c => c.Handle == change.Handle, "each published change"));
        }
    }

    [Fact]
    public async Task ADisposedSubscriptionHearsNothingMore()
    {
        SessionChangeFeedInstance a = await OpenAsync();
        SessionChangeFeedInstance b = await OpenAsync();
        var gone = new RecordingListener(DeliveryBound);
        IDisposable subscription = b.Feed.Subscribe(gone);
        await gone.WaitForResetsAsync(1);
        RecordingListener stays = await ListenConnectedAsync(b);

        subscription.Dispose();
        IssuedSession issued = await Sessions(a).CreateAsync("user-1", Laptop, None);
        await Sessions(a).RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None);
        await stays.WaitForChangeAsync(c => c.Handle == issued.Session.Handle, "the revocation, on the subscription kept");
        await PassMarkerAsync(a, stays);

        Assert.Empty(gone.Changes);
        subscription.Dispose();
    }

    [Fact]
    public async Task ABrokenConnectionIsReportedAndTheReconnectResetsAndDeliversAgain()
    {
        SessionChangeFeedInstance a = await OpenAsync();
        SessionChangeFeedInstance b = await OpenAsync();
        RecordingListener heard = await ListenConnectedAsync(b);

        await BreakConnectionAsync(b);

        await heard.WaitForDisconnectsAsync(1);
        await heard.WaitForResetsAsync(2);
        List<string> events = [.. heard.Events];
        Assert.True(events.IndexOf("disconnected") < events.LastIndexOf("reset"), $"Heard {string.Join(", ", events)}.");
        IssuedSession issued = await Sessions(a).CreateAsync("user-1", Laptop, None);
        await Sessions(a).RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None);
        Assert.Equal(SessionChangeKind.Revoked, (await heard.WaitForChangeAsync(c => c.Handle == issued.Session.Handle, "a revocation after the reconnect")).Kind);
        Assert.True(b.Feed.IsConnected);
    }

    [Fact]
    public async Task ASubscriberAddedWhileDisconnectedIsResetWhenTheFeedReconnects()
    {
        SessionChangeFeedInstance b = await OpenAsync();
        RecordingListener first = await ListenConnectedAsync(b);

        await BreakConnectionAsync(b);
        await first.WaitForDisconnectsAsync(1);
        RecordingListener late = Listen(b);

        await late.WaitForResetsAsync(1);
        await first.WaitForResetsAsync(2);
        Assert.Equal("reset", late.Events[0]);
    }

    [Fact]
    public async Task NoPayloadCarriesASecretOrItsHash()
    {
        SessionChangeFeedInstance a = await OpenAsync();
        SessionChangeFeedInstance b = await OpenAsync();
        var payloads = new List<string>();
        await using IAsyncDisposable tap = await ListenToRawPayloadsAsync(payload =>
        {
            lock (payloads)
            {
                payloads.Add(payload);
            }
        });
        RecordingListener heard = await ListenConnectedAsync(b);
        var secrets = new List<string>();
        var hashes = new List<byte[]>();
        void Keep(IssuedSession session)
        {
            secrets.Add(session.Secret);
            hashes.Add(session.Session.SecretHash.ToArray());
        }

        IssuedSession issued = await Sessions(a).CreateAsync("user-1", Laptop, None);
        Keep(issued);
        Outcome<IssuedSession> rotated = await Sessions(a).RotateSecretAsync(issued.Session, None);
        Assert.True(rotated.Succeeded);
        Keep(rotated.Value!);
        await a.Store.FlagAsync(issued.Session.Handle, Clock.Now(Time), "binding_mismatch", None);
        await new SessionAttributes(a.Store, Options).SetAsync(issued.Session.Handle, "theme", "dark", None);
        IssuedSession other = await Sessions(a).CreateAsync("user-1", Laptop, None);
        Keep(other);
        await Sessions(a).RevokeAsync(rotated.Value!.Session.Handle, RevocationReasons.SignedOut, None);
        await Sessions(a).RevokeAllAsync("user-1", null, RevocationReasons.SignedOutEverywhere, None);
        await heard.WaitForChangeAsync(c => c.Handle == other.Session.Handle && c.Kind == SessionChangeKind.Revoked, "the last revocation");
        string marker = await PassMarkerAsync(a, heard);
        await heard.WaitUntilAsync(() => Snapshot(payloads).Any(p => p.Contains(marker, StringComparison.Ordinal)), "the marker on the raw channel");

        string[] raw = Snapshot(payloads);
        Assert.True(raw.Length >= 5, $"The raw channel carried {raw.Length} payload(s).");
        string[] forbidden = [.. secrets, .. hashes.SelectMany(Spellings)];
        foreach (string payload in raw.Concat(heard.Changes.Select(c => $"{c.Handle} {c.UserId}")))
        {
            foreach (string secret in forbidden)
            {
                Assert.DoesNotContain(secret, payload, StringComparison.OrdinalIgnoreCase);
            }
        }
    }

    /// <summary>Opens an instance the suite closes at the end of the test.</summary>
    protected async Task<SessionChangeFeedInstance> OpenAsync()
    {
        SessionChangeFeedInstance instance = await OpenInstanceAsync();
        _instances.Add(instance);
        return instance;
    }

    /// <summary>The session core over <paramref name="instance"/>'s store, on the suite's clock.</summary>
    protected SessionService Sessions(SessionChangeFeedInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return new SessionService(instance.Store, Options, Time);
    }

    /// <summary>Subscribes a recorder to <paramref name="instance"/>'s feed (unsubscribed at the end of the test).</summary>
    protected RecordingListener Listen(SessionChangeFeedInstance instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        var heard = new RecordingListener(DeliveryBound);
        _subscriptions.Add(instance.Feed.Subscribe(heard));
        return heard;
    }

    /// <summary>Subscribes a recorder and waits for its first reset: from then on, nothing announced is missed.</summary>
    protected async Task<RecordingListener> ListenConnectedAsync(SessionChangeFeedInstance instance)
    {
        RecordingListener heard = Listen(instance);
        await heard.WaitForResetsAsync(1);
        return heard;
    }

    /// <summary>
    /// Publishes a marker through <paramref name="from"/> and waits until <paramref name="heard"/> has it:
    /// everything the backend announced before the marker has been delivered by then. Returns the marker's handle.
    /// </summary>
    protected static async Task<string> PassMarkerAsync(SessionChangeFeedInstance from, RecordingListener heard)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(heard);
        string marker = "marker-" + Guid.NewGuid().ToString("N");
        await from.Feed.PublishAsync(new SessionChange(SessionChangeKind.Changed, marker), None);
        await heard.WaitForChangeAsync(c => c.Handle == marker, "the marker");
        return marker;
    }

    private static string[] Snapshot(List<string> payloads)
    {
        lock (payloads)
        {
            return [.. payloads];
        }
    }

    // A hash could leak in any of the usual text forms.
    private static IEnumerable<string> Spellings(byte[] hash) =>
    [
        Convert.ToHexString(hash),
        Convert.ToBase64String(hash).TrimEnd('='),
        Convert.ToBase64String(hash).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
    ];
}
