using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Cluster.Tests.Deploy;

/// <summary>
/// A self-signed TLS certificate for localhost made with .NET's <see cref="CertificateRequest"/>,
/// written as PEM files for nginx into a temporary folder deleted on dispose.
/// </summary>
internal sealed class SelfSignedTls : IDisposable
{
    private SelfSignedTls(string folder, X509Certificate2 certificate)
    {
        Folder = folder;
        Certificate = certificate;
    }

    public string Folder { get; }

    public X509Certificate2 Certificate { get; }

    public string CertificatePath => Path.Combine(Folder, "fullchain.pem");

    public string KeyPath => Path.Combine(Folder, "privkey.pem");

    public static SelfSignedTls Create()
    {
        string folder = Path.Combine(Path.GetTempPath(), "tessera-cluster-tests", "tls-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        X509Certificate2 certificate = request.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(1));
        var tls = new SelfSignedTls(folder, certificate);
        File.WriteAllText(tls.CertificatePath, certificate.ExportCertificatePem());
        File.WriteAllText(tls.KeyPath, key.ExportPkcs8PrivateKeyPem());
        return tls;
    }

    /// <summary>True for exactly this certificate: what a client that trusts it alone accepts.</summary>
    public bool IsThisCertificate(X509Certificate? presented) =>
        presented is not null && presented.GetCertHash(HashAlgorithmName.SHA256).AsSpan().SequenceEqual(Certificate.GetCertHash(HashAlgorithmName.SHA256));

    public void Dispose()
    {
        Certificate.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
