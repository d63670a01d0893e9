namespace Tessera.Cluster.Tests.Deploy;

/// <summary>
/// deploy/nginx/tessera-tls.conf with its placeholders filled for loopback: the host name becomes
/// localhost, the listen lines 127.0.0.1 ports (the IPv6 ones go: a test sandbox may have no ::1),
/// the certificate paths the test's own, the upstream the test's server. Everything else runs as written.
/// </summary>
internal static class NginxTlsFrontConfig
{
    public static string Site(int httpPort, int httpsPort, int serverPort, string certificatePath, string keyPath)
    {
        const string file = "deploy/nginx/tessera-tls.conf";
        string text = File.ReadAllText(DeployFiles.NginxTlsFront);
        text = DeployFiles.Replace(text, file, @"^[ \t]*listen \[::\]:\d+[^;\n]*;[ \t]*\n", "", 2);
        text = DeployFiles.Replace(text, file, @"listen 80;", $"listen 127.0.0.1:{httpPort};", 1);
        text = DeployFiles.Replace(text, file, @"listen 443 ssl", $"listen 127.0.0.1:{httpsPort} ssl", 1);
        text = DeployFiles.Replace(text, file, @"server_name auth\.example\.org;", "server_name localhost;", 2);
        text = DeployFiles.Replace(text, file, @"ssl_certificate[ \t]+\S+;", $"ssl_certificate {certificatePath};", 1);
        text = DeployFiles.Replace(text, file, @"ssl_certificate_key[ \t]+\S+;", $"ssl_certificate_key {keyPath};", 1);
        return DeployFiles.Replace(text, file, @"server 127\.0\.0\.1:5080;", $"server 127.0.0.1:{serverPort};", 1);
    }
}
