using Microsoft.Data.Sqlite;
using Tessera.Sessions;

namespace Tessera.Sqlite.Tests;

/// <summary>
/// The read cache of <see cref="SqliteSessionStore.FindByHandleAsync"/>: a repeated look-up is served
/// from memory, and a commit to the file by anyone — this store, another store over the file (another
/// server), or a connection of its own as the CLI opens — is seen on the very next look-up.
/// </summary>
public sealed class SqliteSessionReadCacheTests : IAsyncLifetime
{
    private static readonly SessionClient Laptop = new("192.0.2.10", "Laptop/1.0");

    private TemporaryDatabase? _database;
    private SqliteSessionStore? _store;

    private SqliteSessionStore Store => _store!;

    private SessionService Sessions => new(Store, new TesseraSessionOptions(), TimeProvider.System);

    public async Task InitializeAsync()
    {
        _database = await TemporaryDatabase.CreateAsync();
        _store = new SqliteSessionStore(_database.Database);
    }

    public async Task DisposeAsync()
    {
        _store?.Dispose();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [Fact]
    public async Task ARepeatedLookUpIsServedFromMemoryWhileTheFileIsUnchanged()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, CancellationToken.None);

        SessionRecord? first = await Store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None);
        SessionRecord? second = await Store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None);

        Assert.NotNull(first);
        Assert.Same(first, second);
        Assert.Equal(1, Store.CachedSessions);
    }

    [Fact]
    public async Task ARevocationThroughTheSameStoreIsSeenOnTheNextLookUp()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, CancellationToken.None);
        Assert.Null((await Store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None))!.RevokedAt);

        Assert.True(await Store.RevokeAsync(issued.Session.Handle, DateTimeOffset.UtcNow, RevocationReasons.SignedOut, CancellationToken.None));

        Assert.NotNull((await Store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None))!.RevokedAt);
    }

    [Fact]
    public async Task ARevocationByAnotherStoreOverTheFileIsSeenOnTheNextLookUp()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, CancellationToken.None);
        Assert.Null((await Store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None))!.RevokedAt);

        // Another server instance: its own SqliteDatabase and store over the same file.
        using var other = new SqliteSessionStore(new SqliteDatabase(_database!.Database.Path));
        Assert.True(await other.RevokeAsync(issued.Session.Handle, DateTimeOffset.UtcNow, RevocationReasons.SignedOut, CancellationToken.None));

        Assert.NotNull((await Store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None))!.RevokedAt);
    }

    [Fact]
    public async Task AWriteByAConnectionOfItsOwnIsSeenOnTheNextLookUp()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, CancellationToken.None);
        for (int i = 0; i < 3; i++)
        {
            Assert.Null((await Store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None))!.RevokedAt);
        }

        Assert.Equal(1, await ExecuteOnItsOwnConnectionAsync("UPDATE sessions SET revoked_at = 1, revoked_reason = 'cli' WHERE handle = @handle;", issued.Session.Handle));

        SessionRecord? after = await Store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None);
        Assert.NotNull(after!.RevokedAt);
        Assert.Equal("cli", after.RevocationReason);
    }

    [Fact]
    public async Task ASessionDeletedByAConnectionOfItsOwnIsNotFoundFromMemory()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, CancellationToken.None);
        Assert.NotNull(await Store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None));

        Assert.Equal(1, await ExecuteOnItsOwnConnectionAsync("DELETE FROM sessions WHERE handle = @handle;", issued.Session.Handle));

        Assert.Null(await Store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None));
    }

    [Fact]
    public async Task AfterDisposeLookUpsStillReadTheTable()
    {
        IssuedSession issued = await Sessions.CreateAsync("user-1", Laptop, CancellationToken.None);
        Assert.NotNull(await Store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None));

        Store.Dispose();
        Assert.True(await Store.RevokeAsync(issued.Session.Handle, DateTimeOffset.UtcNow, RevocationReasons.SignedOut, CancellationToken.None));

        Assert.NotNull((await Store.FindByHandleAsync(issued.Session.Handle, CancellationToken.None))!.RevokedAt);
        Assert.Equal(0, Store.CachedSessions);
    }

    [Fact]
    public async Task ConcurrentLookUpsEachSeeACommitMadeBeforeTheyStarted()
    {
        // Concurrent look-ups check the file on watchers of their own; a commit by another server
        // must still be seen by every look-up that starts after it, whichever watcher it checks on.
        using var other = new SqliteSessionStore(new SqliteDatabase(_database!.Database.Path));
        for (int round = 0; round < 10; round++)
        {
            IssuedSession issued = await Sessions.CreateAsync("user-" + round, Laptop, CancellationToken.None);
            SessionRecord?[] before = await LookUpsAtOnceAsync(issued.Session.Handle, 16);
            Assert.All(before, s => Assert.Null(s!.RevokedAt));

            Assert.True(await other.RevokeAsync(issued.Session.Handle, DateTimeOffset.UtcNow, RevocationReasons.SignedOut, CancellationToken.None));

            SessionRecord?[] after = await LookUpsAtOnceAsync(issued.Session.Handle, 16);
            Assert.All(after, s => Assert.NotNull(s!.RevokedAt));
        }

        Assert.InRange(Store.OpenReadWatchers, 1, SqliteSessionReadCache.MaxWatchers);
    }

    private Task<SessionRecord?[]> LookUpsAtOnceAsync(string handle, int count) =>
        Task.WhenAll(Enumerable.Range(0, count).Select(_ => Task.Run(async () => await Store.FindByHandleAsync(handle, CancellationToken.None))));

    // As the CLI writes the file: a connection outside any pool, a plain statement.
    private async Task<int> ExecuteOnItsOwnConnectionAsync(string sql, string handle)
    {
        string connectionString = new SqliteConnectionStringBuilder { DataSource = _database!.Database.Path, Pooling = false }.ToString();
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("@handle", handle);
        return await command.ExecuteNonQueryAsync();
    }
}
