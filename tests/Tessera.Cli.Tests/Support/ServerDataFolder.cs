using Tessera.OAuth;
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
    }

    public string Path { get; }

    public IClientStore Clients { get; }

    public IUserStore Users { get; }

    public static async Task<ServerDataFolder> CreateAsync()
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tessera-cli-data-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        var database = new SqliteDatabase(new TesseraDataFolder(path).DatabasePath);
        await database.MigrateAsync(TesseraSqliteSchema.Migrations, default);
        return new ServerDataFolder(path, database);
    }

    /// <summary>Adds a user (as registration would, with a placeholder hash); the user's id.</summary>
    public async Task<string> AddUserAsync(string username)
    {
        var user = new UserRecord
        {
            Id = RandomIds.New128(),
            Username = username,
            NormalizedUsername = UsernameRules.Normalize(username),
            PasswordHash = "$argon2id$v=19$m=1024,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2g",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        Assert.True(await Users.TryCreateAsync(user, default));
        return user.Id;
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
