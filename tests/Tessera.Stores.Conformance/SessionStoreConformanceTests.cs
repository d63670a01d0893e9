using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tessera.Sessions;

namespace Tessera.Stores.Conformance;

/// <summary>
/// What every <see cref="ISessionStore"/> must do. A backend's test project subclasses this and
/// says how to make a fresh, empty store; time is a <see cref="FakeTimeProvider"/> moved by hand.
/// </summary>
public abstract partial class SessionStoreConformanceTests : IAsyncLifetime
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");

    private ISessionStore? _store;

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    protected TesseraSessionOptions Options { get; } = new()
    {
        IdleTimeout = TimeSpan.FromMinutes(30),
        AbsoluteTimeout = TimeSpan.FromHours(12),
        TouchInterval = TimeSpan.FromMinutes(1),
    };

    protected ISessionStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected SessionService Sessions => new(Store, Options, Time);

    protected SessionAttributes Attributes => new(Store, Options);

    /// <summary>A new, empty store.</summary>
    protected abstract ValueTask<ISessionStore> CreateStoreAsync();

    /// <summary>
    /// A second store over the same data with its own connections, as another server instance
    /// sharing the backend has. The default (one store, one process) returns <see cref="Store"/>.
    /// </summary>
    protected virtual ValueTask<ISessionStore> OpenSecondInstanceAsync() => ValueTask.FromResult(Store);

    /// <summary>Releases what <see cref="CreateStoreAsync"/> made.</summary>
    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync() => await DisposeStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    private static byte[] HashOf(string secret)
    {
        byte[] hash = new byte[SessionSecret.HashLength];
        Assert.True(SessionSecret.TryHash(secret, hash));
        return hash;
    }

    [Fact]
    public async Task CreatedSessionIsFoundByItsSecretHashWithEveryField()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);

        SessionRecord? found = await Store.FindBySecretHashAsync(HashOf(issued.Secret), None);

        Assert.NotNull(found);
        SessionRecord expected = issued.Session;
        Assert.Equal(expected.Handle, found.Handle);
        Assert.Equal("user-1", found.UserId);
        Assert.Equal(expected.SecretHash.ToArray(), found.SecretHash.ToArray());
        Assert.Equal(Time.GetUtcNow(), found.CreatedAt);
        Assert.Equal(Time.GetUtcNow(), found.LastSeenAt);
        Assert.Equal(Time.GetUtcNow() + Options.IdleTimeout, found.IdleExpiresAt);
        Assert.Equal(Time.GetUtcNow() + Options.AbsoluteTimeout, found.AbsoluteExpiresAt);
        Assert.Equal("192.0.2.10", found.ClientIp);
        Assert.Equal("Laptop/1.0", found.UserAgent);
        Assert.Null(found.RevokedAt);
        Assert.Null(found.FlaggedAt);
        Assert.Null(found.PreviousSecretHash);
        Assert.Null(found.SecretRotatedAt);
        Assert.Equal(SessionKinds.Cookie, found.Kind);
        Assert.Equal(SessionRecord.CurrentFormatVersion, found.FormatVersion);
    }

    [Fact]
    public async Task CreatedSessionIsFoundByItsHandle()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);

        SessionRecord? found = await Store.FindByHandleAsync(issued.Session.Handle, None);

        Assert.NotNull(found);
        Assert.Equal(issued.Session.SecretHash.ToArray(), found.SecretHash.ToArray());
    }

    [Fact]
    public async Task SessionWithoutClientDetailsRoundTrips()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", new SessionClient(null, null), None);

        SessionRecord? found = await Store.FindByHandleAsync(issued.Session.Handle, None);

        Assert.NotNull(found);
        Assert.Null(found.ClientIp);
        Assert.Null(found.UserAgent);
    }

    [Fact]
    public async Task UnknownSecretOrHandleFindsNothing()
    {
        await Sessions.CreateAsync("user-1", Laptop, None);
        (string otherSecret, _) = SessionSecret.Generate();

        Assert.Null(await Store.FindBySecretHashAsync(HashOf(otherSecret), None));
        Assert.Null(await Store.FindByHandleAsync("no-such-handle", None));
    }

    [Fact]
    public async Task IssuedSecretValidates()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);

        SessionValidation validation = await Sessions.ValidateAsync(issued.Secret, Laptop, None);

        Assert.True(validation.Succeeded);
        Assert.Equal(issued.Session.Handle, validation.Session!.Handle);
    }

    [Fact]
    public async Task TouchMovesLastSeenAndIdleExpiryForward()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        Time.Advance(TimeSpan.FromMinutes(10));

        await Sessions.ValidateAsync(issued.Secret, Laptop, None);

        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(Time.GetUtcNow(), stored.LastSeenAt);
        Assert.Equal(Time.GetUtcNow() + Options.IdleTimeout, stored.IdleExpiresAt);
    }

    [Fact]
    public async Task TouchIsSkippedWithinTheTouchInterval()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        Time.Advance(Options.TouchInterval - TimeSpan.FromSeconds(1));

        await Sessions.ValidateAsync(issued.Secret, Laptop, None);

        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(issued.Session.LastSeenAt, stored.LastSeenAt);
    }

    [Fact]
    public async Task TouchNeverMovesLastSeenBackwards()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        DateTimeOffset later = Time.GetUtcNow().AddMinutes(5);
        await Store.TouchAsync(issued.Session.Handle, later, later.AddMinutes(30), None);

        await Store.TouchAsync(issued.Session.Handle, later.AddMinutes(-2), later.AddMinutes(28), None);

        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(later, stored.LastSeenAt);
        Assert.Equal(later.AddMinutes(30), stored.IdleExpiresAt);
    }

    [Fact]
    public async Task SessionExpiresAfterTheIdleTimeoutWithoutActivity()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        Time.Advance(Options.IdleTimeout);

        SessionValidation validation = await Sessions.ValidateAsync(issued.Secret, Laptop, None);

        Assert.Equal(TesseraErrorCodes.SessionExpired, validation.Error?.Code);
        Assert.Empty(await Sessions.ListAsync("user-1", None));
    }

    [Fact]
    public async Task ActivityKeepsTheSessionAlivePastTheIdleTimeout()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        for (int i = 0; i < 4; i++)
        {
            Time.Advance(TimeSpan.FromMinutes(20));
            Assert.True((await Sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded);
        }

        Assert.Single(await Sessions.ListAsync("user-1", None));
    }

    [Fact]
    public async Task SessionExpiresAtTheAbsoluteTimeoutDespiteActivity()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        TimeSpan step = TimeSpan.FromMinutes(20);
        for (TimeSpan elapsed = step; elapsed < Options.AbsoluteTimeout; elapsed += step)
        {
            Time.Advance(step);
            Assert.True((await Sessions.ValidateAsync(issued.Secret, Laptop, None)).Succeeded);
        }

        Time.Advance(step);
        SessionValidation validation = await Sessions.ValidateAsync(issued.Secret, Laptop, None);

        Assert.Equal(TesseraErrorCodes.SessionExpired, validation.Error?.Code);
        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.True(stored.IdleExpiresAt <= stored.AbsoluteExpiresAt);
    }

    [Fact]
    public async Task RevokedSessionIsRefusedAsRevoked()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);

        Assert.True(await Sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None));
        SessionValidation validation = await Sessions.ValidateAsync(issued.Secret, Laptop, None);

        Assert.Equal(TesseraErrorCodes.SessionRevoked, validation.Error?.Code);
        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(Time.GetUtcNow(), stored.RevokedAt);
        Assert.Equal(RevocationReasons.SignedOut, stored.RevocationReason);
    }

    [Fact]
    public async Task RevokingTwiceKeepsTheFirstRevocation()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        await Sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None);
        DateTimeOffset firstRevocation = Time.GetUtcNow();
        Time.Advance(TimeSpan.FromMinutes(1));

        Assert.False(await Sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.EndedByUser, None));
        Assert.False(await Sessions.RevokeAsync("no-such-handle", RevocationReasons.EndedByUser, None));

        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(firstRevocation, stored.RevokedAt);
        Assert.Equal(RevocationReasons.SignedOut, stored.RevocationReason);
    }

    [Fact]
    public async Task RevokedSessionIsNotTouched()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        await Sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None);
        DateTimeOffset later = Time.GetUtcNow().AddMinutes(5);

        await Store.TouchAsync(issued.Session.Handle, later, later.AddMinutes(30), None);

        Assert.Equal(issued.Session.LastSeenAt, (await Store.FindByHandleAsync(issued.Session.Handle, None))!.LastSeenAt);
    }

    [Fact]
    public async Task RevokeAllForUserEndsEverySessionOfThatUserOnly()
    {
        IssuedSession first = await Sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession second = await Sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession someoneElse = await Sessions.CreateAsync("user-2", Laptop, None);

        int revoked = await Sessions.RevokeAllAsync("user-1", null, RevocationReasons.SignedOutEverywhere, None);

        Assert.Equal(2, revoked);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await Sessions.ValidateAsync(first.Secret, Laptop, None)).Error?.Code);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await Sessions.ValidateAsync(second.Secret, Laptop, None)).Error?.Code);
        Assert.True((await Sessions.ValidateAsync(someoneElse.Secret, Laptop, None)).Succeeded);
    }

    [Fact]
    public async Task RevokeAllForUserCanSpareTheCurrentSession()
    {
        IssuedSession current = await Sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession other = await Sessions.CreateAsync("user-1", Laptop, None);

        int revoked = await Sessions.RevokeAllAsync("user-1", current.Session.Handle, RevocationReasons.OtherDevicesSignedOut, None);

        Assert.Equal(1, revoked);
        Assert.True((await Sessions.ValidateAsync(current.Secret, Laptop, None)).Succeeded);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await Sessions.ValidateAsync(other.Secret, Laptop, None)).Error?.Code);
    }

    [Fact]
    public async Task ListForUserShowsOnlyThatUsersActiveSessionsNewestFirst()
    {
        IssuedSession oldest = await Sessions.CreateAsync("user-1", Laptop, None);
        Time.Advance(TimeSpan.FromSeconds(5));
        IssuedSession revoked = await Sessions.CreateAsync("user-1", Laptop, None);
        Time.Advance(TimeSpan.FromSeconds(5));
        IssuedSession newest = await Sessions.CreateAsync("user-1", Laptop, None);
        await Sessions.CreateAsync("user-2", Laptop, None);
        await Sessions.RevokeAsync(revoked.Session.Handle, RevocationReasons.SignedOut, None);

        IReadOnlyList<SessionRecord> listed = await Sessions.ListAsync("user-1", None);

        Assert.Equal([newest.Session.Handle, oldest.Session.Handle], listed.Select(s => s.Handle));
    }

    [Fact]
    public async Task ListForUserLeavesOutSessionsPastTheirIdleExpiry()
    {
        IssuedSession idle = await Sessions.CreateAsync("user-1", Laptop, None);
        Time.Advance(TimeSpan.FromMinutes(20));
        IssuedSession fresh = await Sessions.CreateAsync("user-1", Laptop, None);
        Time.Advance(TimeSpan.FromMinutes(15));

        IReadOnlyList<SessionRecord> listed = await Sessions.ListAsync("user-1", None);

        Assert.Equal([fresh.Session.Handle], listed.Select(s => s.Handle));
        Assert.NotNull(await Store.FindByHandleAsync(idle.Session.Handle, None));
    }

    [Fact]
    public async Task RotationReplacesTheSecretAndTheOldOneStopsWorking()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);

        Outcome<IssuedSession> rotated = await Sessions.RotateSecretAsync(issued.Session, None);

        Assert.True(rotated.Succeeded);
        Assert.Equal(issued.Session.Handle, rotated.Value.Session.Handle);
        Assert.Null(await Store.FindBySecretHashAsync(HashOf(issued.Secret), None));
        Assert.Equal(TesseraErrorCodes.Unauthenticated, (await Sessions.ValidateAsync(issued.Secret, Laptop, None)).Error?.Code);
        Assert.True((await Sessions.ValidateAsync(rotated.Value.Secret, Laptop, None)).Succeeded);
    }

    [Fact]
    public async Task RotationWithAStaleHashFails()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        Outcome<IssuedSession> first = await Sessions.RotateSecretAsync(issued.Session, None);

        Outcome<IssuedSession> second = await Sessions.RotateSecretAsync(issued.Session, None);

        Assert.True(first.Succeeded);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, second.Error?.Code);
        Assert.True((await Sessions.ValidateAsync(first.Value.Secret, Laptop, None)).Succeeded);
    }

    [Fact]
    public async Task RevokedSessionCannotBeRotated()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        await Sessions.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, None);

        Outcome<IssuedSession> rotated = await Sessions.RotateSecretAsync(issued.Session, None);

        Assert.False(rotated.Succeeded);
    }

    [Fact]
    public async Task ConcurrentRotationsOfOneSecretHaveExactlyOneWinner()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        var rotation = (ISessionSecretRotation)Store;
        byte[][] candidates = Enumerable.Range(0, 16).Select(_ => SessionSecret.Generate().Hash).ToArray();

        bool[] results = await Task.WhenAll(candidates.Select(next =>
            Task.Run(async () => await rotation.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, next, Time.GetUtcNow(), issued.Session.IdleExpiresAt, None))));

        Assert.Equal(1, results.Count(won => won));
        byte[] winner = candidates[Array.IndexOf(results, true)];
        Assert.Equal(winner, (await Store.FindByHandleAsync(issued.Session.Handle, None))!.SecretHash.ToArray());
    }

    [Fact]
    public async Task ConcurrentRotationsFromTwoInstancesHaveExactlyOneWinnerThatBothSee()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        ISessionStore[] instances = [Store, await OpenSecondInstanceAsync()];
        byte[][] candidates = Enumerable.Range(0, 16).Select(_ => SessionSecret.Generate().Hash).ToArray();

        bool[] results = await Task.WhenAll(candidates.Select((next, i) => Task.Run(async () =>
            await ((ISessionSecretRotation)instances[i % 2]).TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, next, Clock.Now(Time), issued.Session.IdleExpiresAt, None))));

        Assert.Equal(1, results.Count(won => won));
        byte[] winner = candidates[Array.IndexOf(results, true)];
        foreach (ISessionStore instance in instances)
        {
            Assert.Equal(winner, (await instance.FindByHandleAsync(issued.Session.Handle, None))!.SecretHash.ToArray());
            Assert.Equal(1, (await instance.FindByHandleAsync(issued.Session.Handle, None))!.Generation);
            Assert.Equal(issued.Session.Handle, (await ((ISessionSecretRotation)instance).FindByPreviousSecretHashAsync(issued.Session.SecretHash, None))?.Handle);
        }
    }

    [Fact]
    public async Task RotationRecordsThePreviousHashAndWhenItHappened()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        var rotation = (ISessionSecretRotation)Store;
        byte[] next = SessionSecret.Generate().Hash;
        Time.Advance(TimeSpan.FromMinutes(3));

        Assert.True(await rotation.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, next, Clock.Now(Time), issued.Session.IdleExpiresAt, None));

        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(next, stored.SecretHash.ToArray());
        Assert.Equal(issued.Session.SecretHash.ToArray(), stored.PreviousSecretHash?.ToArray());
        Assert.Equal(Clock.Now(Time), stored.SecretRotatedAt);
        Assert.Equal(SessionKinds.Token, stored.Kind);
    }

    [Fact]
    public async Task ASessionIsFoundByItsPreviousSecretHashUntilTheNextRotation()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        var rotation = (ISessionSecretRotation)Store;
        byte[] second = SessionSecret.Generate().Hash;
        byte[] third = SessionSecret.Generate().Hash;
        Assert.Null(await rotation.FindByPreviousSecretHashAsync(issued.Session.SecretHash, None));

        await rotation.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, second, Clock.Now(Time), issued.Session.IdleExpiresAt, None);
        Assert.Equal(issued.Session.Handle, (await rotation.FindByPreviousSecretHashAsync(issued.Session.SecretHash, None))?.Handle);

        await rotation.TryRotateSecretAsync(issued.Session.Handle, second, third, Clock.Now(Time), issued.Session.IdleExpiresAt, None);
        Assert.Null(await rotation.FindByPreviousSecretHashAsync(issued.Session.SecretHash, None));
        Assert.Equal(issued.Session.Handle, (await rotation.FindByPreviousSecretHashAsync(second, None))?.Handle);
        Assert.Null(await Store.FindBySecretHashAsync(second, None));
    }

    [Fact]
    public async Task ARotationByHandleRecordsThePreviousHashAndEndsTheIndexOfTheOneBefore()
    {
        // #13: a retired secret found by handle needs no index by its hash; the record still holds it
        // (reuse detection and the grace answer compare against it), and the index the rotation
        // before wrote (ByHash: a version-1 refresh token) does not outlive it.
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        var rotation = (ISessionSecretRotation)Store;
        byte[] second = SessionSecret.Generate().Hash;
        byte[] third = SessionSecret.Generate().Hash;
        byte[] laptop = SessionClientFingerprint.Of(Laptop);
        Assert.True(await rotation.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, second, Clock.Now(Time), issued.Session.IdleExpiresAt, laptop, PreviousSecretLookup.ByHash, None));
        Assert.Equal(issued.Session.Handle, (await rotation.FindByPreviousSecretHashAsync(issued.Session.SecretHash, None))?.Handle);
        Time.Advance(TimeSpan.FromMinutes(1));

        Assert.True(await rotation.TryRotateSecretAsync(issued.Session.Handle, second, third, Clock.Now(Time), issued.Session.IdleExpiresAt, laptop, PreviousSecretLookup.ByHandle, None));

        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(third, stored.SecretHash.ToArray());
        Assert.Equal(second, stored.PreviousSecretHash?.ToArray());
        Assert.Equal(Clock.Now(Time), stored.SecretRotatedAt);
        Assert.Equal(2, stored.Generation);
        Assert.Equal(laptop, stored.RotatedBy?.ToArray());
        Assert.Null(await rotation.FindByPreviousSecretHashAsync(issued.Session.SecretHash, None));
        Assert.Null(await Store.FindBySecretHashAsync(second, None));
        // A store may index it anyway (one without per-key cost); whatever it finds is this session.
        SessionRecord? byPrevious = await rotation.FindByPreviousSecretHashAsync(second, None);
        Assert.True(byPrevious is null || byPrevious.Handle == issued.Session.Handle);
        Assert.False(await rotation.TryRotateSecretAsync(issued.Session.Handle, second, SessionSecret.Generate().Hash, Clock.Now(Time), issued.Session.IdleExpiresAt, laptop, PreviousSecretLookup.ByHandle, None));
    }

    [Fact]
    public async Task EachRotationCountsTheGenerationUpAndRecordsTheRotatingClient()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        var rotation = (ISessionSecretRotation)Store;
        Assert.Equal(0, issued.Session.Generation);
        Assert.Null((await Store.FindByHandleAsync(issued.Session.Handle, None))!.RotatedBy);
        byte[][] hashes = [issued.Session.SecretHash.ToArray(), .. Enumerable.Range(0, 3).Select(_ => SessionSecret.Generate().Hash)];
        byte[][] clients = [.. Enumerable.Range(0, 3).Select(i => SessionClientFingerprint.Of(new SessionClient($"192.0.2.{i}", "Laptop/1.0")))];
        for (int i = 1; i < hashes.Length; i++)
        {
            Assert.True(await rotation.TryRotateSecretAsync(issued.Session.Handle, hashes[i - 1], hashes[i], Clock.Now(Time), issued.Session.IdleExpiresAt, clients[i - 1], None));
            SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
            Assert.Equal(i, stored.Generation);
            Assert.Equal(clients[i - 1], stored.RotatedBy?.ToArray());
        }

        // A rotation that names no client (a cookie secret's) leaves none recorded, not the last one.
        Assert.True(await rotation.TryRotateSecretAsync(issued.Session.Handle, hashes[^1], SessionSecret.Generate().Hash, Clock.Now(Time), issued.Session.IdleExpiresAt, None));
        SessionRecord last = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(4, last.Generation);
        Assert.Null(last.RotatedBy);
    }

    [Fact]
    public async Task AFailedRotationCountsNoGenerationAndRecordsNoClient()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        var rotation = (ISessionSecretRotation)Store;
        byte[] stale = SessionSecret.Generate().Hash;

        Assert.False(await rotation.TryRotateSecretAsync(issued.Session.Handle, stale, SessionSecret.Generate().Hash, Clock.Now(Time), issued.Session.IdleExpiresAt, SessionClientFingerprint.Of(Laptop), None));

        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(0, stored.Generation);
        Assert.Null(stored.RotatedBy);
        Assert.Null(stored.PreviousSecretHash);
        Assert.Null(await rotation.FindByPreviousSecretHashAsync(stale, None));
    }

    [Fact]
    public async Task PurgingARotatedSessionLeavesNothingBehind()
    {
        long empty = await StoredEntriesAsync();
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        var rotation = (ISessionSecretRotation)Store;
        await rotation.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, SessionSecret.Generate().Hash, Clock.Now(Time), issued.Session.IdleExpiresAt, SessionClientFingerprint.Of(Laptop), None);
        await Store.RevokeAsync(issued.Session.Handle, Clock.Now(Time), RevocationReasons.SignedOut, None);
        Time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(1, await ((ISessionCleanup)Store).PurgeAsync(Clock.Now(Time), None));

        Assert.Null(await rotation.FindByPreviousSecretHashAsync(issued.Session.SecretHash, None));
        Assert.Null(await Store.FindByHandleAsync(issued.Session.Handle, None));
        // Redis keeps the revocation list entry (for resource servers) on purpose; nothing else is left.
        Assert.InRange(await StoredEntriesAsync() - empty, 0, PurgeLeavesRevocationListEntries ? 1 : 0);
    }

    [Fact]
    public async Task ARevokedSessionIsStillFoundByItsPreviousHashSoReuseCanBeTold()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        var rotation = (ISessionSecretRotation)Store;
        await rotation.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, SessionSecret.Generate().Hash, Clock.Now(Time), issued.Session.IdleExpiresAt, None);

        await Store.RevokeAsync(issued.Session.Handle, Clock.Now(Time), RevocationReasons.RefreshTokenReused, None);

        SessionRecord? found = await rotation.FindByPreviousSecretHashAsync(issued.Session.SecretHash, None);
        Assert.True(found?.IsRevoked);
        Assert.Equal(RevocationReasons.RefreshTokenReused, found?.RevocationReason);
    }

    [Fact]
    public async Task ConcurrentRotationsToTheSameNextHashHaveExactlyOneWinner()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        var rotation = (ISessionSecretRotation)Store;
        byte[] next = SessionSecret.Generate().Hash;

        bool[] results = await Task.WhenAll(Enumerable.Range(0, 32).Select(_ =>
            Task.Run(async () => await rotation.TryRotateSecretAsync(issued.Session.Handle, issued.Session.SecretHash, next, Clock.Now(Time), issued.Session.IdleExpiresAt, None))));

        Assert.Equal(1, results.Count(won => won));
        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(next, stored.SecretHash.ToArray());
        Assert.Equal(issued.Session.SecretHash.ToArray(), stored.PreviousSecretHash?.ToArray());
    }

    [Fact]
    public async Task ACookieSessionIsACookieSessionAndATokenSessionIsNotValidAsACookie()
    {
        IssuedSession cookie = await Sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession token = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);

        Assert.Equal(SessionKinds.Cookie, (await Store.FindByHandleAsync(cookie.Session.Handle, None))?.Kind);
        Assert.Equal(SessionKinds.Token, (await Store.FindByHandleAsync(token.Session.Handle, None))?.Kind);
        Assert.Equal(TesseraErrorCodes.Unauthenticated, (await Sessions.ValidateAsync(token.Secret, Laptop, None)).Error?.Code);
    }

    [Fact]
    public async Task ConcurrentTouchesKeepTheLatestActivity()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        DateTimeOffset start = Time.GetUtcNow();
        int[] minutes = Enumerable.Range(1, 20).ToArray();

        await Task.WhenAll(minutes.Select(m => Task.Run(async () =>
        {
            DateTimeOffset seen = start.AddMinutes(m);
            await Store.TouchAsync(issued.Session.Handle, seen, seen + Options.IdleTimeout, None);
            Assert.NotNull(await Store.FindByHandleAsync(issued.Session.Handle, None));
        })));

        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(start.AddMinutes(20), stored.LastSeenAt);
        Assert.Equal(start.AddMinutes(20) + Options.IdleTimeout, stored.IdleExpiresAt);
    }

    [Fact]
    public async Task ConcurrentSignInsOfOneUserAreAllListed()
    {
        IssuedSession[] issued = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            Task.Run(async () => await Sessions.CreateAsync("user-1", Laptop, None))));

        IReadOnlyList<SessionRecord> listed = await Sessions.ListAsync("user-1", None);

        Assert.Equal(issued.Select(s => s.Session.Handle).Order(StringComparer.Ordinal), listed.Select(s => s.Handle).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task ConcurrentRevocationsCountEachSessionOnce()
    {
        for (int i = 0; i < 5; i++)
        {
            await Sessions.CreateAsync("user-1", Laptop, None);
        }

        int[] counts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ =>
            Task.Run(async () => await Sessions.RevokeAllAsync("user-1", null, RevocationReasons.SignedOutEverywhere, None))));

        Assert.Equal(5, counts.Sum());
    }

    [Fact]
    public async Task AttributesBelongToTheirSession()
    {
        IssuedSession first = await Sessions.CreateAsync("user-1", Laptop, None);
        IssuedSession second = await Sessions.CreateAsync("user-1", Laptop, None);

        Assert.True((await Attributes.SetAsync(first.Session.Handle, "theme", "dark", None)).Succeeded);
        Assert.True((await Attributes.SetAsync(first.Session.Handle, "theme", "light", None)).Succeeded);
        Assert.True((await Attributes.SetAsync(first.Session.Handle, "lang", "la", None)).Succeeded);

        IReadOnlyDictionary<string, JsonElement> attributes = await Attributes.GetAllAsync(first.Session.Handle, None);
        Assert.Equal("light", attributes["theme"].GetString());
        Assert.Equal("la", attributes["lang"].GetString());
        Assert.Equal(2, attributes.Count);
        Assert.Empty(await Attributes.GetAllAsync(second.Session.Handle, None));
    }

    [Fact]
    public async Task RemovedAttributeIsGone()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        await Attributes.SetAsync(issued.Session.Handle, "theme", "dark", None);

        Assert.True(await Attributes.RemoveAsync(issued.Session.Handle, "theme", None));
        Assert.False(await Attributes.RemoveAsync(issued.Session.Handle, "theme", None));
        Assert.Empty(await Attributes.GetAllAsync(issued.Session.Handle, None));
    }

    [Fact]
    public async Task AttributeOfAnUnknownSessionIsRefused()
    {
        Outcome<bool> written = await Attributes.SetAsync("no-such-handle", "theme", "dark", None);

        Assert.Equal(TesseraErrorCodes.SessionNotFound, written.Error?.Code);
    }

    [Fact]
    public async Task ConcurrentAttributeWritesStopAtTheLimitButMayReplace()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        var attributes = (ISessionAttributeStore)Store;

        AttributeWrite[] writes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            Task.Run(async () => await attributes.SetAttributeAsync(issued.Session.Handle, $"key{i}", "v", 8, None))));

        Assert.Equal(8, writes.Count(w => w == AttributeWrite.Written));
        Assert.Equal(12, writes.Count(w => w == AttributeWrite.LimitReached));
        string existing = (await attributes.GetAttributesAsync(issued.Session.Handle, None)).Keys.First();
        Assert.Equal(AttributeWrite.Written, await attributes.SetAttributeAsync(issued.Session.Handle, existing, "replaced", 8, None));
        Assert.Equal(8, (await attributes.GetAttributesAsync(issued.Session.Handle, None)).Count);
    }

    [Fact]
    public async Task FirstFlagIsKept()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        DateTimeOffset first = Time.GetUtcNow();

        await Store.FlagAsync(issued.Session.Handle, first, "binding_mismatch", None);
        await Store.FlagAsync(issued.Session.Handle, first.AddMinutes(1), "other", None);

        SessionRecord stored = (await Store.FindByHandleAsync(issued.Session.Handle, None))!;
        Assert.Equal(first, stored.FlaggedAt);
        Assert.Equal("binding_mismatch", stored.FlagReason);
    }

    [Fact]
    public async Task PurgeDeletesSessionsThatEndedBeforeTheCutoff()
    {
        IssuedSession revoked = await Sessions.CreateAsync("user-1", Laptop, None);
        await Sessions.RevokeAsync(revoked.Session.Handle, RevocationReasons.SignedOut, None);
        IssuedSession idle = await Sessions.CreateAsync("user-1", Laptop, None);
        Time.Advance(TimeSpan.FromMinutes(40));
        IssuedSession alive = await Sessions.CreateAsync("user-1", Laptop, None);
        await Attributes.SetAsync(idle.Session.Handle, "k", "v", None);

        int purged = await ((ISessionCleanup)Store).PurgeAsync(Time.GetUtcNow(), None);

        Assert.Equal(2, purged);
        Assert.Null(await Store.FindByHandleAsync(revoked.Session.Handle, None));
        Assert.Null(await Store.FindBySecretHashAsync(HashOf(idle.Secret), None));
        Assert.Empty(await Attributes.GetAllAsync(idle.Session.Handle, None));
        Assert.NotNull(await Store.FindByHandleAsync(alive.Session.Handle, None));
    }

    [Fact]
    public async Task CancelledCallsDoNotRun()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, None);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.RevokeAsync(issued.Session.Handle, Time.GetUtcNow(), "x", cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await Store.FindByHandleAsync(issued.Session.Handle, cancelled.Token));

        Assert.Null((await Store.FindByHandleAsync(issued.Session.Handle, None))!.RevokedAt);
    }
}
