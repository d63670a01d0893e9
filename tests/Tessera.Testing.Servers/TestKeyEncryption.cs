using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Tessera.Testing.Servers;

/// <summary>
/// A key-encryption certificate for servers under test: outside Development the server refuses to
/// start without one (<c>Tessera:KeyEncryption:CertificatePath</c>). A self-signed RSA certificate
/// made with <see cref="CertificateRequest"/>, written as a password-protected PKCS#12 file that is
/// deleted when the test process ends.
/// </summary>
public sealed class TestKeyEncryption
{
    public const string PathKey = "Tessera:KeyEncryption:CertificatePath";
    public const string PasswordKey = "Tessera:KeyEncryption:CertificatePassword";

    private static readonly string Folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "tessera-test-kek");
    private static readonly Lazy<TestKeyEncryption> Shared = new(() => Create("CN=Tessera test key-encryption key"));

    private TestKeyEncryption(string path, string password, string thumbprint)
    {
        Path = path;
        Password = password;
        Thumbprint = thumbprint;
    }

    /// <summary>One certificate for the whole test run (RSA key generation costs tens of milliseconds).</summary>
    public static TestKeyEncryption Default => Shared.Value;

    /// <summary>The PKCS#12 (.pfx) file.</summary>
    public string Path { get; }

    public string Password { get; }

    /// <summary>The certificate's SHA-1 thumbprint, as Data Protection names it in the encrypted XML.</summary>
    public string Thumbprint { get; }

    /// <summary>The server's settings (in-process hosts) for this certificate as the current key-encryption key.</summary>
    public Dictionary<string, string?> Settings => new() { [PathKey] = Path, [PasswordKey] = Password };

    /// <summary>The same as environment variables (server processes, the CLI): never on a command line.</summary>
    public Dictionary<string, string> EnvironmentVariables => new()
    {
        [ToEnvironment(PathKey)] = Path,
        [ToEnvironment(PasswordKey)] = Password,
    };

    /// <summary>A fresh certificate (a test that rotates needs a second one).</summary>
    public static TestKeyEncryption Create(string subject)
    {
        using RSA rsa = RSA.Create(2048);
        var request = new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment, critical: true));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        string password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        Directory.CreateDirectory(Folder);
        string path = System.IO.Path.Combine(Folder, $"{Environment.ProcessId}-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(path, certificate.Export(X509ContentType.Pkcs12, password));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => File.Delete(path);
        return new TestKeyEncryption(path, password, certificate.Thumbprint);
    }

    /// <summary><c>A:B</c> → <c>A__B</c>, how .NET configuration reads a setting from the environment.</summary>
    public static string ToEnvironment(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
