using System.Net;
using Tessera.Testing.Servers;

namespace Tessera.Server.Tests.KeyEncryption;

/// <summary>
/// Issue #14 finding 3: the Data Protection keys that protect the signing keys must not sit in
/// plaintext next to the data. Outside Development the real program refuses to start without a
/// key-encryption key, and says which setting to give; Development still starts with nothing set.
/// </summary>
public sealed class KeyEncryptionStartTests
{
    private static readonly Dictionary<string, string> NoKeyEncryption = new()
    {
        [TestKeyEncryption.ToEnvironment(TestKeyEncryption.PathKey)] = "",
        [TestKeyEncryption.ToEnvironment(TestKeyEncryption.PasswordKey)] = "",
    };

    [Fact]
    public async Task ProductionWithoutAKeyEncryptionKeyRefusesToStartAndNamesTheSetting()
    {
        await using ServerProcess server = ServerProcess.Start(new Dictionary<string, string>(NoKeyEncryption) { ["ASPNETCORE_ENVIRONMENT"] = "Production" });

        Assert.Equal(2, await server.ExitCodeAsync());
        Assert.Contains("Tessera:KeyEncryption:CertificatePath", server.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(" at System.", server.Errors + server.Output, StringComparison.Ordinal);
        // Nothing was written in plaintext before the refusal.
        string keys = Path.Combine(server.DataDirectory, "keys");
        Assert.False(Directory.Exists(keys) && Directory.EnumerateFiles(keys).Any());
    }

    [Fact]
    public async Task ACertificateThatCannotBeOpenedRefusesTheStartWithoutEchoingThePassword()
    {
        const string wrongPassword = "not-the-password-0123";
        await using ServerProcess server = ServerProcess.Start(new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            [TestKeyEncryption.ToEnvironment(TestKeyEncryption.PasswordKey)] = wrongPassword,
        });

        Assert.Equal(2, await server.ExitCodeAsync());
        Assert.Contains("Tessera:KeyEncryption:CertificatePath", server.Errors, StringComparison.Ordinal);
        Assert.Contains(TestKeyEncryption.Default.Path, server.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongPassword, server.Errors + server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingKeyEncryptionKeyAndAnotherBadSettingAreBothNamedWithoutAStackTrace()
    {
        await using ServerProcess server = ServerProcess.Start(new Dictionary<string, string>(NoKeyEncryption) { ["ASPNETCORE_ENVIRONMENT"] = "Production" }, "--Tessera:Sessions:IdleTimeout", "-00:01:00");

        Assert.Equal(2, await server.ExitCodeAsync());
        Assert.Contains("Tessera:KeyEncryption:CertificatePath", server.Errors, StringComparison.Ordinal);
        Assert.Contains("Tessera:Sessions", server.Errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", server.Errors + server.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(" at Microsoft.", server.Errors + server.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevelopmentStartsWithoutAKeyEncryptionKey()
    {
        await using ServerProcess server = ServerProcess.Start(new Dictionary<string, string>(NoKeyEncryption) { ["ASPNETCORE_ENVIRONMENT"] = "Development" });
        using var client = new HttpClient { BaseAddress = await server.ListeningAsync() };

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/healthz")).StatusCode);
    }
}
