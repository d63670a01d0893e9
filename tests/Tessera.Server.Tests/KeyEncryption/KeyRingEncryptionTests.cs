using System.Globalization;
using System.Text.Json;
using Tessera.Server.Tests.Tokens;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.KeyEncryption;

/// <summary>
/// The Data Protection key ring (the keys that protect the signing keys and the refresh secret) is
/// stored encrypted with the configured certificate, and a new certificate can take over while
/// the keys the old one encrypted still open (Data Protection's UnprotectKeysWithAnyCertificate).
/// </summary>
public sealed class KeyRingEncryptionTests : IDisposable
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
    public async Task TheKeyFilesOfTheDataFolderHoldNoPlaintextMasterKey()
    {
        await using ServerProcess server = ServerProcess.Start();
        using var client = new HttpClient { BaseAddress = await server.ListeningAsync() };

        await client.RegisterAndSignInForTokensAsync("alice"); // the signing keys and the refresh secret are protected now

        string[] files = Directory.GetFiles(Path.Combine(server.DataDirectory, "keys"), "*.xml");
        Assert.NotEmpty(files);
        foreach (string file in files)
        {
            KeyRingXml.AssertEncrypted(await File.ReadAllTextAsync(file));
        }
    }

    [Fact]
    public async Task KeysWrittenUnderTheOldCertificateStillOpenAfterANewOneTakesOver()
    {
        TestKeyEncryption first = TestKeyEncryption.Create("CN=Tessera test KEK 1");
        TestKeyEncryption second = TestKeyEncryption.Create("CN=Tessera test KEK 2");
        JsonElement pair;
        using (TestServerFactory before = Server(first.Settings))
        {
            pair = await before.CreateBareClient().RegisterAndSignInForTokensAsync("alice");
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // the first server's connections close (and checkpoint) before the copy

        // The new certificate alone cannot open the old keys (the ring really is encrypted): the
        // real program, on a copy of the folder, refuses to start as it does when keys are lost.
        await using (ServerProcess withoutOld = ServerProcess.Start(second.EnvironmentVariables, data => DataFolderCopy.Copy(_folder, data)))
        {
            Assert.Equal(2, await withoutOld.ExitCodeAsync());
            Assert.Contains("cannot be decrypted", withoutOld.Errors, StringComparison.Ordinal);
        }

        // The rotation: the new certificate protects new keys, the old one is kept to open old ones.
        Dictionary<string, string?> rotated = second.Settings;
        rotated["Tessera:KeyEncryption:Previous:0:CertificatePath"] = first.Path;
        rotated["Tessera:KeyEncryption:Previous:0:CertificatePassword"] = first.Password;
        using TestServerFactory after = Server(rotated);
        HttpClient client = after.CreateBareClient();
        JsonElement next = await (await client.RefreshAsync(pair.Refresh())).AssertOkJsonAsync();
        await (await client.GetWithBearerAsync("/auth/me", next.Access())).AssertOkJsonAsync();
        foreach (string file in Directory.GetFiles(Path.Combine(_folder, "keys"), "*.xml"))
        {
            KeyRingXml.AssertEncrypted(await File.ReadAllTextAsync(file));
        }
    }

    [Fact]
    public async Task TheCliRefusesAnEncryptedRingWithoutTheCertificateAndKeepsItEncryptedWithIt()
    {
        string now;
        using (TestServerFactory server = Server(TestKeyEncryption.Default.Settings))
        {
            await server.CreateBareClient().RegisterAndSignInForTokensAsync("alice");
            now = server.Time.GetUtcNow().AddSeconds(2).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        }

        // Without the certificate Data Protection would take the keys for unusable and write a new one in plaintext.
        var refused = await TesseraCli.RunAsync(new Dictionary<string, string>(), "key", "rotate", "--data", _folder, "--lead", "0s", "--now", now);
        var rotated = await TesseraCli.RunAsync("key", "rotate", "--data", _folder, "--lead", "0s", "--now", now);

        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("error: key_encryption: ", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("Tessera__KeyEncryption__CertificatePath", refused.Stderr, StringComparison.Ordinal);
        Assert.True(rotated.ExitCode == 0, rotated.Stderr);
        foreach (string file in Directory.GetFiles(Path.Combine(_folder, "keys"), "*.xml"))
        {
            KeyRingXml.AssertEncrypted(await File.ReadAllTextAsync(file));
        }
    }

    private TestServerFactory Server(Dictionary<string, string?> keyEncryption) => new(keyEncryption, dataDirectory: _folder);
}
