using System.Text.Json;
using System.Xml.Linq;
using Tessera.Server.Tests.Tokens;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.KeyEncryption;

/// <summary>
/// A key ring written without a key-encryption certificate (a Development folder, or an older
/// version) and then started with one: Data Protection never re-encrypts a stored key, so without
/// help the plaintext key would stay the default and protect new secrets for months.
/// </summary>
public sealed class PlaintextKeyUpgradeTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "tessera-server-tests", Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    [Fact]
    public async Task AnEncryptedRingIsLeftAsItIs()
    {
        using (var first = new TestServerFactory(dataDirectory: _folder))
        {
            await first.CreateBareClient().RegisterAndSignInForTokensAsync("alice");
        }

        using (var second = new TestServerFactory(dataDirectory: _folder))
        {
            await second.CreateBareClient().SignInForTokensAsync("alice");
        }

        // Its keys carry Data Protection's encryptedSecret (in its own XML namespace): no replacement key.
        KeyRingXml.AssertEncrypted(await File.ReadAllTextAsync(Assert.Single(Directory.GetFiles(Path.Combine(_folder, "keys"), "*.xml"))));
    }

    [Fact]
    public async Task StartingWithACertificateMakesAnEncryptedKeyTheDefaultAndKeepsOldSessions()
    {
        JsonElement pair;
        var withoutCertificate = new Dictionary<string, string?> { [TestKeyEncryption.PathKey] = null, [TestKeyEncryption.PasswordKey] = null };
        using (var development = new TestServerFactory(withoutCertificate, dataDirectory: _folder, environment: "Development"))
        {
            pair = await development.CreateBareClient().RegisterAndSignInForTokensAsync("alice");
        }

        string keys = Path.Combine(_folder, "keys");
        string plaintextFile = Assert.Single(Directory.GetFiles(keys, "*.xml"));
        Assert.Contains("<masterKey", await File.ReadAllTextAsync(plaintextFile), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(plaintextFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        using var production = new TestServerFactory(dataDirectory: _folder);
        HttpClient client = production.CreateBareClient();
        JsonElement next = await (await client.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();
        await (await client.GetWithBearerAsync("/auth/me", next.Access())).AssertOkJsonAsync();

        // The newest key (the default from now on) is encrypted; the plaintext one stays so old secrets open.
        XElement newest = Directory.GetFiles(keys, "*.xml").Select(XElement.Load)
            .OrderByDescending(key => DateTimeOffset.Parse((string)key.Element("activationDate")!, System.Globalization.CultureInfo.InvariantCulture))
            .First();
        KeyRingXml.AssertEncrypted(newest.ToString());
        Assert.Equal(2, Directory.GetFiles(keys, "*.xml").Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(plaintextFile));
        }
    }
}
