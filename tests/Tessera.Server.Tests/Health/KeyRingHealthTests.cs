using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Tessera.Keys;
using Tessera.Server.Tests.Tokens;
using Tessera.Sqlite;

namespace Tessera.Server.Tests.Health;

/// <summary>The Data Protection keys of a real data folder go away under a running server: readiness says so, with the reason.</summary>
public sealed class KeyRingHealthTests : IDisposable
{
    private readonly TestServerFactory _server = new();

    public void Dispose() => _server.Dispose();

    private string KeysFolder => new TesseraDataFolder(_server.DataDirectory).KeysPath;

    [Fact]
    public async Task EmptiedKeysFolderMakesReadinessUnhealthyNamingTheKeyRingWithoutASecretAndRestoringItHeals()
    {
        HttpClient client = _server.CreateBareClient();
        // A signed-in user: the ring has signed with its current key, so everything is decrypted and cached in memory.
        string access = (await client.RegisterAndSignInForTokensAsync("alice")).Access();
        JsonElement before = await (await client.GetAsync("/health/ready")).AssertReportAsync(HttpStatusCode.OK, "Healthy");
        Assert.Equal("Healthy", before.Check("keyring").GetProperty("status").GetString());

        string backup = Path.Combine(_server.DataDirectory, "keys-backup");
        Directory.CreateDirectory(backup);
        string[] keyFiles = Directory.GetFiles(KeysFolder, "*.xml");
        Assert.NotEmpty(keyFiles);
        List<string> secrets = [.. keyFiles.Select(File.ReadAllText).SelectMany(SecretsOfKeyXml)];
        IReadOnlyList<SigningKeyRecord> records = await _server.Services.GetRequiredService<ISigningKeyStore>().ListAsync(CancellationToken.None);
        Assert.NotEmpty(secrets);
        secrets.AddRange(records.Select(r => r.ProtectedPrivate));
        foreach (string file in keyFiles)
        {
            File.Move(file, Path.Combine(backup, Path.GetFileName(file)));
        }

        HttpResponseMessage response = await client.GetAsync("/health/ready");
        string body = await response.Content.ReadAsStringAsync();
        JsonElement after = await response.AssertReportAsync(HttpStatusCode.ServiceUnavailable, "Unhealthy");

        JsonElement keyRing = after.Check("keyring");
        Assert.Equal("Unhealthy", keyRing.GetProperty("status").GetString());
        string reason = keyRing.GetProperty("reason").GetString()!;
        Assert.Contains("key ring", reason);
        Assert.Contains("Data Protection key", reason);
        Assert.Contains("missing", reason);
        Assert.Equal("Healthy", after.Check("sqlite").GetProperty("status").GetString());
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, body));
        Assert.DoesNotContain(access, body);
        JsonElement problem = await (await client.GetAsync("/healthz")).AssertProblemAsync(HttpStatusCode.ServiceUnavailable, "key_ring_unavailable");
        Assert.Contains("Data Protection key", problem.GetProperty("detail").GetString());
        // Liveness is about the process: it still answers.
        await (await client.GetAsync("/health/live")).AssertReportAsync(HttpStatusCode.OK, "Healthy");

        foreach (string file in Directory.GetFiles(backup))
        {
            File.Move(file, Path.Combine(KeysFolder, Path.GetFileName(file)));
        }

        await (await client.GetAsync("/health/ready")).AssertReportAsync(HttpStatusCode.OK, "Healthy");
    }

    // The key material of a Data Protection key file: the (encrypted) secret's text nodes.
    private static IEnumerable<string> SecretsOfKeyXml(string xml) =>
        System.Xml.Linq.XDocument.Parse(xml).Descendants()
            .Where(e => !e.HasElements && e.Value.Length >= 16 && (e.Name.LocalName is "value" or "CipherValue" or "encryptedSecret" || e.Name.LocalName.Contains("Cipher", StringComparison.Ordinal)))
            .Select(e => e.Value);
}
