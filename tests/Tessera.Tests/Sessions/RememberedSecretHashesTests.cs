using Microsoft.Extensions.Time.Testing;
using Tessera.InMemory;
using Tessera.Sessions;
using Tessera.Tests.Sessions.Changes;

namespace Tessera.Tests.Sessions;

/// <summary>
/// The cookie secrets a <see cref="SessionService"/> remembers with their hash: only after an accepted
/// request, never instead of the store's answer, forgotten when the session is gone, and bounded.
/// </summary>
public class RememberedSecretHashesTests
{
    private static readonly SessionClient Home = new("198.51.100.1", "Browser/1");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemorySessionStore _store = new();

    private SessionService Service(TesseraSessionOptions? options = null) => new(_store, options ?? new TesseraSessionOptions(), _time);

    // A session whose cookie was accepted once, so it is remembered.
    private async Task<(SessionService Service, IssuedSession Issued)> AcceptedOnceAsync()
    {
        SessionService service = Service();
        IssuedSession issued = await service.CreateAsync("user-1", Home, CancellationToken.None);
        Assert.True((await service.ValidateAsync(issued.Secret, Home, CancellationToken.None)).Succeeded);
        Assert.Equal(1, service.RememberedSecretCount);
        return (service, issued);
    }

    [Fact]
    public async Task ASecretIsRememberedOnlyOnceItsSessionWasAccepted()
    {
        SessionService service = Service();
        IssuedSession issued = await service.CreateAsync("user-1", Home, CancellationToken.None);
        string unknown = SessionSecret.Generate().Secret;

        Assert.False((await service.ValidateAsync(unknown, Home, CancellationToken.None)).Succeeded);
        Assert.False((await service.ValidateAsync("not-a-secret", Home, CancellationToken.None)).Succeeded);
        Assert.False((await service.ValidateAsync(null, Home, CancellationToken.None)).Succeeded);
        Assert.Equal(0, service.RememberedSecretCount);

        Assert.True((await service.ValidateAsync(issued.Secret, Home, CancellationToken.None)).Succeeded);
        Assert.Equal(1, service.RememberedSecretCount);
        Assert.True((await service.ValidateAsync(issued.Secret, Home, CancellationToken.None)).Succeeded);
        Assert.Equal(1, service.RememberedSecretCount);
    }

    [Fact]
    public async Task ARememberedSecretOfARevokedSessionIsRefusedAtOnceAndForgotten()
    {
        (SessionService service, IssuedSession issued) = await AcceptedOnceAsync();

        Assert.True(await service.RevokeAsync(issued.Session.Handle, RevocationReasons.SignedOut, CancellationToken.None));

        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await service.ValidateAsync(issued.Secret, Home, CancellationToken.None)).Error?.Code);
        Assert.Equal(0, service.RememberedSecretCount);
        Assert.Equal(TesseraErrorCodes.SessionRevoked, (await service.ValidateAsync(issued.Secret, Home, CancellationToken.None)).Error?.Code);
    }

    [Fact]
    public async Task ARememberedSecretOfAnExpiredSessionIsRefused()
    {
        (SessionService service, IssuedSession issued) = await AcceptedOnceAsync();

        _time.Advance(service.Options.IdleTimeout);

        Assert.Equal(TesseraErrorCodes.SessionExpired, (await service.ValidateAsync(issued.Secret, Home, CancellationToken.None)).Error?.Code);
        Assert.Equal(0, service.RememberedSecretCount);
    }

    [Fact]
    public async Task ARememberedSecretStopsWorkingWhenTheSessionGetsANewOne()
    {
        (SessionService service, IssuedSession issued) = await AcceptedOnceAsync();

        Outcome<IssuedSession> rotated = await service.RotateSecretAsync(issued.Session, CancellationToken.None);

        SessionValidation old = await service.ValidateAsync(issued.Secret, Home, CancellationToken.None);
        Assert.False(old.Succeeded);
        Assert.True(old.UnknownSession);
        Assert.True((await service.ValidateAsync(rotated.Value!.Secret, Home, CancellationToken.None)).Succeeded);
        Assert.Equal(1, service.RememberedSecretCount);
    }

    [Fact]
    public async Task OnlyTheVeryCharactersThatWereAcceptedHitTheMemory()
    {
        (SessionService service, IssuedSession issued) = await AcceptedOnceAsync();

        // Same length, one character changed: another secret, hashed and looked up as any other.
        char last = issued.Secret[^1];
        string altered = issued.Secret[..^1] + (last == 'A' ? 'B' : 'A');
        Assert.False((await service.ValidateAsync(altered, Home, CancellationToken.None)).Succeeded);
        Assert.False((await service.ValidateAsync(issued.Secret.ToUpperInvariant(), Home, CancellationToken.None)).Succeeded);
        Assert.False((await service.ValidateAsync(issued.Secret + "A", Home, CancellationToken.None)).Succeeded);
        Assert.Equal(1, service.RememberedSecretCount);
    }

    [Fact]
    public async Task ZeroTurnsTheMemoryOff()
    {
        SessionService service = Service(new TesseraSessionOptions { RememberedCookieSecrets = 0 });
        IssuedSession issued = await service.CreateAsync("user-1", Home, CancellationToken.None);

        Assert.True((await service.ValidateAsync(issued.Secret, Home, CancellationToken.None)).Succeeded);
        Assert.True((await service.ValidateAsync(issued.Secret, Home, CancellationToken.None)).Succeeded);
        Assert.Equal(0, service.RememberedSecretCount);
    }

    [Theory]
    [InlineData(10_000, 1)]
    [InlineData(0, 3)]
    public async Task ARememberedSecretIsNotHashedAgain(int size, int hashings)
    {
        var store = new CountingSessionStore();
        var service = new SessionService(store, new TesseraSessionOptions { RememberedCookieSecrets = size }, _time);
        IssuedSession issued = await service.CreateAsync("user-1", Home, CancellationToken.None);

        for (int i = 0; i < 3; i++)
        {
            Assert.True((await service.ValidateAsync(issued.Secret, Home, CancellationToken.None)).Succeeded);
        }

        // Each hashing makes a new array; a remembered secret is looked up with the array it was remembered with.
        Assert.Equal(3, store.SecretHashesRead.Count);
        Assert.Equal(hashings, store.SecretHashesRead.Distinct(ReferenceEqualityComparer.Instance).Count());
        Assert.All(store.SecretHashesRead, hash => Assert.Equal(issued.Session.SecretHash.ToArray(), hash));
    }

    [Fact]
    public async Task OneIsASizeToo()
    {
        SessionService service = Service(new TesseraSessionOptions { RememberedCookieSecrets = 1 });
        IssuedSession issued = await service.CreateAsync("user-1", Home, CancellationToken.None);

        Assert.True((await service.ValidateAsync(issued.Secret, Home, CancellationToken.None)).Succeeded);
        Assert.Equal(1, service.RememberedSecretCount);
    }

    [Fact]
    public void ASecretUnusedForTheIdleTimeoutIsForgottenWhenTheTableAges()
    {
        var table = new RememberedSecretHashes(100, TimeSpan.FromMinutes(30), _time.GetUtcNow());
        table.Remember("unused", [1]);
        table.Remember("in-use", [2]);

        // Generations of 15 minutes: "unused" goes to the old one at 15, and is dropped at 30.
        foreach (int minutes in new[] { 14, 15, 29 })
        {
            _time.Advance(TimeSpan.FromMinutes(minutes) - (_time.GetUtcNow() - new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero)));
            table.AgeBy(_time.GetUtcNow());
            Assert.True(table.TryGet("in-use", out _));
        }

        // "in-use" in both generations (found in the old one, it moved back), "unused" in the old one.
        Assert.Equal(3, table.Count);
        _time.Advance(TimeSpan.FromMinutes(1));
        table.AgeBy(_time.GetUtcNow());

        Assert.Equal(1, table.Count);
        Assert.False(table.TryGet("unused", out _));
        Assert.True(table.TryGet("in-use", out _));
    }

    [Fact]
    public void AClockSetBackDoesNotStopTheAging()
    {
        var table = new RememberedSecretHashes(100, TimeSpan.FromMinutes(30), _time.GetUtcNow() + TimeSpan.FromDays(1));
        table.Remember("a", [1]);

        table.AgeBy(_time.GetUtcNow());
        table.AgeBy(_time.GetUtcNow() + TimeSpan.FromMinutes(15));

        Assert.False(table.TryGet("a", out _));
    }

    [Fact]
    public async Task TheServiceAgesItsSecretsByTheTimeOfItsChecks()
    {
        SessionService service = Service();
        IssuedSession first = await service.CreateAsync("user-1", Home, CancellationToken.None);
        Assert.True((await service.ValidateAsync(first.Secret, Home, CancellationToken.None)).Succeeded);
        IssuedSession second = await service.CreateAsync("user-2", Home, CancellationToken.None);

        // The second session stays alive by its requests; the first one's secret is not used again.
        for (int step = 0; step < 4; step++)
        {
            _time.Advance(TimeSpan.FromMinutes(10));
            Assert.True((await service.ValidateAsync(second.Secret, Home, CancellationToken.None)).Succeeded);
        }

        Assert.Equal(1, service.RememberedSecretCount);
    }

    [Fact]
    public async Task ConcurrentUseKeepsTheBoundAndTheAnswers()
    {
        var table = new RememberedSecretHashes(64, TimeSpan.FromHours(1), _time.GetUtcNow());
        byte[] kept = [42];
        table.Remember("kept", kept);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                string secret = $"{worker}-{i % 500}";
                table.Remember(secret, [(byte)worker]);
                if (table.TryGet(secret, out byte[]? hash))
                {
                    Assert.Equal((byte)worker, hash[0]);
                }

                if (i % 7 == 0)
                {
                    table.Forget(secret);
                }

                if (table.TryGet("kept", out byte[]? found))
                {
                    Assert.Same(kept, found);
                }
            }
        })));

        Assert.InRange(table.Count, 0, 64 + 4);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1_000_001)]
    public void AnOutOfRangeSizeIsRefused(int size) =>
        Assert.Contains("RememberedCookieSecrets", new TesseraSessionOptions { RememberedCookieSecrets = size }.Problem(), StringComparison.Ordinal);

    [Fact]
    public void TheTableStaysBoundedAndKeepsWhatIsInUse()
    {
        var table = new RememberedSecretHashes(8, TimeSpan.FromHours(1), _time.GetUtcNow());
        byte[] usedHash = [1, 2, 3];
        table.Remember("in-use", usedHash);

        for (int i = 0; i < 100; i++)
        {
            table.Remember($"once-{i}", [(byte)i]);
            Assert.True(table.Count <= 8, $"{table.Count} remembered after {i + 1} more");
            Assert.True(table.TryGet("in-use", out byte[]? hash));
            Assert.Same(usedHash, hash);
        }

        Assert.False(table.TryGet("once-0", out _));
        Assert.True(table.TryGet("once-99", out _));
    }

    [Fact]
    public void AForgottenSecretIsGoneFromBothGenerations()
    {
        var table = new RememberedSecretHashes(4, TimeSpan.FromHours(1), _time.GetUtcNow());
        table.Remember("a", [1]);
        table.Remember("b", [2]);
        // "a" and "b" filled the young generation, which is now the old one.
        table.Remember("c", [3]);

        table.Forget("a");
        table.Forget("c");

        Assert.False(table.TryGet("a", out _));
        Assert.False(table.TryGet("c", out _));
        Assert.True(table.TryGet("b", out _));
    }
}
