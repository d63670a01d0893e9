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
