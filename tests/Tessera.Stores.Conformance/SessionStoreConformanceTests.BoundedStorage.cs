using Tessera.Sessions;

namespace Tessera.Stores.Conformance;

/// <summary>
/// Issue #14 finding 5: what one session makes the store hold does not grow with its refreshes.
/// Every backend says how many rows or keys it holds (<see cref="StoredEntriesAsync"/>); a
/// session refreshed a hundred times holds exactly what it held after its first refresh.
/// </summary>
public abstract partial class SessionStoreConformanceTests
{
    /// <summary>Every row (SQL: every table but the migrations') or key (Redis: under the store's prefix) the store holds now.</summary>
    protected abstract ValueTask<long> StoredEntriesAsync();

    /// <summary>Whether a revoked session leaves an entry on a revocation list that outlives its purge (Redis).</summary>
    protected virtual bool PurgeLeavesRevocationListEntries => false;

    [Fact]
    public async Task StorageOfASessionStaysConstantHoweverOftenItRotates()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, SessionKinds.Token, TimeSpan.FromDays(14), TimeSpan.FromDays(30), None);
        var rotation = (ISessionSecretRotation)Store;
        byte[] current = issued.Session.SecretHash.ToArray();
        async Task RotateAsync()
        {
            byte[] next = SessionSecret.Generate().Hash;
            Assert.True(await rotation.TryRotateSecretAsync(issued.Session.Handle, current, next, Clock.Now(Time), issued.Session.IdleExpiresAt, None));
            current = next;
        }

        await RotateAsync();
        long afterOne = await StoredEntriesAsync();
        for (int i = 0; i < 100; i++)
        {
            await RotateAsync();
        }

        Assert.Equal(afterOne, await StoredEntriesAsync());
    }
}
