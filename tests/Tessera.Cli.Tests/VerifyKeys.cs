using Tessera.Cli.Tests.Support;
using Tessera.Jose.Keys;

namespace Tessera.Cli.Tests;

/// <summary>Keys and key files shared by the verify tests (generated once per class).</summary>
public sealed class VerifyKeys : IDisposable
{
    public VerifyKeys()
    {
        Signer = Jwk.Generate("ES256", keyId: "k1");
        Imposter = Jwk.Generate("ES256", keyId: "k1"); // same kid, different key
        Second = Jwk.Generate("EdDSA", keyId: "k2");
        PublicFile = Files.Write("public.json", Signer.ToPublicJwk().ToJson());
        ImposterFile = Files.Write("imposter.json", Imposter.ToPublicJwk().ToJson());
        SetFile = Files.Write("set.json", TestTokens.PublicSet(Second, Signer));
        HmacFile = Files.Write("hmac.json", KnownKeys.Rfc7515HmacKey);
    }

    public TempFiles Files { get; } = new();

    public Jwk Signer { get; }

    public Jwk Imposter { get; }

    public Jwk Second { get; }

    public string PublicFile { get; }

    public string ImposterFile { get; }

    public string SetFile { get; }

    public string HmacFile { get; }

    public void Dispose() => Files.Dispose();
}
