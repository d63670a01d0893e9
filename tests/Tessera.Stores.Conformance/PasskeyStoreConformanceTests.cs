using System.Buffers.Text;
using System.Security.Cryptography;
using Tessera.Passkeys;

namespace Tessera.Stores.Conformance;

/// <summary>
/// What every <see cref="IPasskeyStore"/> must do: keep every field, refuse a credential id already
/// registered to any account (WebAuthn §7.1 step 25), record a use only over the counter the
/// assertion was checked against (WebAuthn §6.1.1), and let a user rename or remove only their own
/// passkeys. A backend's test project subclasses it.
/// </summary>
public abstract class PasskeyStoreConformanceTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    private IPasskeyStore? _store;

    protected IPasskeyStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>A new, empty store.</summary>
    protected abstract ValueTask<IPasskeyStore> CreateStoreAsync();

    /// <summary>A second store over the same data with its own connections, as another server instance has; by default <see cref="Store"/>.</summary>
    protected virtual ValueTask<IPasskeyStore> OpenSecondInstanceAsync() => ValueTask.FromResult(Store);

    protected virtual ValueTask DisposeStoreAsync() => ValueTask.CompletedTask;

    public async Task InitializeAsync() => _store = await CreateStoreAsync();

    public async Task DisposeAsync() => await DisposeStoreAsync();

    private static CancellationToken None => CancellationToken.None;

    /// <summary>A random credential id of <paramref name="length"/> bytes, base64url as WebAuthn's JSON carries it.</summary>
    protected static string NewCredentialId(int length = 16) => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(length));

    /// <summary>A passkey with a value in every field, none of them a default.</summary>
    protected static PasskeyCredential NewPasskey(string userId, string? credentialId = null, DateTimeOffset? createdAt = null) => new()
    {
        CredentialId = credentialId ?? NewCredentialId(),
        UserId = userId,
        // Not a real COSE key: the store keeps bytes, it does not parse them.
        PublicKey = RandomNumberGenerator.GetBytes(77),
        SignCount = 7,
        Transports = ["internal", "hybrid"],
        BackupEligible = true,
        BackedUp = true,
        Aaguid = Guid.Parse("ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4"),
        AttestationFormat = "packed",
        Name = "Laptop",
        CreatedAt = createdAt ?? Now,
        LastUsedAt = Now.AddMinutes(5),
    };

    private static void AssertSame(PasskeyCredential expected, PasskeyCredential? found)
    {
        Assert.NotNull(found);
        Assert.Equal(expected.CredentialId, found.CredentialId);
        Assert.Equal(expected.UserId, found.UserId);
        Assert.Equal(expected.PublicKey.ToArray(), found.PublicKey.ToArray());
        Assert.Equal(expected.SignCount, found.SignCount);
        Assert.Equal(expected.Transports, found.Transports);
        Assert.Equal(expected.BackupEligible, found.BackupEligible);
        Assert.Equal(expected.BackedUp, found.BackedUp);
        Assert.Equal(expected.Aaguid, found.Aaguid);
        Assert.Equal(expected.AttestationFormat, found.AttestationFormat);
        Assert.Equal(expected.Name, found.Name);
        Assert.Equal(expected.CreatedAt, found.CreatedAt);
        Assert.Equal(expected.LastUsedAt, found.LastUsedAt);
        Assert.Equal(PasskeyCredential.CurrentFormatVersion, found.FormatVersion);
    }

    [Fact]
    public async Task AnAddedPasskeyIsFoundWithEveryField()
    {
        PasskeyCredential passkey = NewPasskey("user-a");

        Assert.True(await Store.AddAsync(passkey, None));

        AssertSame(passkey, await Store.FindAsync(passkey.CredentialId, None));
    }

    [Fact]
    public async Task APasskeyWithDefaultsRoundTrips()
    {
        var passkey = new PasskeyCredential
        {
            CredentialId = NewCredentialId(),
            UserId = "user-a",
            PublicKey = RandomNumberGenerator.GetBytes(32),
            SignCount = 0,
            BackupEligible = false,
            BackedUp = false,
            Name = "",
            CreatedAt = Now,
        };

        Assert.True(await Store.AddAsync(passkey, None));

        PasskeyCredential? found = await Store.FindAsync(passkey.CredentialId, None);
        AssertSame(passkey, found);
        Assert.Empty(found!.Transports);
        Assert.Equal(Guid.Empty, found.Aaguid);
        Assert.Equal("none", found.AttestationFormat);
        Assert.Null(found.LastUsedAt);
    }

    [Fact]
    public async Task AnUnknownCredentialIdIsNotFound()
    {
        await Store.AddAsync(NewPasskey("user-a"), None);

        Assert.Null(await Store.FindAsync(NewCredentialId(), None));
        Assert.Empty(await Store.ListAsync("user-nobody", None));
    }

    [Fact]
    public async Task ARegisteredCredentialIdIsRefusedForAnyAccountAndTheFirstStays()
    {
        PasskeyCredential first = NewPasskey("user-a");
        Assert.True(await Store.AddAsync(first, None));

        Assert.False(await Store.AddAsync(NewPasskey("user-b", first.CredentialId) with { Name = "Stolen id" }, None));
        Assert.False(await Store.AddAsync(NewPasskey("user-a", first.CredentialId) with { Name = "Again" }, None));

        AssertSame(first, await Store.FindAsync(first.CredentialId, None));
        Assert.Empty(await Store.ListAsync("user-b", None));
        Assert.Single(await Store.ListAsync("user-a", None));
    }

    [Fact]
    public async Task CredentialIdsAreCaseSensitive()
    {
        // base64url is case-sensitive: "abc" and "ABC" are different credentials, whatever a collation says.
        PasskeyCredential lower = NewPasskey("user-a", "abcdefgh");
        PasskeyCredential upper = NewPasskey("user-b", "ABCDEFGH");

        Assert.True(await Store.AddAsync(lower, None));
        Assert.True(await Store.AddAsync(upper, None));

        Assert.Equal("user-a", (await Store.FindAsync("abcdefgh", None))?.UserId);
        Assert.Equal("user-b", (await Store.FindAsync("ABCDEFGH", None))?.UserId);
        Assert.Null(await Store.FindAsync("AbCdEfGh", None));
    }

    [Fact]
    public async Task ConcurrentRegistrationsOfOneIdFromTwoInstancesHaveOneWinner()
    {
        string id = NewCredentialId();
        IPasskeyStore second = await OpenSecondInstanceAsync();

        bool[] added = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
            await (i % 2 == 0 ? Store : second).AddAsync(NewPasskey("user-" + i, id), None))));

        Assert.Equal(1, added.Count(won => won));
        string winner = "user-" + Array.IndexOf(added, true);
        Assert.Equal(winner, (await Store.FindAsync(id, None))?.UserId);
    }

    [Fact]
    public async Task AUsersPasskeysAreListedOldestFirstAndNoOneElses()
    {
        PasskeyCredential newest = NewPasskey("user-a", createdAt: Now.AddDays(2));
        PasskeyCredential oldest = NewPasskey("user-a", createdAt: Now.AddDays(-3));
        // Two in the same millisecond: in byte order of their ids ('B' sorts before 'a').
        PasskeyCredential sameTimeLower = NewPasskey("user-a", "aaaa-same-time", Now);
        PasskeyCredential sameTimeUpper = NewPasskey("user-a", "BBBB-same-time", Now);
        PasskeyCredential others = NewPasskey("user-b", createdAt: Now.AddDays(-10));
        foreach (PasskeyCredential passkey in new[] { newest, sameTimeLower, others, oldest, sameTimeUpper })
        {
            Assert.True(await Store.AddAsync(passkey, None));
        }

        IReadOnlyList<PasskeyCredential> listed = await Store.ListAsync("user-a", None);

        Assert.Equal([oldest.CredentialId, sameTimeUpper.CredentialId, sameTimeLower.CredentialId, newest.CredentialId], listed.Select(p => p.CredentialId));
        AssertSame(oldest, listed[0]);
        Assert.Equal([others.CredentialId], (await Store.ListAsync("user-b", None)).Select(p => p.CredentialId));
    }

    [Fact]
    public async Task AUseIsRecordedOverTheExpectedCounter()
    {
        PasskeyCredential passkey = NewPasskey("user-a") with { BackedUp = false, LastUsedAt = null };
        await Store.AddAsync(passkey, None);
        DateTimeOffset usedAt = Now.AddHours(1);

        Assert.True(await Store.RecordUseAsync(passkey.CredentialId, expectedSignCount: 7, signCount: 8, backedUp: true, usedAt, None));

        PasskeyCredential? found = await Store.FindAsync(passkey.CredentialId, None);
        AssertSame(passkey with { SignCount = 8, BackedUp = true, LastUsedAt = usedAt }, found);
    }

    [Fact]
    public async Task AUseOverAStaleCounterOrOfAnUnknownPasskeyChangesNothing()
    {
        PasskeyCredential passkey = NewPasskey("user-a");
        await Store.AddAsync(passkey, None);

        Assert.False(await Store.RecordUseAsync(passkey.CredentialId, expectedSignCount: 6, signCount: 9, backedUp: false, Now.AddHours(1), None));
        Assert.False(await Store.RecordUseAsync(NewCredentialId(), expectedSignCount: 7, signCount: 8, backedUp: false, Now.AddHours(1), None));

        AssertSame(passkey, await Store.FindAsync(passkey.CredentialId, None));
    }

    [Fact]
    public async Task AnAuthenticatorWithoutACounterRecordsEveryUseAtZero()
    {
        // WebAuthn §6.1.1: many synced passkeys report 0 every time; 0 over 0 is a use, not a clone.
        PasskeyCredential passkey = NewPasskey("user-a") with { SignCount = 0 };
        await Store.AddAsync(passkey, None);

        Assert.True(await Store.RecordUseAsync(passkey.CredentialId, 0, 0, backedUp: true, Now.AddHours(1), None));
        Assert.True(await Store.RecordUseAsync(passkey.CredentialId, 0, 0, backedUp: true, Now.AddHours(2), None));

        Assert.Equal(Now.AddHours(2), (await Store.FindAsync(passkey.CredentialId, None))?.LastUsedAt);
    }

    [Fact]
    public async Task TheLargestCounterAnAuthenticatorCanSendRoundTrips()
    {
        // The counter is an unsigned 32-bit number (WebAuthn §6.1): beyond a signed int's range.
        PasskeyCredential passkey = NewPasskey("user-a") with { SignCount = uint.MaxValue - 1 };
        await Store.AddAsync(passkey, None);

        Assert.True(await Store.RecordUseAsync(passkey.CredentialId, uint.MaxValue - 1, uint.MaxValue, backedUp: true, Now.AddHours(1), None));

        Assert.Equal(uint.MaxValue, (await Store.FindAsync(passkey.CredentialId, None))?.SignCount);
    }

    [Fact]
    public async Task OfConcurrentUsesWithOneCounterValueExactlyOneIsRecorded()
    {
        PasskeyCredential passkey = NewPasskey("user-a");
        await Store.AddAsync(passkey, None);
        IPasskeyStore second = await OpenSecondInstanceAsync();

        // Each contender has its own counter, time and backup state, so a mix of two would show.
        (uint Count, DateTimeOffset At, bool BackedUp)[] contenders = [.. Enumerable.Range(1, 16)
            .Select(i => ((uint)(7 + i), Now.AddSeconds(i), i % 2 == 0))];
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<bool>[] racing = [.. contenders.Select((c, i) => Task.Run(async () =>
        {
            await start.Task;
            return await (i % 2 == 0 ? Store : second).RecordUseAsync(passkey.CredentialId, 7, c.Count, c.BackedUp, c.At, None);
        }))];
        start.SetResult();
        bool[] results = await Task.WhenAll(racing);

        Assert.Equal(1, results.Count(won => won));
        (uint count, DateTimeOffset at, bool backedUp) = contenders[Array.IndexOf(results, true)];
        PasskeyCredential? stored = await Store.FindAsync(passkey.CredentialId, None);
        AssertSame(passkey with { SignCount = count, LastUsedAt = at, BackedUp = backedUp }, stored);
    }

    [Fact]
    public async Task TheOwnerRenamesTheirPasskey()
    {
        PasskeyCredential passkey = NewPasskey("user-a");
        await Store.AddAsync(passkey, None);

        Assert.True(await Store.RenameAsync("user-a", passkey.CredentialId, "Zoë's 🔑 Ключ «travel»", None));

        AssertSame(passkey with { Name = "Zoë's 🔑 Ключ «travel»" }, await Store.FindAsync(passkey.CredentialId, None));
    }

    [Fact]
    public async Task AnotherUserCannotRenameOrDeleteAPasskeyTheyDoNotOwn()
    {
        PasskeyCredential passkey = NewPasskey("user-a");
        await Store.AddAsync(passkey, None);

        Assert.False(await Store.RenameAsync("user-b", passkey.CredentialId, "Mine now", None));
        Assert.False(await Store.DeleteAsync("user-b", passkey.CredentialId, None));
        // A user id that differs only in case is another user.
        Assert.False(await Store.DeleteAsync("USER-A", passkey.CredentialId, None));

        AssertSame(passkey, await Store.FindAsync(passkey.CredentialId, None));
        Assert.Single(await Store.ListAsync("user-a", None));
    }

    [Fact]
    public async Task RenamingOrDeletingAnUnknownPasskeyIsFalse()
    {
        await Store.AddAsync(NewPasskey("user-a"), None);

        Assert.False(await Store.RenameAsync("user-a", NewCredentialId(), "Ghost", None));
        Assert.False(await Store.DeleteAsync("user-a", NewCredentialId(), None));
        Assert.Single(await Store.ListAsync("user-a", None));
    }

    [Fact]
    public async Task TheOwnerDeletesTheirPasskeyAndItsIdIsFreeAgain()
    {
        PasskeyCredential kept = NewPasskey("user-a", createdAt: Now.AddDays(-1));
        PasskeyCredential removed = NewPasskey("user-a");
        await Store.AddAsync(kept, None);
        await Store.AddAsync(removed, None);

        Assert.True(await Store.DeleteAsync("user-a", removed.CredentialId, None));
        Assert.False(await Store.DeleteAsync("user-a", removed.CredentialId, None));

        Assert.Null(await Store.FindAsync(removed.CredentialId, None));
        Assert.Equal([kept.CredentialId], (await Store.ListAsync("user-a", None)).Select(p => p.CredentialId));
        Assert.True(await Store.AddAsync(NewPasskey("user-b", removed.CredentialId), None));
    }

    [Fact]
    public async Task DeletingAllOfAUsersPasskeysLeavesOtherUsersAlone()
    {
        PasskeyCredential[] mine = [NewPasskey("user-a"), NewPasskey("user-a"), NewPasskey("user-a")];
        PasskeyCredential theirs = NewPasskey("user-b");
        foreach (PasskeyCredential passkey in mine.Append(theirs))
        {
            await Store.AddAsync(passkey, None);
        }

        Assert.Equal(3, await Store.DeleteAllAsync("user-a", None));
        Assert.Equal(0, await Store.DeleteAllAsync("user-a", None));

        Assert.Empty(await Store.ListAsync("user-a", None));
        foreach (PasskeyCredential passkey in mine)
        {
            Assert.Null(await Store.FindAsync(passkey.CredentialId, None));
        }

        AssertSame(theirs, await Store.FindAsync(theirs.CredentialId, None));
    }

    [Fact]
    public async Task TheLongestCredentialIdAndALargePublicKeyRoundTrip()
    {
        // WebAuthn §4: a credential id is at most 1023 bytes (1364 base64url characters).
        string longest = NewCredentialId(1023);
        PasskeyCredential passkey = NewPasskey("user-a", longest) with { PublicKey = RandomNumberGenerator.GetBytes(16 * 1024) };

        Assert.True(await Store.AddAsync(passkey, None));
        Assert.False(await Store.AddAsync(NewPasskey("user-b", longest), None));

        AssertSame(passkey, await Store.FindAsync(longest, None));
        Assert.True(await Store.RecordUseAsync(longest, 7, 8, backedUp: true, Now.AddHours(1), None));
        Assert.True(await Store.RenameAsync("user-a", longest, "Security key", None));
        AssertSame(passkey with { SignCount = 8, LastUsedAt = Now.AddHours(1), Name = "Security key" }, Assert.Single(await Store.ListAsync("user-a", None)));
        Assert.True(await Store.DeleteAsync("user-a", longest, None));
    }

    [Fact]
    public async Task NamesAndTransportsInAnyScriptRoundTrip()
    {
        PasskeyCredential passkey = NewPasskey("user-a") with
        {
            Name = new string('é', PasskeyCredential.MaxNameLength - 2) + "🔑",
            Transports = ["internal", "smart-card", "\"quoted\", [bracketed]"],
        };

        Assert.True(await Store.AddAsync(passkey, None));

        AssertSame(passkey, await Store.FindAsync(passkey.CredentialId, None));
    }

    [Fact]
    public async Task TheStoreKeepsItsOwnCopyOfWhatItWasGiven()
    {
        byte[] key = RandomNumberGenerator.GetBytes(65);
        string[] transports = ["usb"];
        PasskeyCredential passkey = NewPasskey("user-a") with { PublicKey = key, Transports = transports };
        await Store.AddAsync(passkey, None);

        key[0] ^= 0xFF;
        transports[0] = "nfc";

        PasskeyCredential? found = await Store.FindAsync(passkey.CredentialId, None);
        Assert.NotEqual(key, found!.PublicKey.ToArray());
        Assert.Equal(["usb"], found.Transports);
    }

    [Fact]
    public async Task ARecordOfANewerFormatIsRefusedNotMisread()
    {
        // What a newer Tessera sharing the store wrote: this build cannot know what its fields mean.
        PasskeyCredential newer = NewPasskey("user-a") with { FormatVersion = PasskeyCredential.CurrentFormatVersion + 1 };
        await Store.AddAsync(newer, None);

        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await Store.FindAsync(newer.CredentialId, None));
        await Assert.ThrowsAsync<StoreUnavailableException>(async () => await Store.ListAsync("user-a", None));
    }
}
