using Tessera.Audit;
using Tessera.Cli.Stores;
using Tessera.OAuth;
using Tessera.Sessions;
using Tessera.Sqlite;
using Tessera.Users;

namespace Tessera.Cli.Tests.Support;

/// <summary>
/// A real server data folder: <c>tessera.db</c> with Tessera's current schema, made with the
/// migrations the server runs at start, and stores over it to set up users and check results.
/// </summary>
public sealed class ServerDataFolder : IDisposable
{
    private readonly SqliteDatabase _database;

    private ServerDataFolder(string path, SqliteDatabase database)
    {
        Path = path;
        _database = database;
        Clients = new SqliteClientStore(database);
        Users = new SqliteUserStore(database);
        Sessions = new SessionService(new SqliteSessionStore(database), new TesseraSessionOptions(), TimeProvider.System);
    }

    public string Path { get; }

    public IClientStore Clients { get; }

    public IUserStore Users { get; }

    /// <summary>The server's session core over the same file, to sign users in and check what the CLI ended.</summary>
    public SessionService Sessions { get; }

    public static async Task<ServerDataFolder> CreateAsync()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tessera-cli-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var database = new SqliteDatabase(new TesseraDataFolder(path).DatabasePath);
        await database.MigrateAsync(TesseraSqliteSchema.Migrations, default);
        return new ServerDataFolder(path, database);
    }

    /// <summary>Adds a user (as registration would, with a placeholder hash); the user's id.</summary>
    public Task<string> AddUserAsync(string username) => AddUserAsync(username, RandomIds.New128());

    /// <summary>Adds a user with the id <paramref name="id"/>; the id.</summary>
    public async Task<string> AddUserAsync(string username, string id)
    {
        var user = new UserRecord
        {
            Id = id,
            Username = username,
            NormalizedUsername = UsernameRules.Normalize(username),
            PasswordHash = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        Assert.True(await Users.TryCreateAsync(user, default));
        return user.Id;
    }

    /// <summary>Adds a user with <paramref name="sessions"/> active sessions (as sign-in makes them); the user's id and the sessions.</summary>
    public async Task<(string Id, IssuedSession[] Sessions)> AddSignedInUserAsync(string username, int sessions)
    {
        string id = await AddUserAsync(username);
        var issued = new IssuedSession[sessions];
        for (int i = 0; i < sessions; i++)
        {
            issued[i] = await Sessions.CreateAsync(id, new SessionClient($"192.0.2.{i + 1}", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"), default);
        }

        return (id, issued);
    }

    /// <summary>The newest audit events of the folder, read with the server's own audit log.</summary>
    public async Task<IReadOnlyList<AuditEvent>> AuditEventsAsync(AuditQuery? query = null)
    {
        await using ServerStoreAccess stores = await ServerStoreAccess.OpenFolderForAdministrationAsync(Path, default);
        return (await stores.AuditLog.QueryAsync(query ?? new AuditQuery(), default)).Events;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp folder.
        }
    }
}
