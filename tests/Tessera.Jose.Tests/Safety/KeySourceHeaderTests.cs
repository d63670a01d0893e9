using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Tessera.Jose.Jws;
using Tessera.Jose.Keys;
using Tessera.Jose.Tests.TestData;

namespace Tessera.Jose.Tests.Safety;

/// <summary>
/// <c>jku</c>, <c>x5u</c>, <c>x5c</c> and an embedded <c>jwk</c> are never used to find keys: a
/// token cannot bring its own key. Keys come only from the caller.
/// </summary>
public class KeySourceHeaderTests
{
    private const string Payload = """{"sub":"admin"}""";

    [Fact]
    public void TokenSignedByAnAttackerKeyCarriedInItsOwnJwkHeaderIsRefused()
    {
        using ECDsa attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        ECParameters p = attacker.ExportParameters(includePrivateParameters: true);
        string embedded = $$"""{"kty":"EC","crv":"P-256","x":"{{B64.Url(p.Q.X)}}","y":"{{B64.Url(p.Q.Y)}}"}""";
        Jwk victim = TestKeys.Ec("P-256", includePrivate: false);

        // Naming the victim's kid: the victim's key is used, and the attacker's signature fails.
        string withVictimKid = Forge($$"""{"alg":"ES256","kid":"{{victim.KeyId}}","jwk":{{embedded}}}""", p);
        Assert.Equal(JoseErrorCodes.SignatureInvalid, new JwsVerifier().Verify(withVictimKid, victim).Error?.Code);

        // Naming no kid, or the attacker's own: still only the caller's keys are candidates.
        string withoutKid = Forge($$"""{"alg":"ES256","jwk":{{embedded}}}""", p);
        Assert.Equal(JoseErrorCodes.SignatureInvalid, new JwsVerifier().Verify(withoutKid, victim).Error?.Code);
        // A single chosen key is tried whatever the kid; in a set, an unknown kid finds nothing.
        string withAttackerKid = Forge($$"""{"alg":"ES256","kid":"attacker","jwk":{{embedded}}}""", p);
        Assert.Equal(JoseErrorCodes.SignatureInvalid, new JwsVerifier().Verify(withAttackerKid, victim).Error?.Code);
        Assert.Equal(JoseErrorCodes.KeyNotFound, new JwsVerifier().Verify(withAttackerKid, JwkSet.Of(victim)).Error?.Code);
    }

    [Fact]
    public void JkuAndX5uHeadersAreNeverFetched()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string url = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/keys";
        using ECDsa attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        string forged = Forge($$"""{"alg":"ES256","jku":"{{url}}","x5u":"{{url}}"}""", attacker.ExportParameters(true));
        string genuine = JwsSigner.SignWithHeader(
            System.Text.Encoding.UTF8.GetBytes($$"""{"alg":"ES256","jku":"{{url}}","x5u":"{{url}}"}"""), "{}"u8, TestKeys.Ec("P-256"));

        Jwk trusted = TestKeys.Ec("P-256", includePrivate: false);
        Assert.Equal(JoseErrorCodes.SignatureInvalid, new JwsVerifier().Verify(forged, trusted).Error?.Code);
        Assert.Null(new JwsVerifier().Verify(genuine, trusted).Error); // the members are ignored, not refused
        Assert.False(listener.Pending(), "the verifier connected to a URL from the token");
    }

    [Fact]
    public void X5cCertificateInTheHeaderIsNeverTrusted()
    {
        using ECDsa attacker = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=attacker", attacker, HashAlgorithmName.SHA256);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        string x5c = Convert.ToBase64String(certificate.RawData);

        string forged = Forge($$"""{"alg":"ES256","x5c":["{{x5c}}"]}""", attacker.ExportParameters(true));
        Assert.Equal(JoseErrorCodes.SignatureInvalid, new JwsVerifier().Verify(forged, TestKeys.Ec("P-256", includePrivate: false)).Error?.Code);
    }

    private static string Forge(string header, ECParameters key)
    {
        string input = RawJws.SigningInput(header, Payload);
        return input + "." + B64.Url(RawJws.EcdsaSignature(input, key, HashAlgorithmName.SHA256));
    }
}
