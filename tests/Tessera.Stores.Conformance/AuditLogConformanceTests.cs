using Microsoft.Extensions.Time.Testing;
using Tessera.Audit;

namespace Tessera.Stores.Conformance;

/// <summary>
/// What every <see cref="IAuditLog"/> must do; a backend's test project subclasses it and says how
/// to make a fresh, empty log. Time is a <see cref="FakeTimeProvider"/> moved by hand.
/// </summary>
public abstract class AuditLogConformanceTests : IAsyncLifetime
{
    private IAuditLog? _log;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero));

    protected IAuditLog Log => _log ?? throw new InvalidOperationException("The log is created in InitializeAsync.");

    /// <summary>A new, empty audit log.</summary>
    protected abstract ValueTask<IAuditLog> CreateLogAsync();

    protected virtual ValueTask DisposeLogAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _log = await CreateLogAsync();

    public async Task DisposeAsync() => await DisposeLogAsync();

    private static CancellationToken None => CancellationToken.None;

    private AuditEvent Event(string type = AuditEventTypes.SignInSucceeded, string? user = "user-1", string? actor = "user-1") => new()
    {
        At = Time.GetUtcNow(),
        Type = type,
        UserId = user,
        ActorId = actor,
    };

    /// <summary>Appends one event and moves the clock a second on.</summary>
    private async Task<AuditEvent> AppendAsync(AuditEvent auditEvent)
    {
        AuditEvent stored = await Log.AppendAsync(auditEvent, None);
        Time.Advance(TimeSpan.FromSeconds(1));
        return stored;
    }

    private async Task<List<AuditEvent>> QueryAllAsync(AuditQuery query)
    {
        var all = new List<AuditEvent>();
        for (int pages = 0; ; pages++)
        {
            Assert.True(pages < 1000, "The pages never ended.");
            AuditPage page = await Log.QueryAsync(query, None);
            Assert.True(page.Events.Count <= Math.Clamp(query.Limit, 1, AuditQuery.MaxLimit));
            all.AddRange(page.Events);
            if (page.Next is null)
            {
                return all;
            }

            Assert.Equal(page.Events[^1].Sequence, page.Next);
            query = query with { Before = page.Next };
        }
    }

    [Fact]
    public async Task AppendAssignsGrowingSequencesAndKeepsEveryField()
    {
        var full = new AuditEvent
        {
            Sequence = 12345,
            At = Time.GetUtcNow(),
            Type = AuditEventTypes.SessionEnded,
            ActorId = AuditActors.System,
            UserId = "user-1",
            SessionId = "sid-1",
            ClientId = "client-1",
            Address = "2001:db8::1",
            Outcome = "ended_by_admin",
            Detail = "session.end",
        };

        AuditEvent first = await AppendAsync(full);
        AuditEvent second = await AppendAsync(Event());
        AuditEvent third = await AppendAsync(Event());

        Assert.True(first.Sequence > 0);
        Assert.True(second.Sequence > first.Sequence);
        Assert.True(third.Sequence > second.Sequence);
        Assert.Equal(full with { Sequence = first.Sequence }, first);

        AuditEvent read = (await QueryAllAsync(new AuditQuery())).Single(e => e.Sequence == first.Sequence);
        Assert.Equal(first, read);
    }

    [Fact]
    public async Task OptionalFieldsMayBeNull()
    {
        AuditEvent stored = await AppendAsync(new AuditEvent { At = Time.GetUtcNow(), Type = AuditEventTypes.SignInFailed });

        AuditEvent read = Assert.Single((await Log.QueryAsync(new AuditQuery(), None)).Events);
        Assert.Equal(stored, read);
        Assert.Null(read.ActorId);
        Assert.Null(read.Detail);
    }

    [Fact]
    public async Task AnEmptyLogReturnsAnEmptyPage()
    {
        AuditPage page = await Log.QueryAsync(new AuditQuery(), None);

        Assert.Empty(page.Events);
        Assert.Null(page.Next);
    }

    [Fact]
    public async Task PagesGoNewestFirstWithoutGapsOrRepeats()
    {
        var appended = new List<AuditEvent>();
        for (int i = 0; i < 23; i++)
        {
            appended.Add(await AppendAsync(Event() with { Detail = $"event {i}" }));
        }

        foreach (int limit in new[] { 1, 4, 7, 23, 100 })
        {
            List<AuditEvent> all = await QueryAllAsync(new AuditQuery { Limit = limit });
            Assert.Equal(appended.Select(e => e.Sequence).Reverse(), all.Select(e => e.Sequence));
        }
    }

    [Fact]
    public async Task EventsAppendedWhilePagingDoNotShowUpInOlderPages()
    {
        for (int i = 0; i < 5; i++)
        {
            await AppendAsync(Event());
        }

        AuditPage first = await Log.QueryAsync(new AuditQuery { Limit = 2 }, None);
        AuditEvent newer = await AppendAsync(Event());
        AuditPage second = await Log.QueryAsync(new AuditQuery { Limit = 10, Before = first.Next }, None);

        Assert.Equal(3, second.Events.Count);
        Assert.DoesNotContain(second.Events, e => e.Sequence == newer.Sequence);
        Assert.Null(second.Next);
    }

    [Fact]
    public async Task TheLimitIsClamped()
    {
        for (int i = 0; i < 3; i++)
        {
            await AppendAsync(Event());
        }

        AuditPage zero = await Log.QueryAsync(new AuditQuery { Limit = 0 }, None);
        AuditPage huge = await Log.QueryAsync(new AuditQuery { Limit = int.MaxValue }, None);

        Assert.Single(zero.Events);
        Assert.NotNull(zero.Next);
        Assert.Equal(3, huge.Events.Count);
        Assert.Null(huge.Next);
    }

    [Fact]
    public async Task QueriesFilterByUserActorTypeAndTime()
    {
        AuditEvent aliceSignIn = await AppendAsync(Event(AuditEventTypes.SignInSucceeded, user: "alice", actor: "alice"));
        AuditEvent bobFailed = await AppendAsync(Event(AuditEventTypes.SignInFailed, user: "bob", actor: null));
        DateTimeOffset midway = Time.GetUtcNow();
        AuditEvent adminDisablesBob = await AppendAsync(Event(AuditEventTypes.AdminAction, user: "bob", actor: "alice"));
        AuditEvent aliceFailed = await AppendAsync(Event(AuditEventTypes.SignInFailed, user: "alice", actor: null));
        AuditEvent systemEndsAlice = await AppendAsync(Event(AuditEventTypes.SessionEnded, user: "alice", actor: AuditActors.System));

        async Task<long[]> Matching(AuditQuery query) => [.. (await QueryAllAsync(query with { Limit = 2 })).Select(e => e.Sequence)];

        Assert.Equal([systemEndsAlice.Sequence, aliceFailed.Sequence, aliceSignIn.Sequence], await Matching(new AuditQuery { UserId = "alice" }));
        Assert.Equal([adminDisablesBob.Sequence, aliceSignIn.Sequence], await Matching(new AuditQuery { ActorId = "alice" }));
        Assert.Equal([aliceFailed.Sequence, bobFailed.Sequence], await Matching(new AuditQuery { Type = AuditEventTypes.SignInFailed }));
        Assert.Equal([systemEndsAlice.Sequence, aliceFailed.Sequence, adminDisablesBob.Sequence], await Matching(new AuditQuery { Since = midway }));
        Assert.Equal([aliceFailed.Sequence], await Matching(new AuditQuery { UserId = "alice", Type = AuditEventTypes.SignInFailed, Since = midway }));
        Assert.Equal([adminDisablesBob.Sequence], await Matching(new AuditQuery { UserId = "bob", ActorId = "alice" }));
        Assert.Equal([aliceSignIn.Sequence], await Matching(new AuditQuery { UserId = "alice", Before = aliceFailed.Sequence }));
        Assert.Empty(await Matching(new AuditQuery { UserId = "carol" }));
        Assert.Empty(await Matching(new AuditQuery { Since = Time.GetUtcNow() }));
    }

    [Fact]
    public async Task SinceIncludesTheInstantItself()
    {
        AuditEvent atTheInstant = await AppendAsync(Event());

        Assert.Equal(atTheInstant.Sequence, Assert.Single((await Log.QueryAsync(new AuditQuery { Since = atTheInstant.At }, None)).Events).Sequence);
    }

    [Fact]
    public async Task PurgeRemovesOnlyOlderEvents()
    {
        AuditEvent old1 = await AppendAsync(Event());
        AuditEvent old2 = await AppendAsync(Event());
        DateTimeOffset cutoff = Time.GetUtcNow();
        AuditEvent atCutoff = await AppendAsync(Event());
        AuditEvent newer = await AppendAsync(Event());

        Assert.Equal(2, await Log.PurgeAsync(cutoff, None));
        Assert.Equal(0, await Log.PurgeAsync(cutoff, None));

        List<AuditEvent> left = await QueryAllAsync(new AuditQuery());
        Assert.Equal([newer.Sequence, atCutoff.Sequence], left.Select(e => e.Sequence));
        Assert.DoesNotContain(left, e => e.Sequence == old1.Sequence || e.Sequence == old2.Sequence);
    }

    [Fact]
    public async Task SequencesKeepGrowingAfterAPurgeEmptiedTheLog()
    {
        AuditEvent before = await AppendAsync(Event());
        await Log.PurgeAsync(Time.GetUtcNow(), None);

        AuditEvent after = await AppendAsync(Event());

        Assert.True(after.Sequence > before.Sequence);
    }

    [Fact]
    public async Task OddUnicodeIsStoredAsGiven()
    {
        // Emoji (a surrogate pair), a ZWJ sequence, combining marks, right-to-left text, CJK, quotes and
        // backslashes, control characters other than NUL, and the longest allowed detail.
        string odd = "👩‍💻 e\u0301 \u202Eabc\u202C مرحبا 漢字 'quote\" \\ %_ \t\r\n\u0001 \uFFFF";
        var given = Event() with
        {
            Detail = odd + new string('x', AuditEventLimits.MaxDetailLength - odd.Length),
            Address = odd,
            Outcome = new string('é', AuditEventLimits.MaxFieldLength),
            ClientId = "\U0010FFFF",
        };

        AuditEvent stored = await AppendAsync(given);

        AuditEvent read = Assert.Single((await Log.QueryAsync(new AuditQuery(), None)).Events);
        Assert.Equal(stored, read);
        Assert.Equal(given.Detail, read.Detail);
        Assert.Equal(AuditEventLimits.MaxDetailLength, read.Detail!.Length);
    }

    [Fact]
    public async Task FieldsBeyondTheLimitsAreRefusedAndNothingIsStored()
    {
        AuditEvent[] refused =
        [
            Event() with { Detail = new string('x', 10_000) },
            Event() with { Detail = new string('x', AuditEventLimits.MaxDetailLength + 1) },
            Event() with { UserId = new string('u', AuditEventLimits.MaxFieldLength + 1) },
            Event() with { Address = new string('a', 10_000) },
            Event() with { Type = new string('t', AuditEventLimits.MaxFieldLength + 1) },
            Event() with { Type = "" },
            Event() with { Detail = "nul\0inside" },
            Event() with { Outcome = "lone \uD800 surrogate" },
            Event() with { SessionId = "reversed \uDC00\uD800 pair" },
        ];

        foreach (AuditEvent auditEvent in refused)
        {
            ArgumentException error = await Assert.ThrowsAnyAsync<ArgumentException>(async () => await Log.AppendAsync(auditEvent, None));
            Assert.Contains("audit event", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty((await Log.QueryAsync(new AuditQuery(), None)).Events);
    }

    [Fact]
    public async Task ConcurrentAppendsGetDistinctSequences()
    {
        AuditEvent[] stored = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(async () => await Log.AppendAsync(Event() with { Detail = $"concurrent {i}" }, None))));

        Assert.Equal(20, stored.Select(e => e.Sequence).Distinct().Count());
        Assert.Equal(20, (await QueryAllAsync(new AuditQuery { Limit = 3 })).Count);
    }
}
