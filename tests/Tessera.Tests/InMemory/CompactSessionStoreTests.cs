using System.Security.Cryptography;
using Tessera.InMemory;
using Tessera.Sessions;

namespace Tessera.Tests.InMemory;

/// <summary>
/// The in-memory store's compact representation (issue #13): every field the device list shows
/// comes back exactly, shared strings are shared (and only between equal values), the string pool
/// stays bounded, and the user index follows sessions in and out.
/// </summary>
public sealed class CompactSessionStoreTests
{
    private const string Chrome = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0.0.0 Safari/537.36";
    private const string Safari = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_7 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/26.1 Mobile/15E148 Safari/604.1";

    private static readonly DateTimeOffset Start = new(2030, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static CancellationToken None => CancellationToken.None;

    private static SessionRecord Record(string user, string? ip, string? userAgent) => new()
    {
        Handle = RandomIds.New128(),
        UserId = user,
        SecretHash = RandomNumberGenerator.GetBytes(32),
        CreatedAt = Start,
        LastSeenAt = Start + TimeSpan.FromMinutes(3),
        IdleExpiresAt = Start + TimeSpan.FromHours(1),
        AbsoluteExpiresAt = Start + TimeSpan.FromDays(1),
        ClientIp = ip,
        UserAgent = userAgent,
        AuthenticationMethods = AuthenticationMethodValues.Password,
    };

    // Every field, bytes compared by value (ReadOnlyMemory compares by reference).
    private static void AssertSame(SessionRecord expected, SessionRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { SecretHash = default, PreviousSecretHash = null, RotatedBy = null }, actual with { SecretHash = default, PreviousSecretHash = null, RotatedBy = null });
        Assert.Equal(expected.SecretHash.ToArray(), actual.SecretHash.ToArray());
        Assert.Equal(expected.PreviousSecretHash?.ToArray(), actual.PreviousSecretHash?.ToArray());
        Assert.Equal(expected.RotatedBy?.ToArray(), actual.RotatedBy?.ToArray());
    }

    [Theory]
    [InlineData("203.0.113.45")]
    [InlineData("2001:db8:4a1c:2f00:8d3e:91b2:6c4f:1a07")]
    [InlineData("2001:db8::1")]
    [InlineData("::ffff:192.0.2.1")]
    [InlineData("2001:DB8::1")] // not the canonical text: kept as it came
    [InlineData("192.0.2.010")] // idem
    [InlineData("fe80::1%3")] // a scope the bytes would lose
    [InlineData("unknown")]
    [InlineData(null)]
    public async Task EveryFieldTheDeviceListShowsComesBackExactly(string? ip)
    {
        var store = new InMemorySessionStore();
        SessionRecord session = Record("user-1", ip, Safari) with
        {
            Kind = SessionKinds.Token,
            AuthenticationMethods = "hwk user",
            KeyThumbprint = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I",
            ClientId = "client-1",
            Scope = "openid profile",
            AuthenticatedAt = Start - TimeSpan.FromMinutes(1),
            CreatedAt = Start + TimeSpan.FromTicks(1234567), // below a millisecond: kept
        };

        await store.CreateAsync(session, None);

        AssertSame(session, await store.FindByHandleAsync(session.Handle, None));
        AssertSame(session, await store.FindBySecretHashAsync(session.SecretHash, None));
        AssertSame(session, Assert.Single(await store.ListActiveForUserAsync("user-1", Start, None)));
    }

    [Fact]
    public async Task RevokedFlaggedAndRotatedSessionsKeepEveryField()
    {
        var store = new InMemorySessionStore();
        SessionRecord session = Record("user-1", "198.51.100.7", Chrome);
        await store.CreateAsync(session, None);
        byte[] next = RandomNumberGenerator.GetBytes(32);
        byte[] client = RandomNumberGenerator.GetBytes(16);
        DateTimeOffset rotated = Start + TimeSpan.FromMinutes(10);
        Assert.True(await store.TryRotateSecretAsync(session.Handle, session.SecretHash, next, rotated, rotated + TimeSpan.FromHours(1), client, None));
        await store.FlagAsync(session.Handle, rotated, "ip_changed", None);
        Assert.True(await store.RevokeAsync(session.Handle, rotated + TimeSpan.FromMinutes(1), RevocationReasons.SignedOut, None));

        SessionRecord expected = session with
        {
            SecretHash = next,
            PreviousSecretHash = session.SecretHash,
            SecretRotatedAt = rotated,
            Generation = 1,
            RotatedBy = client,
            LastSeenAt = rotated,
            IdleExpiresAt = rotated + TimeSpan.FromHours(1),
            FlaggedAt = rotated,
            FlagReason = "ip_changed",
            RevokedAt = rotated + TimeSpan.FromMinutes(1),
            RevocationReason = RevocationReasons.SignedOut,
        };
        AssertSame(expected, await store.FindByHandleAsync(session.Handle, None));
        AssertSame(expected, await store.FindByPreviousSecretHashAsync(session.SecretHash, None));
        Assert.Null(await store.FindBySecretHashAsync(session.SecretHash, None));
    }

    [Fact]
    public async Task TimesWithAnOffsetComeBackAsTheSameInstant()
    {
        var store = new InMemorySessionStore();
        SessionRecord session = Record("user-1", null, null) with { CreatedAt = new DateTimeOffset(2030, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)) };
        await store.CreateAsync(session, None);

        SessionRecord? found = await store.FindByHandleAsync(session.Handle, None);

        Assert.Equal(Start.UtcTicks, found!.CreatedAt.UtcTicks);
    }

    [Fact]
    public async Task EqualUserAgentsAndUserIdsAreStoredOnce()
    {
        var store = new InMemorySessionStore();
        // Two requests bring two instances of the same text.
        SessionRecord laptop = Record(new string("user-1".AsSpan()), "192.0.2.1", new string(Chrome.AsSpan()));
        SessionRecord phone = Record(new string("user-1".AsSpan()), "192.0.2.2", new string(Chrome.AsSpan()));
        Assert.False(ReferenceEquals(laptop.UserAgent, phone.UserAgent));
        await store.CreateAsync(laptop, None);
        await store.CreateAsync(phone, None);

        SessionRecord a = (await store.FindByHandleAsync(laptop.Handle, None))!;
        SessionRecord b = (await store.FindByHandleAsync(phone.Handle, None))!;

        Assert.Same(a.UserAgent, b.UserAgent);
        Assert.Same(a.UserId, b.UserId);
    }

    [Fact]
    public async Task NoSessionEverReadsAnotherSessionsStrings()
    {
        // More distinct user agents than the pool has slots: every slot is reused many times.
        var store = new InMemorySessionStore();
        int count = store.Strings.Capacity * 3;
        SessionRecord[] sessions = [.. Enumerable.Range(0, count).Select(i => Record($"user-{i % 7}", "192.0.2.1", $"{Chrome} build/{i}") with { AuthenticationMethods = $"pwd otp{i % 5}" })];
        foreach (SessionRecord session in sessions)
        {
            await store.CreateAsync(session, None);
        }

        foreach (SessionRecord session in sessions)
        {
            SessionRecord found = (await store.FindBySecretHashAsync(session.SecretHash, None))!;
            Assert.Equal(session.UserAgent, found.UserAgent);
            Assert.Equal(session.UserId, found.UserId);
            Assert.Equal(session.AuthenticationMethods, found.AuthenticationMethods);
        }

        Assert.True(store.Strings.Count <= store.Strings.Capacity);
        Assert.Equal(count, (await Task.WhenAll(Enumerable.Range(0, 7).Select(u => store.ListActiveForUserAsync($"user-{u}", Start, None).AsTask()))).Sum(l => l.Count));
    }

    [Fact]
    public void ThePoolHoldsAtMostItsCapacityAndOnlyReturnsEqualStrings()
    {
        var pool = new BoundedStringInternPool(8);
        for (int i = 0; i < 1000; i++)
        {
            string value = "agent " + i;
            Assert.Equal(value, pool.Intern(value));
        }

        Assert.True(pool.Count <= 8);
        string once = pool.Intern(new string('x', 3))!;
        Assert.Same(once, pool.Intern(new string('x', 3)));
        string tooLong = new('y', BoundedStringInternPool.MaximumLength + 1);
        Assert.Same(tooLong, pool.Intern(tooLong));
        Assert.NotSame(tooLong, pool.Intern(new string('y', BoundedStringInternPool.MaximumLength + 1)));
        Assert.Null(pool.Intern(null));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedStringInternPool(6));
    }

    [Fact]
    public async Task PurgedSessionsLeaveTheUserIndex()
    {
        var store = new InMemorySessionStore();
        SessionRecord first = Record("user-1", null, Chrome);
        SessionRecord second = Record("user-1", null, Chrome) with { IdleExpiresAt = Start + TimeSpan.FromDays(2), AbsoluteExpiresAt = Start + TimeSpan.FromDays(2) };
        SessionRecord third = Record("user-1", null, Chrome);
        await store.CreateAsync(first, None);
        await store.CreateAsync(second, None);
        await store.CreateAsync(third, None);

        // first and third (the list's ends) go, second (its middle) stays.
        Assert.Equal(2, await store.PurgeAsync(Start + TimeSpan.FromDays(1.5), None));

        Assert.Equal(second.Handle, Assert.Single(await store.ListActiveForUserAsync("user-1", Start, None)).Handle);
        Assert.Equal(1, await store.RevokeAllForUserAsync("user-1", null, Start, RevocationReasons.SignedOutEverywhere, None));
        Assert.Equal(1, await store.PurgeAsync(Start + TimeSpan.FromDays(3), None));
        Assert.Empty(await store.ListActiveForUserAsync("user-1", Start, None));
        Assert.Equal(0, store.EntryCount);

        await store.CreateAsync(Record("user-1", null, Chrome), None);
        Assert.Single(await store.ListActiveForUserAsync("user-1", Start, None));
    }

    [Fact]
    public async Task ASecretHashThatIsNot32BytesLongStillWorks()
    {
        var store = new InMemorySessionStore();
        SessionRecord session = Record("user-1", null, null) with { SecretHash = new byte[] { 1, 2, 3 } };
        await store.CreateAsync(session, None);

        AssertSame(session, await store.FindBySecretHashAsync(new byte[] { 1, 2, 3 }, None));
        Assert.True(await store.TryRotateSecretAsync(session.Handle, new byte[] { 1, 2, 3 }, RandomNumberGenerator.GetBytes(32), Start, Start + TimeSpan.FromHours(1), null, None));
        Assert.Null(await store.FindBySecretHashAsync(new byte[] { 1, 2, 3 }, None));
        Assert.NotNull(await store.FindByPreviousSecretHashAsync(new byte[] { 1, 2, 3 }, None));
    }
    [Theory]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAB", "AAAAAAAAAAAAAAAAAAAAAA")] // same 16 bytes, unused bits set: not the canonical text
    [InlineData("session-1", "session-2")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAA==", "AAAAAAAAAAAAAAAAAAAAAA")] // padded
    public async Task HandlesOfAnyFormComeBackAsGivenAndOnlyMatchThemselves(string handle, string other)
    {
        var store = new InMemorySessionStore();
        SessionRecord session = Record("user-1", null, null) with { Handle = handle };
        await store.CreateAsync(session, None);

        AssertSame(session, await store.FindByHandleAsync(handle, None));
        Assert.Equal(handle, (await store.FindBySecretHashAsync(session.SecretHash, None))!.Handle);
        Assert.Null(await store.FindByHandleAsync(other, None));
        Assert.True(await store.RevokeAsync(handle, Start, RevocationReasons.SignedOut, None));

        SessionRecord canonical = Record("user-1", null, null) with { Handle = "AAAAAAAAAAAAAAAAAAAAAA" };
        await store.CreateAsync(canonical, None);
        AssertSame(canonical, await store.FindByHandleAsync("AAAAAAAAAAAAAAAAAAAAAA", None));
        Assert.Equal(handle, (await store.FindByHandleAsync(handle, None))!.Handle);
    }
}
