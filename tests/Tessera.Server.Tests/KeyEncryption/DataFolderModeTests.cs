using Tessera.Server.Tests.Tokens;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.KeyEncryption;

/// <summary>
/// The data folder holds password hashes, sessions and the key ring: on Unix only the server's own
/// user may read it (folder 0700, the database files and the key files 0600), whatever the umask.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // Unix file modes; Windows ACLs are left to the operator
public sealed class DataFolderModeTests
{
    private const UnixFileMode OwnerFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task TheServerCreatesItsDataFolderAndFilesForItsOwnUserOnly()
    {
        await using ServerProcess server = ServerProcess.Start();
        using var client = new HttpClient { BaseAddress = await server.ListeningAsync() };
        await client.RegisterAndSignInForTokensAsync("alice"); // the key ring has written its keys

        string data = server.DataDirectory;
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(data));
        Assert.Equal(OwnerFolder, File.GetUnixFileMode(Path.Combine(data, "keys")));
        string[] databaseFiles = [.. new[] { "tessera.db", "tessera.db-wal", "tessera.db-shm" }.Select(f => Path.Combine(data, f))];
        Assert.All(databaseFiles, f => Assert.True(File.Exists(f), f));
        string[] keyFiles = Directory.GetFiles(Path.Combine(data, "keys"));
        Assert.NotEmpty(keyFiles);
        Assert.All([.. databaseFiles, .. keyFiles], f => Assert.Equal(OwnerFile, File.GetUnixFileMode(f)));
    }

    [Fact]
    public async Task AnExistingDatabaseIsTightenedAtStart()
    {
        await using ServerProcess server = ServerProcess.Start(null, data =>
        {
            // As an earlier version left it: created with the umask's 0644.
            string db = Path.Combine(data, "tessera.db");
            File.WriteAllBytes(db, []);
            File.SetUnixFileMode(db, OwnerFile | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        });
        await server.ListeningAsync();

        Assert.Equal(OwnerFile, File.GetUnixFileMode(Path.Combine(server.DataDirectory, "tessera.db")));
    }
}
