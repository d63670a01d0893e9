using System.Security.Cryptography;
using Tessera.Sessions;

namespace Tessera.Tests.Sessions;

public class SessionSecretTests
{
    [Fact]
    public void SecretCarriesTwoHundredFiftySixRandomBitsAndOnlyItsHashIsKept()
    {
        (string secret, byte[] hash) = SessionSecret.Generate();

        Assert.Equal(43, secret.Length);
        byte[] raw = System.Buffers.Text.Base64Url.DecodeFromChars(secret);
        Assert.Equal(32, raw.Length);
        Assert.Equal(SHA256.HashData(raw), hash);
    }

    [Fact]
    public void SecretsDoNotRepeat()
    {
        HashSet<string> secrets = Enumerable.Range(0, 1000).Select(_ => SessionSecret.Generate().Secret).ToHashSet(StringComparer.Ordinal);

        Assert.Equal(1000, secrets.Count);
    }

    [Fact]
    public void IssuedSecretHashesToItsStoredHash()
    {
        (string secret, byte[] hash) = SessionSecret.Generate();
        byte[] computed = new byte[32];

        Assert.True(SessionSecret.TryHash(secret, computed));
        Assert.Equal(hash, computed);
    }

    [Fact]
    public void PresentedSecretsHashExactlyAsDotNetsSha256Does()
    {
        // Stored hashes were made with System.Security.Cryptography; the per-request hash (libsodium) must equal them.
        for (int i = 0; i < 200; i++)
        {
            byte[] raw = RandomNumberGenerator.GetBytes(32);
            byte[] computed = new byte[32];

            Assert.True(SessionSecret.TryHash(System.Buffers.Text.Base64Url.EncodeToString(raw), computed));
            Assert.Equal(SHA256.HashData(raw), computed);
        }
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")]
    public void MalformedSecretsAreRefusedBeforeAnyLookUp(string? presented)
    {
        Assert.False(SessionSecret.TryHash(presented, new byte[32]));
    }
}
