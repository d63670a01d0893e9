using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Tessera.Cluster.Tests.Support;
using Tessera.Testing.Servers;

namespace Tessera.Cluster.Tests.Deploy;

/// <summary>
/// deploy/nginx/tessera-tls.conf run for real on loopback (a self-signed certificate for localhost)
/// in front of a real server process configured with deploy/systemd/tessera.service's settings
/// (only the issuer and the key-encryption certificate are the test's). A client at 127.0.0.2 that
/// trusts only that certificate signs in over HTTPS.
/// </summary>
public sealed class NginxTlsFrontTests
{
    private static readonly IPAddress ClientAddress = IPAddress.Parse("127.0.0.2");

    [Fact]
    public async Task ABrowserSignsInOverHttpsAndTheServerSeesItsAddressAndScheme()
    {
        using SelfSignedTls tls = SelfSignedTls.Create();
        int httpPort = LoopbackPort.Free();
        int httpsPort = LoopbackPort.Free();
        string origin = $"https://localhost:{httpsPort}";
        // The issuer on the command line: ServerProcess names its own there, and the last one counts.
        await using ServerProcess server = ServerProcess.Start(ServerSettingsFromTheUnit(), "--Tessera:Tokens:Issuer", origin);
        Uri upstream = await server.ListeningAsync();
        await using NginxBalancer nginx = await NginxBalancer.StartSiteAsync(NginxTlsFrontConfig.Site(httpPort, httpsPort, upstream.Port, tls.CertificatePath, tls.KeyPath), httpsPort);

        SocketsHttpHandler sockets = ClusterClient.Sockets(ClientAddress);
        sockets.AllowAutoRedirect = false;
        sockets.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => tls.IsThisCertificate(certificate);
        using var browser = new HttpClient(sockets) { BaseAddress = new Uri(origin), Timeout = TimeSpan.FromSeconds(60) };
        string Diagnostics() => $"nginx error log:\n{nginx.ErrorLog}\nserver output:\n{server.Output}{server.Errors}";

        // Plain HTTP only redirects to HTTPS.
        HttpResponseMessage plain = await browser.GetAsync($"http://localhost:{httpPort}/auth/me");
        Assert.True(HttpStatusCode.MovedPermanently == plain.StatusCode, $"plain HTTP answered {(int)plain.StatusCode}. {Diagnostics()}");
        Assert.Equal(new Uri("https://localhost/auth/me"), plain.Headers.Location);

        // A browser's POST carries its page's Origin: the server accepts it as its own only if it
        // knows the request came over HTTPS (X-Forwarded-Proto) to this host, else 403 csrf_rejected.
        await SendAsync(browser, HttpMethod.Post, "/auth/register", origin, HttpStatusCode.Created, Diagnostics);
        HttpResponseMessage signIn = await SendAsync(browser, HttpMethod.Post, "/auth/session", origin, HttpStatusCode.OK, Diagnostics);

        IEnumerable<string> cookies = signIn.Headers.GetValues("Set-Cookie");
        Assert.Contains(cookies, c => c.StartsWith("__Host-tessera-session=", StringComparison.Ordinal));
        Assert.All(cookies, c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
        Assert.Equal("max-age=63072000; includeSubDomains", Assert.Single(signIn.Headers.GetValues("Strict-Transport-Security")));

        // The session list shows the client's address (X-Forwarded-For from the trusted proxy), not nginx's.
        HttpResponseMessage list = await SendAsync(browser, HttpMethod.Get, "/auth/sessions", origin, HttpStatusCode.OK, Diagnostics);
        JsonElement session = Assert.Single(JsonDocument.Parse(await list.Content.ReadAsStringAsync()).RootElement.GetProperty("sessions").EnumerateArray());
        Assert.Equal(ClientAddress.ToString(), session.GetProperty("ip").GetString());
    }

    /// <summary>The unit's environment, with the test's key-encryption certificate in place of the production one.</summary>
    private static Dictionary<string, string> ServerSettingsFromTheUnit()
    {
        // A value with a systemd specifier (%d: the credentials folder, %C: the cache folder) means
        // something under systemd only; the test supplies its own where the server needs one.
        Dictionary<string, string> settings = SystemdUnitFile.Read(DeployFiles.SystemdUnit).Environment
            .Where(e => !e.Value.Contains('%', StringComparison.Ordinal)).ToDictionary(StringComparer.Ordinal);
        Assert.Equal("127.0.0.1", settings["Tessera__ForwardedHeaders__KnownProxies__0"]);
        Assert.Equal("Production", settings["ASPNETCORE_ENVIRONMENT"]);
        foreach ((string name, string value) in TestKeyEncryption.Default.EnvironmentVariables)
        {
            settings[name] = value;
        }

        return settings;
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient browser, HttpMethod method, string path, string origin, HttpStatusCode expected, Func<string> diagnostics)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Add("Origin", origin);
        if (method == HttpMethod.Post)
        {
            request.Content = JsonContent.Create(new { username = "alice", password = ClusterHttp.Password });
        }

        HttpResponseMessage response = await browser.SendAsync(request);
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"{method} {path} answered {(int)response.StatusCode}: {body}\n{diagnostics()}");
        return response;
    }
}
